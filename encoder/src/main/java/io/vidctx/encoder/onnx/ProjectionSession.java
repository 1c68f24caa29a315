package io.vidctx.encoder.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.onnxwriter.ElementType;
import io.vidctx.encoder.onnxwriter.OnnxModel;
import io.vidctx.encoder.onnxwriter.Tensor;
import java.nio.FloatBuffer;
import java.util.Map;

/*
 * Why a second session: projecting every patch token ([N*T, D] x [D, E], e.g. 197 x 384 x 512 =
 * 39 M multiply-adds per frame for ViT-S, 115 M for ViT-B) is real model work. In plain Java it took
 * about a third of the model's own time on the benchmark; in ONNX Runtime's GEMM it is a few percent,
 * uses the intra-op threads, and reads the model's output tensor in place (no copy to Java first).
 * The graph is one MatMul generated at open time with the onnxwriter.
 *
 * Threads: the projection runs on the calling thread (intra-op 1, no spinning). A second intra-op
 * pool next to the model's would have the two pools' spin-waiting threads fight for the same cores
 * between the two runs; on the 2-core benchmark machine that cost 16 ms per frame at batch 1.
 */

/** {@code [N, T, D] x [D, E]} in ONNX Runtime on the CPU; thread-safe like the session it holds. */
final class ProjectionSession implements AutoCloseable {
  private static final String IN = "tokens";
  private static final String OUT = "projected";

  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final int dim;
  private boolean closed;

  ProjectionSession(final float[] matrix, final int d, final int e) {
    this.dim = e;
    final OnnxModel.Builder b = OnnxModel.builder("vidctx_projection");
    b.input(IN, ElementType.FLOAT, "n", "t", d);
    b.output(b.op("MatMul", IN, b.constant(Tensor.floats(matrix, d, e))), OUT, ElementType.FLOAT, "n", "t", e);
    final OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    try {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setIntraOpNumThreads(1);
      so.addConfigEntry("session.intra_op.allow_spinning", "0");
      this.session = OrtSessions.environment().createSession(b.build().toByteArray(), so);
      this.options = so;
    } catch (final OrtException ex) {
      so.close();
      throw new EncoderException("cannot create the [" + d + ", " + e + "] projection session: " + ex.getMessage(), ex);
    }
  }

  /** Width of projected tokens. */
  int dim() {
    return dim;
  }

  /** The projected tokens, copied to Java before the native result is released. */
  float[] project(final OnnxTensor tokens) throws OrtException {
    try (OrtSession.Result r = session.run(Map.of(IN, tokens))) {
      final FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
      final float[] out = new float[fb.remaining()];
      fb.get(out);
      return out;
    }
  }

  /** Closes the session, then its options; idempotent. Callers serialise close with use. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.close();
    } catch (final OrtException e) {
      throw new EncoderException("closing the projection session failed: " + e.getMessage(), e);
    } finally {
      options.close();
    }
  }
}
