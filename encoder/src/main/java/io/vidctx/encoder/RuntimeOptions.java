package io.vidctx.encoder;

/**
 * How an ONNX model is run.
 *
 * @param device cpu or cuda[:N]
 * @param intraOpThreads threads one inference may use; 0 lets ONNX Runtime choose (all cores)
 * @param batchSize frames (or texts) per inference call; the last batch may be smaller
 */
public record RuntimeOptions(Device device, int intraOpThreads, int batchSize) {
  /** CPU, runtime-chosen threads, batches of 8. */
  public static final RuntimeOptions DEFAULTS = new RuntimeOptions(Device.CPU, 0, 8);

  public RuntimeOptions {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intra-op threads must be >= 0 (0 = automatic), was " + intraOpThreads);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
    }
  }

  public RuntimeOptions withDevice(final Device d) {
    return new RuntimeOptions(d, intraOpThreads, batchSize);
  }

  public RuntimeOptions withIntraOpThreads(final int n) {
    return new RuntimeOptions(device, n, batchSize);
  }

  public RuntimeOptions withBatchSize(final int n) {
    return new RuntimeOptions(device, intraOpThreads, n);
  }
}
