package io.vidctx.encoder.builtin;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.encoder.onnx.OrtSessions;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.testing.Photos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the built-in model folder the way users do, through {@link OnnxVisionEncoder} (manifest,
 * preprocessing, batching). A raw session on the same file is kept for what the encoder does not
 * expose: the graph's declared inputs/outputs and exact float inputs (the bare-session benchmark, a
 * frame of exactly 0.5 grey).
 */
final class BuiltinRunner implements AutoCloseable {
  /** One image's outputs: {@code patches} is 196 × 64 row-major, {@code global} 64 values. */
  record Out(float[] patches, float[] global) {}

  private final OnnxVisionEncoder encoder;
  private final OrtSessions.Opened opened;

  BuiltinRunner(final Path modelFolder, final int threads) {
    final RuntimeOptions options = RuntimeOptions.DEFAULTS.withIntraOpThreads(threads).withBatchSize(16);
    this.encoder = OnnxVisionEncoder.open(modelFolder, options);
    this.opened = OrtSessions.open(modelFolder.resolve(BuiltinModel.MODEL_FILE), options);
  }

  OrtSession session() {
    return opened.session();
  }

  /** Encodes 224 × 224 RGB24 pictures. */
  Out[] run(final List<byte[]> rgb224) {
    final List<VideoFrame> frames = new ArrayList<>();
    for (final byte[] rgb : rgb224) {
      frames.add(new VideoFrame("builtin-test", frames.size(), frames.size(), BuiltinModel.SIZE, BuiltinModel.SIZE, rgb));
    }
    return encode(frames);
  }

  /** Encodes pictures of any size; the encoder fits them (shorter side + centre crop, as the manifest says). */
  Out[] runImages(final List<DecodedImage> images) {
    final List<VideoFrame> frames = new ArrayList<>();
    for (final DecodedImage img : images) {
      frames.add(new VideoFrame("builtin-test", frames.size(), frames.size(), img.width(), img.height(), img.rgb()));
    }
    return encode(frames);
  }

  private Out[] encode(final List<VideoFrame> frames) {
    final List<FrameTokens> tokens = encoder.encode(frames);
    final Out[] out = new Out[tokens.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new Out(tokens.get(i).patches(), tokens.get(i).global());
    }
    return out;
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

  Out run(final byte[] rgb224) {
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
    encoder.close();
    opened.close();
  }
}
