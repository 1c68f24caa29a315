package io.vidctx.encoder.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.vidctx.ingest.testing.Photos;
import io.vidctx.ingest.testing.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Frames per second of the built-in graph on the CPU at batch 1 and 8, one intra-op thread (per core)
 * and the runtime's default. A figure to report, not a timed assertion. Run with {@code mvn -pl
 * ingest,encoder verify -Dtest=BuiltinBenchmarkTest -Dvidctx.test.excludedGroups=none}.
 */
@Tag("slow")
class BuiltinBenchmarkTest {
  private static final int FRAMES = 400;
  private static final int WARMUP_FRAMES = 48;

  @Test
  void shouldReportFramesPerSecondAtBatch1And8() throws OrtException {
    final Path folder = BuiltinModel.ensure(SharedData.work("builtin-benchmark"));
    final List<byte[]> photos = new ArrayList<>();
    for (final Photos.Photo p : Photos.all().subList(0, 8)) {
      photos.add(BuiltinRunner.fit(Photos.read(p.file())));
    }
    final float[] batch8 = pixels(photos);
    final float[] batch1 = pixels(photos.subList(0, 1));
    for (final int threads : new int[] {1, 0}) {
      try (BuiltinRunner runner = new BuiltinRunner(folder, threads)) {
        for (final int batch : new int[] {1, 8}) {
          final float[] input = batch == 1 ? batch1 : batch8;
          for (int i = 0; i < WARMUP_FRAMES / batch; i++) {
            runner.runPixels(input, batch);
          }
          final long start = System.nanoTime();
          BuiltinRunner.Out[] out = new BuiltinRunner.Out[0];
          for (int i = 0; i < FRAMES / batch; i++) {
            out = runner.runPixels(input, batch);
          }
          final double seconds = (System.nanoTime() - start) / 1e9;
          System.out.printf(Locale.ROOT, "builtin benchmark: batch %d, intra-op threads %s (%d cores): %.0f frames/s%n",
              batch, threads == 0 ? "default" : Integer.toString(threads), Runtime.getRuntime().availableProcessors(),
              FRAMES / seconds);
          assertEquals(batch, out.length);
          assertTrue(Float.isFinite(out[0].global()[0]));
        }
      }
    }
  }

  private static float[] pixels(final List<byte[]> rgb) {
    final int plane = BuiltinModel.SIZE * BuiltinModel.SIZE;
    final float[] chw = new float[rgb.size() * 3 * plane];
    for (int i = 0; i < rgb.size(); i++) {
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < plane; p++) {
          chw[(i * 3 + c) * plane + p] = (rgb.get(i)[p * 3 + c] & 0xff) / 255f;
        }
      }
    }
    return chw;
  }
}
