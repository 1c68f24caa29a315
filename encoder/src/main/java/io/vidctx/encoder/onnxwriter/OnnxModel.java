package io.vidctx.encoder.onnxwriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds an ONNX model file in pure Java, so vidctx can generate its built-in encoder and the small
 * CLIP-shaped models its tests run, without Python or a download.
 *
 * <p>Writes the subset of onnx.proto that inference needs: ModelProto (IR version {@value
 * #IR_VERSION}, one default-domain opset), GraphProto with nodes, raw-data initializers, typed inputs
 * and outputs (fixed or symbolic dimensions), and metadata properties. ONNX Runtime is the judge of
 * validity: the tests load every generated model into a real session.
 *
 * <pre>{@code
 * OnnxModel.Builder b = OnnxModel.builder("tiny");
 * b.input("x", ElementType.FLOAT, "batch", 4);
 * String y = b.op("MatMul", "x", b.constant(Tensor.floats(w, 4, 2)));
 * b.output(y, "y", ElementType.FLOAT, "batch", 2);
 * b.build().write(path);
 * }</pre>
 */
public final class OnnxModel {
  /** ONNX IR version 8: supported by every ONNX Runtime since 1.10. */
  public static final int IR_VERSION = 8;
  /** Default opset; 17 has LayerNormalization, enough for CLIP-shaped graphs. */
  public static final int DEFAULT_OPSET = 17;

  private final byte[] bytes;

  private OnnxModel(final byte[] bytes) {
    this.bytes = bytes;
  }

  public static Builder builder(final String graphName) {
    return new Builder(graphName);
  }

  /** The serialized ModelProto. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Writes the model atomically (a temporary file, then a rename), creating parent folders. */
  public Path write(final Path file) {
    try {
      final Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      final Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".part");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot write ONNX model " + file, e);
    }
  }

  /** Collects a graph; not thread-safe, one builder per model. */
  public static final class Builder {
    private final String graphName;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int opset = DEFAULT_OPSET;
    private String producer = "vidctx";
    private String doc = "";
    private int counter;

    private Builder(final String graphName) {
      this.graphName = graphName;
    }

    public Builder opset(final int version) {
      this.opset = version;
      return this;
    }

    public Builder producer(final String name) {
      this.producer = name;
      return this;
    }

    public Builder doc(final String text) {
      this.doc = text;
      return this;
    }

    /** A metadata_props entry (readable through ONNX Runtime's model metadata). */
    public Builder metadata(final String key, final String value) {
      metadata.put(key, value);
      return this;
    }

    /**
     * Declares a graph input. Each dimension is a number (fixed size) or a string (a symbolic
     * dimension such as "batch").
     */
    public Builder input(final String name, final ElementType type, final Object... dims) {
      inputs.add(valueInfo(name, type, dims));
      return this;
    }

    /** Declares {@code value} (a name produced by a node) as a graph output named {@code name}. */
    public Builder output(final String value, final String name, final ElementType type, final Object... dims) {
      if (!value.equals(name)) {
        node("Identity", new String[] {value}, new String[] {name});
      }
      outputs.add(valueInfo(name, type, dims));
      return this;
    }

    /** Adds a named initializer (a constant weight). */
    public Builder initializer(final String name, final Tensor value) {
      initializers.add(value.proto(name));
      return this;
    }

    /** Adds a constant under a fresh name and returns the name. */
    public String constant(final Tensor value) {
      final String name = "const_" + counter++;
      initializer(name, value);
      return name;
    }

    /** Adds a node with explicit output names. */
    public Builder node(final String opType, final String[] in, final String[] out, final Attribute... attributes) {
      // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5
      final ProtoWriter n = new ProtoWriter();
      for (final String i : in) {
        n.string(1, i);
      }
      for (final String o : out) {
        n.string(2, o);
      }
      n.string(3, opType + "_" + counter++).string(4, opType);
      for (final Attribute a : attributes) {
        n.message(5, a.proto());
      }
      nodes.add(n);
      return this;
    }

    /** Adds a single-output node and returns its fresh output name. */
    public String op(final String opType, final String[] in, final Attribute... attributes) {
      final String out = opType.toLowerCase(Locale.ROOT) + "_" + counter++;
      node(opType, in, new String[] {out}, attributes);
      return out;
    }

    /** {@link #op(String, String[], Attribute...)} for the common attribute-free case. */
    public String op(final String opType, final String... in) {
      return op(opType, in, new Attribute[0]);
    }

    public OnnxModel build() {
      if (outputs.isEmpty()) {
        throw new IllegalStateException("graph " + graphName + " has no outputs");
      }
      // GraphProto: node = 1, name = 2, initializer = 5, doc_string = 10, input = 11, output = 12
      final ProtoWriter g = new ProtoWriter();
      nodes.forEach(n -> g.message(1, n));
      g.string(2, graphName);
      initializers.forEach(t -> g.message(5, t));
      if (!doc.isEmpty()) {
        g.string(10, doc);
      }
      inputs.forEach(v -> g.message(11, v));
      outputs.forEach(v -> g.message(12, v));
      // ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8, metadata_props = 14
      final ProtoWriter m = new ProtoWriter()
          .int64(1, IR_VERSION)
          .string(2, producer)
          .message(7, g)
          .message(8, new ProtoWriter().string(1, "").int64(2, opset));
      metadata.forEach((k, v) -> m.message(14, new ProtoWriter().string(1, k).string(2, v)));
      return new OnnxModel(m.toByteArray());
    }

    private static ProtoWriter valueInfo(final String name, final ElementType type, final Object... dims) {
      // TensorShapeProto.Dimension: dim_value = 1, dim_param = 2
      final ProtoWriter shape = new ProtoWriter();
      for (final Object d : dims) {
        final ProtoWriter dim = new ProtoWriter();
        if (d instanceof Number) {
          dim.int64(1, ((Number) d).longValue());
        } else if (d instanceof String) {
          dim.string(2, (String) d);
        } else {
          throw new IllegalArgumentException("dimension of " + name + " must be a number or a name, was " + d);
        }
        shape.message(1, dim);
      }
      // TypeProto.Tensor: elem_type = 1, shape = 2; TypeProto: tensor_type = 1; ValueInfoProto: name = 1, type = 2
      final ProtoWriter tensorType = new ProtoWriter().int64(1, type.code()).message(2, shape);
      return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
  }
}
