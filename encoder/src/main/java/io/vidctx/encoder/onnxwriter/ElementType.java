package io.vidctx.encoder.onnxwriter;

/** ONNX tensor element types (TensorProto.DataType), those vidctx models use. */
public enum ElementType {
  FLOAT(1),
  UINT8(2),
  INT32(6),
  INT64(7),
  BOOL(9),
  FLOAT16(10);

  private final int code;

  ElementType(final int code) {
    this.code = code;
  }

  /** The TensorProto.DataType number. */
  public int code() {
    return code;
  }
}
