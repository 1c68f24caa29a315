package io.vidctx.encoder.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import java.util.Locale;
import java.util.Map;

/**
 * Model signatures as text for error messages, e.g. {@code [input_ids int64 [?, 77], attention_mask
 * int64 [?, 77]]}: what a user needs to fix a manifest that names the wrong input or output.
 */
final class OrtSignatures {
  private OrtSignatures() {}

  /** Every named input or output with its element type and shape ({@code ?} for symbolic sizes). */
  static String describe(final Map<String, NodeInfo> infos) {
    final StringBuilder sb = new StringBuilder("[");
    for (final Map.Entry<String, NodeInfo> e : infos.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(e.getKey());
      if (e.getValue().getInfo() instanceof TensorInfo) {
        sb.append(' ').append(describe((TensorInfo) e.getValue().getInfo()));
      } else {
        sb.append(' ').append(e.getValue().getInfo());
      }
    }
    return sb.append(']').toString();
  }

  /** Element type and shape, e.g. {@code float32 [?, 3, 224, 224]}. */
  static String describe(final TensorInfo t) {
    return typeName(t) + " " + shape(t.getShape());
  }

  static String shape(final long[] shape) {
    final StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i > 0 ? ", " : "").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
    }
    return sb.append(']').toString();
  }

  static String typeName(final TensorInfo t) {
    switch (t.onnxType) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT:
        return "float32";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16:
        return "float16";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE:
        return "float64";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8:
        return "uint8";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64:
        return "int64";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32:
        return "int32";
      default:
        return t.onnxType.name().toLowerCase(Locale.ROOT);
    }
  }
}
