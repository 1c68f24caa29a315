package io.vidctx.encoder.onnxwriter;

/**
 * A node attribute (AttributeProto). Build with the static factories; the value kinds are those
 * vidctx graphs need: int, float, string, ints, floats and tensor.
 */
public final class Attribute {
  // AttributeProto.AttributeType
  private static final int FLOAT = 1;
  private static final int INT = 2;
  private static final int STRING = 3;
  private static final int TENSOR = 4;
  private static final int FLOATS = 6;
  private static final int INTS = 7;

  private final String name;
  private final ProtoWriter proto;

  private Attribute(final String name, final ProtoWriter proto) {
    this.name = name;
    this.proto = proto;
  }

  public static Attribute of(final String name, final long value) {
    return new Attribute(name, base(name, INT).int64(3, value));
  }

  public static Attribute of(final String name, final float value) {
    return new Attribute(name, base(name, FLOAT).float32(2, value));
  }

  public static Attribute of(final String name, final String value) {
    return new Attribute(name, base(name, STRING).string(4, value));
  }

  public static Attribute ints(final String name, final long... values) {
    final ProtoWriter p = base(name, INTS);
    // onnx.proto is proto2: repeated scalars unpacked, one tag per value.
    for (final long v : values) {
      p.int64(8, v);
    }
    return new Attribute(name, p);
  }

  public static Attribute floats(final String name, final float... values) {
    final ProtoWriter p = base(name, FLOATS);
    for (final float v : values) {
      p.float32(7, v);
    }
    return new Attribute(name, p);
  }

  public static Attribute tensor(final String name, final Tensor value) {
    return new Attribute(name, base(name, TENSOR).message(5, value.proto("")));
  }

  public String name() {
    return name;
  }

  ProtoWriter proto() {
    return proto;
  }

  private static ProtoWriter base(final String name, final int type) {
    return new ProtoWriter().string(1, name).int64(20, type);
  }
}
