package io.vidctx.qa.eval.run;

import io.vidctx.qa.ContextBuilder;
import io.vidctx.qa.eval.Method;
import io.vidctx.tokencompress.CompressorConfig;
import java.util.List;
import java.util.Objects;

/**
 * Settings of an evaluation run.
 *
 * @param fps sampling rate of ordinary videos (a haystack file has its own)
 * @param budget the most tokens any context may hold
 * @param methods the methods each item is answered with, in order; {@link Method#OURS} first when present
 *     (the baselines get the token count it kept)
 * @param compressor the compression settings of {@link Method#OURS}
 * @param batchSize frames per encoder call
 * @param keyframes keyframes per context
 * @param keyframeImages whether keyframes carry their JPEG (an answerer that looks at pictures needs them)
 */
public record EvalConfig(double fps, int budget, List<Method> methods, CompressorConfig compressor, int batchSize,
    int keyframes, boolean keyframeImages) {

  public static final EvalConfig DEFAULTS = new EvalConfig(1.0, 4096, List.of(Method.OURS), CompressorConfig.DEFAULTS,
      8, ContextBuilder.DEFAULT_KEYFRAMES, false);

  public EvalConfig {
    Objects.requireNonNull(compressor, "compressor");
    if (!(fps > 0 && fps <= 60)) {
      throw new IllegalArgumentException("fps must be in (0, 60], was " + fps);
    }
    if (budget < 1) {
      throw new IllegalArgumentException("token budget must be >= 1, was " + budget);
    }
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("give at least one method (ours, uniform, none)");
    }
    if (methods.stream().distinct().count() != methods.size()) {
      throw new IllegalArgumentException("a method is named twice: " + methods);
    }
    // OURS first: the baselines are held to the token count it kept.
    methods = methods.stream().sorted().toList();
    if (batchSize < 1 || keyframes < 1) {
      throw new IllegalArgumentException("batch size and keyframes must be >= 1, were " + batchSize + ", " + keyframes);
    }
  }

  public EvalConfig withFps(final double f) {
    return new EvalConfig(f, budget, methods, compressor, batchSize, keyframes, keyframeImages);
  }

  public EvalConfig withBudget(final int b) {
    return new EvalConfig(fps, b, methods, compressor, batchSize, keyframes, keyframeImages);
  }

  public EvalConfig withMethods(final List<Method> m) {
    return new EvalConfig(fps, budget, m, compressor, batchSize, keyframes, keyframeImages);
  }

  public EvalConfig withCompressor(final CompressorConfig c) {
    return new EvalConfig(fps, budget, methods, c, batchSize, keyframes, keyframeImages);
  }

  public EvalConfig withBatchSize(final int n) {
    return new EvalConfig(fps, budget, methods, compressor, n, keyframes, keyframeImages);
  }

  public EvalConfig withKeyframeImages(final boolean on) {
    return new EvalConfig(fps, budget, methods, compressor, batchSize, keyframes, on);
  }
}
