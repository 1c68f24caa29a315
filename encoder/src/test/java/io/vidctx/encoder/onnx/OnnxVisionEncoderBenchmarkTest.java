package io.vidctx.encoder.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.manifest.ChannelOrder;
import io.vidctx.encoder.manifest.ResizeMode;
import io.vidctx.encoder.preprocess.ImagePreprocessor;
import io.vidctx.encoder.testing.ClipShapedModels;
import io.vidctx.encoder.testing.ClipShapedModels.Spec;
import io.vidctx.encoder.testing.ClipShapedModels.Written;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints frames/s of a generated ViT-S/16-sized CLIP-shaped model (224x224, 196 patches + CLS, D =
 * 384, 6 heads, MLP 1536, {@value #LAYERS} blocks, random fixed weights) on the CPU at batch 1 and
 * 8: through {@link OnnxVisionEncoder} (preprocessing, batching, output copy, projection,
 * normalisation) and through a bare {@code OrtSession.run} on an already-prepared tensor, plus the
 * ratio of the two (target: the encoder's overhead at most 10 %, ratio at least 0.9). Also prints
 * the preprocessing cost alone for frames at the model size (FFmpeg pre-scaled) and at 1280x720.
 *
 * <p>A measurement, not a check: it asserts only that the work was done. The two sides are measured
 * in alternating rounds and the medians compared, since the build machines are shared. Run with
 * {@code mvn -B -o -pl ingest,encoder verify -Dtest=OnnxVisionEncoderBenchmarkTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dvidctx.test.excludedGroups=none}.
 */
@Tag("slow")
class OnnxVisionEncoderBenchmarkTest {
  private static final int LAYERS = 4;
  private static final int FRAMES = 16;
  private static final int ROUNDS = 9;

  @Test
  void shouldPrintEncoderAndBareSessionFramesPerSecond() throws OrtException {
    final Path root = SharedData.work("vision-benchmark");
    final Written clip = ClipShapedModels.write(root.resolve("vit-s"), Spec.vitSmall(LAYERS));
    // The same model read as a plain backbone: patch tokens only, no projection, so the encoder adds
    // nothing but preprocessing and bookkeeping to the model's own work.
    final Path plainDir = root.resolve("vit-s-plain");
    final Written plain = ClipShapedModels.write(plainDir, Spec.vitSmall(LAYERS));
    final ObjectNode json = plain.json();
    ((ObjectNode) json.get("vision")).remove("pooled_output");
    ((ObjectNode) json.get("vision")).remove("projection");
    plain.writeManifest(json);

    final List<VideoFrame> scaled = OnnxVisionEncoderTest.decode("big_buck_bunny_0_30.webm",
        DecodeOptions.DEFAULTS.withFps(1).withMaxFrames(FRAMES).withSize(224, 224));
    final List<VideoFrame> native720 = OnnxVisionEncoderTest.decode("big_buck_bunny_0_30.webm",
        DecodeOptions.DEFAULTS.withFps(1).withMaxFrames(FRAMES));
    assertEquals(FRAMES, scaled.size());
    System.out.printf(Locale.ROOT, "ViT-S/16-sized CLIP-shaped model, %d blocks, %d cores available, %d rounds of %d"
        + " frames (224x224 from FFmpeg), each round encoder then bare session%n", LAYERS,
        Runtime.getRuntime().availableProcessors(), ROUNDS, FRAMES);

    for (final Written model : List.of(plain, clip)) {
      final String what = model == plain ? "patches only, no projection" : "CLIP manifest (patches projected by"
          + " [384, 512], image_embeds)";
      for (final int batch : new int[] {1, 8}) {
        final RuntimeOptions options = RuntimeOptions.DEFAULTS.withBatchSize(batch);
        try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(model.dir(), options);
            OrtSessions.Opened bare = OrtSessions.open(model.model(), options)) {
          final ImagePreprocessor pre = ImagePreprocessor.of(enc.spec());
          final FloatBuffer input = ByteBuffer.allocateDirect(4 * batch * pre.floatsPerImage())
              .order(ByteOrder.nativeOrder()).asFloatBuffer();
          for (int i = 0; i < batch; i++) {
            pre.write(scaled.get(i), input, i * pre.floatsPerImage());
          }
          try (OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.environment(), input,
              new long[] {batch, 3, 224, 224})) {
            // Warm-up: first runs allocate arenas and pick kernels.
            enc.encode(scaled);
            runBare(bare.session(), tensor, FRAMES / batch);
            final double[] encoderFps = new double[ROUNDS];
            final double[] bareFps = new double[ROUNDS];
            final double[] ratios = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
              final long t0 = System.nanoTime();
              final List<FrameTokens> out = enc.encode(scaled);
              encoderFps[r] = FRAMES / ((System.nanoTime() - t0) / 1e9);
              assertEquals(FRAMES, out.size());
              final long t1 = System.nanoTime();
              runBare(bare.session(), tensor, FRAMES / batch);
              bareFps[r] = FRAMES / ((System.nanoTime() - t1) / 1e9);
              ratios[r] = encoderFps[r] / bareFps[r];
            }
            final double bestEnc = Arrays.stream(encoderFps).max().orElse(0);
            final double bestBare = Arrays.stream(bareFps).max().orElse(0);
            System.out.printf(Locale.ROOT,
                "%s, batch %d: encoder best %.1f / median %.1f frames/s; bare run best %.1f / median %.1f frames/s;"
                    + " ratio of bests %.3f, median paired ratio %.3f%n",
                what, batch, bestEnc, median(encoderFps), bestBare, median(bareFps), bestEnc / bestBare, median(ratios));
            assertTrue(bestEnc > 0 && bestBare > 0);
          }
          final long t2 = System.nanoTime();
          final List<FrameTokens> big = enc.encode(native720);
          System.out.printf(Locale.ROOT, "%s, batch %d: encoder on 1280x720 frames (centre crop in Java): %.1f frames/s%n",
              what, batch, FRAMES / ((System.nanoTime() - t2) / 1e9));
          assertEquals(FRAMES, big.size());
        }
      }
    }
    printPreprocessingCost(scaled, native720);
  }

  private static void printPreprocessingCost(final List<VideoFrame> scaled, final List<VideoFrame> native720) {
    final ImagePreprocessor pre = new ImagePreprocessor(224, 224,
        ResizeMode.SHORTER_SIDE_CENTER_CROP, ClipShapedModels.CLIP_MEAN,
        ClipShapedModels.CLIP_STD, ChannelOrder.RGB);
    final FloatBuffer buf = ByteBuffer.allocateDirect(4 * pre.floatsPerImage()).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    for (final List<VideoFrame> frames : List.of(scaled, native720)) {
      final int reps = 20;
      for (int w = 0; w < 3; w++) {
        for (final VideoFrame f : frames) {
          pre.write(f, buf, 0);
        }
      }
      final long t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        for (final VideoFrame f : frames) {
          pre.write(f, buf, 0);
        }
      }
      final double us = (System.nanoTime() - t0) / 1e3 / (reps * frames.size());
      System.out.printf(Locale.ROOT, "preprocessing %dx%d -> 224x224 (centre crop): %.0f us/frame%n",
          frames.get(0).width(), frames.get(0).height(), us);
      assertTrue(us > 0);
    }
  }

  private static void runBare(final OrtSession session, final OnnxTensor tensor, final int runs) throws OrtException {
    for (int i = 0; i < runs; i++) {
      try (OrtSession.Result r = session.run(Map.of(ClipShapedModels.INPUT, tensor))) {
        assertEquals(2, r.size());
      }
    }
  }

  private static double median(final double[] values) {
    final double[] s = values.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static String fmt(final double[] values) {
    final List<String> parts = new ArrayList<>();
    for (final double v : values) {
      parts.add(String.format(Locale.ROOT, "%.1f", v));
    }
    return parts.toString();
  }
}
