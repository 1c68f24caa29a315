package io.vidctx.encoder.onnxwriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Constant tensor data for initializers and Constant nodes, stored as little-endian raw bytes
 * (TensorProto.raw_data), which every ONNX reader accepts for numeric types.
 */
public final class Tensor {
  private final ElementType type;
  private final long[] dims;
  private final byte[] raw;

  private Tensor(final ElementType type, final long[] dims, final byte[] raw) {
    this.type = type;
    this.dims = dims.clone();
    this.raw = raw;
  }

  public static Tensor floats(final float[] data, final long... dims) {
    checkCount(data.length, dims);
    final ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    return new Tensor(ElementType.FLOAT, dims, b.array());
  }

  public static Tensor longs(final long[] data, final long... dims) {
    checkCount(data.length, dims);
    final ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(data);
    return new Tensor(ElementType.INT64, dims, b.array());
  }

  public static Tensor ints(final int[] data, final long... dims) {
    checkCount(data.length, dims);
    final ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(data);
    return new Tensor(ElementType.INT32, dims, b.array());
  }

  /** A one-element float tensor of rank 0 (a scalar). */
  public static Tensor scalar(final float value) {
    return floats(new float[] {value});
  }

  public ElementType type() {
    return type;
  }

  public long[] dims() {
    return dims.clone();
  }

  ProtoWriter proto(final String name) {
    // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9. onnx.proto is proto2, so repeated
    // scalars are written unpacked, one tag per value.
    final ProtoWriter p = new ProtoWriter();
    for (final long d : dims) {
      p.int64(1, d);
    }
    p.int64(2, type.code());
    if (!name.isEmpty()) {
      p.string(8, name);
    }
    return p.bytes(9, raw);
  }

  private static void checkCount(final int count, final long[] dims) {
    final long expected = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    if (expected != count) {
      throw new IllegalArgumentException(
          "tensor of shape " + Arrays.toString(dims) + " needs " + expected + " values, got " + count);
    }
  }
}
