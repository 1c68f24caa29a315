package io.vidctx.tokencompress.merge;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-clip cost of {@link BipartiteMerger#mergeClip}: 4 frames of P tokens to 16 per frame (64),
 * the clip level of the hierarchy. {@code 60x512} stands for the tokens left after spatial
 * reduction; {@code 196x512} and {@code 576x768} for unreduced frames. NAIVE is the kernel before
 * the JMH work ({@link BipartiteMergerBaseline}, as of fbad508), OPTIMIZED the current one; both
 * give the same bits. Divide by 4 for the per-frame share.
 *
 * <pre>
 * java -jar tokencompress-jmh/target/benchmarks.jar BipartiteMergerBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BipartiteMergerBenchmark {
  private static final int FRAMES = 4;

  /** The implementation measured. */
  public enum Impl { NAIVE, OPTIMIZED }

  /** Tokens per frame x embedding width. */
  @Param({"60x512", "196x512", "576x768"})
  public String shape;

  @Param({"NAIVE", "OPTIMIZED"})
  public Impl impl;

  private int p;
  private int d;
  private float[] clip;
  private BipartiteMerger optimized;
  private BipartiteMergerBaseline naive;
  private MergeOutput out;

  @Setup
  public void setup() {
    final int[] s = BenchInputs.shape(shape);
    p = s[0];
    d = s[1];
    clip = BenchInputs.driftingFrames(new SplittableRandom(2), FRAMES, p, d, 0.5);
    optimized = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS);
    naive = new BipartiteMergerBaseline(BipartiteMerger.Config.DEFAULTS);
    out = new MergeOutput();
  }

  @Benchmark
  public MergeOutput clip() {
    return impl == Impl.OPTIMIZED ? optimized.mergeClip(clip, FRAMES, p, d, null, out)
        : naive.mergeClip(clip, FRAMES, p, d, null, out);
  }
}
