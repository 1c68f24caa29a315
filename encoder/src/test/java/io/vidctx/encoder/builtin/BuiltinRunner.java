package io.vidctx.encoder.builtin;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.onnx.OrtSessions;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.testing.Photos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the built-in graph through a raw ONNX Runtime session, with the minimum of preprocessing the
 * manifest asks for (centre crop, resize to 224, RGB scaled to [0, 1], NCHW). A stand-in until {@code
 * OnnxVisionEncoder} drives the model folder itself.
 */
final class BuiltinRunner implements AutoCloseable {
  /** One image's outputs: {@code patches} is 196 × 64 row-major, {@code global} 64 values. */
  record Out(float[] patches, float[] global) {}

  private final OrtSessions.Opened opened;

  BuiltinRunner(final Path modelFolder, final int threads) {
    this.opened = OrtSessions.open(modelFolder.resolve(BuiltinModel.MODEL_FILE),
        RuntimeOptions.DEFAULTS.withIntraOpThreads(threads));
  }

  OrtSession session() {
    return opened.session();
  }

  /** Encodes 224 × 224 RGB24 pictures in one batch. */
  Out[] run(final List<byte[]> rgb224) throws OrtException {
    final int n = rgb224.size();
    final int plane = BuiltinModel.SIZE * BuiltinModel.SIZE;
    final float[] chw = new float[n * 3 * plane];
    for (int i = 0; i < n; i++) {
      final byte[] rgb = rgb224.get(i);
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < plane; p++) {
          chw[(i * 3 + c) * plane + p] = (rgb[p * 3 + c] & 0xff) / 255f;
        }
      }
    }
    return runPixels(chw, n);
  }

  /** Encodes {@code n} pictures given as the model input itself: NCHW floats in [0, 1]. */
  Out[] runPixels(final float[] nchw, final int n) throws OrtException {
    final FloatBuffer in = ByteBuffer.allocateDirect(nchw.length * Float.BYTES).order(ByteOrder.nativeOrder())
        .asFloatBuffer().put(nchw);
    in.rewind();
    final long[] shape = {n, 3, BuiltinModel.SIZE, BuiltinModel.SIZE};
    try (OnnxTensor t = OnnxTensor.createTensor(OrtSessions.environment(), in, shape);
        OrtSession.Result r = opened.session().run(Map.of(BuiltinModel.INPUT, t))) {
      final FloatBuffer patches = ((OnnxTensor) r.get(BuiltinModel.PATCH_OUTPUT).orElseThrow()).getFloatBuffer();
      final FloatBuffer global = ((OnnxTensor) r.get(BuiltinModel.POOLED_OUTPUT).orElseThrow()).getFloatBuffer();
      final int tokens = BuiltinModel.GRID * BuiltinModel.GRID * BuiltinModel.DIM;
      final Out[] out = new Out[n];
      for (int i = 0; i < n; i++) {
        final float[] p = new float[tokens];
        final float[] g = new float[BuiltinModel.DIM];
        patches.get(i * tokens, p);
        global.get(i * BuiltinModel.DIM, g);
        out[i] = new Out(p, g);
      }
      return out;
    }
  }

  Out run(final byte[] rgb224) throws OrtException {
    return run(List.of(rgb224))[0];
  }

  /** Shorter side + centre crop to a square, then OpenCV area resize to 224 × 224 (the manifest's mode). */
  static byte[] fit(final DecodedImage image) {
    final int side = Math.min(image.width(), image.height());
    final DecodedImage square = crop(image, (image.width() - side) / 2, (image.height() - side) / 2, side, side);
    return Photos.resize(square, BuiltinModel.SIZE, BuiltinModel.SIZE).rgb();
  }

  static DecodedImage crop(final DecodedImage image, final int x0, final int y0, final int w, final int h) {
    final byte[] out = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      System.arraycopy(image.rgb(), ((y0 + y) * image.width() + x0) * 3, out, y * w * 3, w * 3);
    }
    return new DecodedImage(w, h, out);
  }

  static double cosine(final float[] a, final int aOff, final float[] b, final int bOff, final int dim) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < dim; i++) {
      dot += a[aOff + i] * b[bOff + i];
      na += a[aOff + i] * a[aOff + i];
      nb += b[bOff + i] * b[bOff + i];
    }
    return dot / Math.sqrt(na * nb);
  }

  static double cosine(final float[] a, final float[] b) {
    return cosine(a, 0, b, 0, a.length);
  }

  @Override
  public void close() {
    opened.close();
  }
}
