package io.vidctx.samples.cli;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.builtin.BuiltinModel;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's encode stage: frames read back from Kafka go through the built-in encoder in batches as
 * they arrive, and only each frame's global embedding is kept, so memory does not grow with the
 * frames' pixels.
 */
final class DemoEncoding implements AutoCloseable {
  private final OnnxVisionEncoder encoder;
  private final List<VideoFrame> pending = new ArrayList<>();
  private final List<float[]> globals = new ArrayList<>();
  private final List<Long> pts = new ArrayList<>();
  private long tokens;
  private int gridH;
  private int gridW;
  private long nanos;

  DemoEncoding(final Path modelsDir) {
    this.encoder = OnnxVisionEncoder.open(BuiltinModel.ensure(modelsDir), RuntimeOptions.DEFAULTS);
  }

  void accept(final VideoFrame frame) {
    pending.add(frame);
    if (pending.size() == RuntimeOptions.DEFAULTS.batchSize()) {
      flush();
    }
  }

  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    final long t = System.nanoTime();
    for (final FrameTokens ft : encoder.encode(pending)) {
      globals.add(ft.global());
      pts.add(ft.ptsMicros());
      tokens += ft.patchCount();
      gridH = ft.gridH();
      gridW = ft.gridW();
    }
    nanos += System.nanoTime() - t;
    pending.clear();
  }

  int frames() {
    return globals.size();
  }

  long patchTokens() {
    return tokens;
  }

  String grid() {
    return gridH + "x" + gridW + "x" + encoder.dim();
  }

  long nanos() {
    return nanos;
  }

  /**
   * How many cuts fall between consecutive encoded frames whose global embeddings are less alike
   * than any two consecutive frames within a scene (cosine below the within-scene minimum).
   */
  int cutsSeen(final List<Long> cutsMicros) {
    double withinMin = Double.MAX_VALUE;
    final double[] cos = new double[Math.max(0, globals.size() - 1)];
    final boolean[] straddles = new boolean[cos.length];
    for (int i = 0; i < cos.length; i++) {
      cos[i] = Embeddings.cosine(globals.get(i), globals.get(i + 1));
      straddles[i] = DemoCommand.straddlesCut(pts.get(i), pts.get(i + 1), cutsMicros);
      if (!straddles[i]) {
        withinMin = Math.min(withinMin, cos[i]);
      }
    }
    int seen = 0;
    for (int i = 0; i < cos.length; i++) {
      if (straddles[i] && cos[i] < withinMin) {
        seen++;
      }
    }
    return seen;
  }

  @Override
  public void close() {
    encoder.close();
  }
}
