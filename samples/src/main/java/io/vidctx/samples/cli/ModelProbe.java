package io.vidctx.samples.cli;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.VisionSpec;
import io.vidctx.encoder.onnx.OnnxTextEncoder;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
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
    float[] image = null;
    if (manifest.vision() != null) {
      final long t0 = System.nanoTime();
      try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(dir, options)) {
        final VisionSpec v = enc.spec();
        final byte[] gray = new byte[v.width() * v.height() * 3];
        Arrays.fill(gray, (byte) 128);
        final FrameTokens t = enc.encode(List.of(new VideoFrame("verify", 0, 0, v.width(), v.height(), gray))).get(0);
        String problem = vectorProblem(t.global(), enc.dim());
        if (problem == null) {
          for (final float x : t.patches()) {
            if (!Float.isFinite(x)) {
              problem = "a patch token value is " + x;
              break;
            }
          }
        }
        image = t.global();
        checks.add(new ModelsVerifyCommand.Check("vision inference", problem == null, problem != null ? problem
            : "gray " + v.width() + "x" + v.height() + " frame -> " + t.gridH() + "x" + t.gridW() + " grid of " + t.dim()
                + "-d tokens, global norm " + f3(Embeddings.norm(t.global())) + ", " + Units.seconds(System.nanoTime() - t0)
                + " on " + enc.device()));
      } catch (final EncoderException | IllegalArgumentException | IllegalStateException e) {
        checks.add(new ModelsVerifyCommand.Check("vision inference", false, e.getMessage()));
      }
    }
    if (manifest.text() != null) {
      checks.add(text(dir, manifest, options, image));
    }
    return checks;
  }

  private static ModelsVerifyCommand.Check text(final Path dir, final ModelManifest manifest, final RuntimeOptions options,
      final float @Nullable [] image) {
    final long t0 = System.nanoTime();
    try (OnnxTextEncoder enc = OnnxTextEncoder.open(manifest, dir, options)) {
      final float[] e = enc.embed(TEXT);
      final String problem = vectorProblem(e, enc.dim());
      final int[] ids = enc.tokenizer().encode(TEXT);
      final String detail = "\"" + TEXT + "\" (ids " + Arrays.stream(ids).mapToObj(Integer::toString)
          .collect(Collectors.joining(" ")) + ") -> " + e.length + "-d embedding, norm " + f3(Embeddings.norm(e)) + ", "
          + Units.seconds(System.nanoTime() - t0) + " on " + enc.device()
          + (image != null && image.length == e.length ? ", cosine with the gray frame " + f3(Embeddings.cosine(image, e)) : "");
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
    return Embeddings.norm(v) > 0 ? null : "embedding is all zeros";
  }

  static String f3(final double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
