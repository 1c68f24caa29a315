package io.vidctx.encoder.onnxwriter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.vidctx.ingest.testing.SharedData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Generated models must load in a real ONNX Runtime session and compute what the graph says: the
 * runtime is the judge of the hand-encoded protobuf.
 */
class OnnxModelTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  @Test
  void shouldRunAGeneratedDenseLayerWithSymbolicBatch() throws OrtException {
    final float[] w = {1, 2, 3, 4, 5, 6, 7, 8};
    final float[] bias = {0.5f, -100f};
    final OnnxModel.Builder b = OnnxModel.builder("dense").metadata("vidctx.kind", "test");
    b.input("x", ElementType.FLOAT, "batch", 4);
    final String mm = b.op("MatMul", "x", b.constant(Tensor.floats(w, 4, 2)));
    final String y = b.op("Relu", b.op("Add", mm, b.constant(Tensor.floats(bias, 2))));
    b.output(y, "y", ElementType.FLOAT, "batch", 2);

    final float[][] x = {{1, 0, 0, 0}, {1, 1, 1, 1}, {-1, 0, 2, 0.5f}};
    try (OrtSession s = ENV.createSession(b.build().toByteArray(), new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(ENV, x);
        OrtSession.Result r = s.run(Map.of("x", in))) {
      final float[][] out = (float[][]) r.get(0).getValue();
      assertEquals(3, out.length);
      for (int n = 0; n < 3; n++) {
        for (int j = 0; j < 2; j++) {
          float acc = bias[j];
          for (int i = 0; i < 4; i++) {
            acc += x[n][i] * w[i * 2 + j];
          }
          assertEquals(Math.max(0, acc), out[n][j], 1e-5, "row " + n + " col " + j);
        }
      }
      assertEquals("test", s.getMetadata().getCustomMetadata().get("vidctx.kind"));
      final TensorInfo info = (TensorInfo) s.getInputInfo().get("x").getInfo();
      assertEquals(-1, info.getShape()[0], "symbolic batch dimension");
      assertEquals(4, info.getShape()[1]);
    }
  }

  @Test
  void shouldEncodeIntListAndFloatAttributesAndInt64Tensors() throws OrtException {
    // A 2x2 stride-2 convolution with fixed weights, then a mean over spatial axes: the attribute
    // encodings (ints, int, float) and an int64 shape tensor for Reshape all have to be right.
    final OnnxModel.Builder b = OnnxModel.builder("conv");
    b.input("img", ElementType.FLOAT, 1, 1, 4, 4);
    final String conv = b.op("Conv", new String[] {"img", b.constant(Tensor.floats(new float[] {1, 1, 1, 1}, 1, 1, 2, 2))},
        Attribute.ints("kernel_shape", 2, 2), Attribute.ints("strides", 2, 2));
    final String flat = b.op("Reshape", conv, b.constant(Tensor.longs(new long[] {1, 4}, 2)));
    final String scaled = b.op("LeakyRelu", new String[] {b.op("Neg", flat)}, Attribute.of("alpha", 0.5f));
    final String mean = b.op("ReduceMean", new String[] {flat}, Attribute.ints("axes", 1), Attribute.of("keepdims", 0L));
    b.output(scaled, "leaky", ElementType.FLOAT, 1, 4);
    b.output(mean, "mean", ElementType.FLOAT, 1);

    final float[][][][] img = new float[1][1][4][4];
    for (int i = 0; i < 16; i++) {
      img[0][0][i / 4][i % 4] = i;
    }
    final Path file = b.build().write(SharedData.work("onnxwriter").resolve("conv.onnx"));
    try (OrtSession s = ENV.createSession(file.toString(), new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(ENV, img);
        OrtSession.Result r = s.run(Map.of("img", in))) {
      // 2x2 block sums of 0..15 laid out 4x4: 10, 18, 42, 50
      final float[][] leaky = (float[][]) r.get("leaky").get().getValue();
      assertArrayEquals(new float[] {-5, -9, -21, -25}, leaky[0], 1e-5f);
      final float[] avg = (float[]) r.get("mean").get().getValue();
      assertEquals(30f, avg[0], 1e-5f);
    }
  }

  @Test
  void tensor_wrongValueCount_isRefused() {
    final IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tensor.floats(new float[5], 2, 3));
    assertEquals("tensor of shape [2, 3] needs 6 values, got 5", e.getMessage());
  }

  @Test
  void build_withoutOutputs_isRefused() {
    final OnnxModel.Builder b = OnnxModel.builder("empty");
    b.input("x", ElementType.FLOAT, 1);
    assertThrows(IllegalStateException.class, b::build);
  }
}
