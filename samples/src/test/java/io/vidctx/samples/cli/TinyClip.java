package io.vidctx.samples.cli;

import io.vidctx.encoder.onnxwriter.Attribute;
import io.vidctx.encoder.onnxwriter.ElementType;
import io.vidctx.encoder.onnxwriter.OnnxModel;
import io.vidctx.encoder.onnxwriter.Tensor;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generated CLIP-shaped model folder (no pretrained weights exist on our machines): a vision tower
 * {@code pixel_values [N,3,32,32]} → patch tokens {@code last_hidden_state [N,16,D]} (a 4x4 grid from
 * an 8x8 stride-8 convolution) and their mean {@code image_embeds [N,D]}; a text tower {@code
 * input_ids int64 [N,77]} → {@code text_embeds [N,D]}; the real CLIP vocabulary from the shared folder.
 */
final class TinyClip {
  static final int DIM = 8;

  private TinyClip() {}

  static byte[] vision(final long seed) {
    final float[] w = weights(DIM * 3 * 8 * 8, seed);
    final OnnxModel.Builder b = OnnxModel.builder("tiny-clip-vision");
    b.input("pixel_values", ElementType.FLOAT, "batch", 3, 32, 32);
    final String conv = b.op("Conv", new String[] {"pixel_values", b.constant(Tensor.floats(w, DIM, 3, 8, 8))},
        Attribute.ints("kernel_shape", 8, 8), Attribute.ints("strides", 8, 8));
    final String seq = b.op("Reshape", conv, b.constant(Tensor.longs(new long[] {0, DIM, 16}, 3)));
    final String tokens = b.op("Transpose", new String[] {seq}, Attribute.ints("perm", 0, 2, 1));
    final String pooled = b.op("ReduceMean", new String[] {tokens}, Attribute.ints("axes", 1), Attribute.of("keepdims", 0L));
    b.output(tokens, "last_hidden_state", ElementType.FLOAT, "batch", 16, DIM);
    b.output(pooled, "image_embeds", ElementType.FLOAT, "batch", DIM);
    return b.build().toByteArray();
  }

  static byte[] text(final long seed) {
    final OnnxModel.Builder b = OnnxModel.builder("tiny-clip-text");
    b.input("input_ids", ElementType.INT64, "batch", 77);
    final String f = b.op("Cast", new String[] {"input_ids"}, Attribute.of("to", 1L));
    final String emb = b.op("MatMul", f, b.constant(Tensor.floats(weights(77 * DIM, seed), 77, DIM)));
    b.output(emb, "text_embeds", ElementType.FLOAT, "batch", DIM);
    return b.build().toByteArray();
  }

  /** The manifest JSON of a folder holding vision.onnx and text.onnx; {@code sha256Map} is a JSON object. */
  static String manifest(final String name, final String sha256Map) {
    final String vocab = SharedData.model("clip-bpe-vocab/bpe_simple_vocab_16e6.txt.gz").toAbsolutePath().toString();
    return """
        {"name": "%s", "description": "generated CLIP-shaped test model",
         "vision": {"file": "vision.onnx", "input": "pixel_values", "width": 32, "height": 32,
                    "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711],
                    "patch_output": "last_hidden_state", "pooled_output": "image_embeds",
                    "cls_token": false, "grid_h": 4, "grid_w": 4},
         "text": {"file": "text.onnx", "output": "text_embeds", "pad": "zero", "vocab": "%s"},
         "sha256": %s}
        """.formatted(name, vocab.replace("\\", "\\\\"), sha256Map);
  }

  /** Writes a complete folder (models, manifest with correct checksums) and returns it. */
  static Path folder(final Path dir) throws IOException {
    Files.createDirectories(dir);
    final byte[] v = vision(1);
    final byte[] t = text(2);
    Files.write(dir.resolve("vision.onnx"), v);
    Files.write(dir.resolve("text.onnx"), t);
    final String sums = "{\"vision.onnx\": \"" + ModelsCommandTest.sha256(v) + "\", \"text.onnx\": \""
        + ModelsCommandTest.sha256(t) + "\"}";
    Files.writeString(dir.resolve("vidctx-model.json"), manifest("tiny-clip", sums), StandardCharsets.UTF_8);
    return dir;
  }

  private static float[] weights(final int n, final long seed) {
    final float[] w = new float[n];
    long s = seed;
    for (int i = 0; i < n; i++) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      w[i] = ((s >>> 40) / (float) (1 << 24) - 0.5f) * 0.1f;
    }
    return w;
  }
}
