package io.vidctx.encoder.models;

import io.vidctx.encoder.onnxwriter.ElementType;
import io.vidctx.encoder.onnxwriter.OnnxModel;
import io.vidctx.encoder.onnxwriter.Tensor;

/** Small generated ONNX models to serve from the loopback server. */
final class TestModels {
  private TestModels() {}

  /**
   * A CLIP-shaped image tower: {@code pixel_values [N,3,32,32]} → mean-pooled and projected to
   * {@code image_embeds [N,dim]}; its weights make it a few hundred kB, enough to break a download
   * off in the middle.
   */
  static byte[] visionModel(final int dim, final long seed) {
    final int in = 3 * 32 * 32;
    final float[] w = new float[in * dim];
    long s = seed;
    for (int i = 0; i < w.length; i++) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      w[i] = ((s >>> 40) / (float) (1 << 24) - 0.5f) * 0.01f;
    }
    final OnnxModel.Builder b = OnnxModel.builder("tiny-vision");
    b.input("pixel_values", ElementType.FLOAT, "batch", 3, 32, 32);
    final String flat = b.op("Flatten", "pixel_values");
    final String emb = b.op("MatMul", flat, b.constant(Tensor.floats(w, in, dim)));
    b.output(emb, "image_embeds", ElementType.FLOAT, "batch", dim);
    return b.build().toByteArray();
  }
}
