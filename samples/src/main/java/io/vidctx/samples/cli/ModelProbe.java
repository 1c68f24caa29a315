package io.vidctx.samples.cli;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.onnx.OnnxTextEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The test inference of {@code models verify}: one gray frame through the vision model, one text
 * through the text model. Each run is a check: it fails when the model does not load, does not run,
 * or gives a vector of the wrong width or with NaN/infinite values.
 */
final class ModelProbe {
  static final String TEXT = "a photo of a cat";

  private ModelProbe() {}

  static List<ModelsVerifyCommand.Check> run(final Path dir, final ModelManifest manifest, final RuntimeOptions options) {
    final List<ModelsVerifyCommand.Check> checks = new ArrayList<>();
    if (manifest.vision() != null) {
      checks.add(new ModelsVerifyCommand.Check("vision inference", true,
          "skipped: the ONNX vision encoder is not in this build yet"));
    }
    if (manifest.text() != null) {
      checks.add(text(dir, manifest, options));
    }
    return checks;
  }

  private static ModelsVerifyCommand.Check text(final Path dir, final ModelManifest manifest, final RuntimeOptions options) {
    final long t0 = System.nanoTime();
    try (OnnxTextEncoder enc = OnnxTextEncoder.open(manifest, dir, options)) {
      final float[] e = enc.embed(TEXT);
      final String problem = vectorProblem(e, enc.dim());
      final int[] ids = enc.tokenizer().encode(TEXT);
      final String detail = "\"" + TEXT + "\" (ids " + Arrays.stream(ids).mapToObj(Integer::toString)
          .collect(Collectors.joining(" ")) + ") -> " + e.length + "-d embedding, norm " + f3(norm(e)) + ", "
          + Units.seconds(System.nanoTime() - t0) + " on " + enc.device();
      return new ModelsVerifyCommand.Check("text inference", problem == null, problem == null ? detail : problem);
    } catch (final EncoderException | IllegalArgumentException e) {
      return new ModelsVerifyCommand.Check("text inference", false, e.getMessage());
    }
  }

  /** Null when {@code v} is a usable embedding of width {@code dim}, else what is wrong. */
  static @Nullable String vectorProblem(final float[] v, final int dim) {
    if (v.length != dim) {
      return "embedding has " + v.length + " values, the model reports dim " + dim;
    }
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        return "embedding value " + i + " is " + v[i];
      }
    }
    return norm(v) > 0 ? null : "embedding is all zeros";
  }

  static double norm(final float[] v) {
    double s = 0;
    for (final float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  static String f3(final double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
