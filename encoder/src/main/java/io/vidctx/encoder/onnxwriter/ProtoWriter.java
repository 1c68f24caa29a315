package io.vidctx.encoder.onnxwriter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/*
 * The protobuf wire format, only as much as ONNX needs: varints (wire type 0), 32-bit floats (wire
 * type 5) and length-delimited fields (wire type 2: strings, bytes and nested messages). A nested message is written into its own ProtoWriter first, because its length prefix
 * must be known before its bytes. Field numbers come from onnx.proto (ONNX IR); see OnnxModel.
 */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  ProtoWriter int64(final int field, final long value) {
    tag(field, VARINT);
    varint(value);
    return this;
  }

  ProtoWriter float32(final int field, final float value) {
    tag(field, FIXED32);
    final int bits = Float.floatToRawIntBits(value);
    out.write(bits);
    out.write(bits >>> 8);
    out.write(bits >>> 16);
    out.write(bits >>> 24);
    return this;
  }

  ProtoWriter string(final int field, final String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter bytes(final int field, final byte[] value) {
    tag(field, LENGTH_DELIMITED);
    varint(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  ProtoWriter message(final int field, final ProtoWriter nested) {
    return bytes(field, nested.toByteArray());
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(final int field, final int wireType) {
    varint(((long) field << 3) | wireType);
  }

  // Negative int64 values take ten bytes, as protobuf specifies (two's complement, unsigned shift).
  private void varint(final long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
