/**
 * Everything that touches ONNX Runtime: session creation with device and threads ({@link
 * io.vidctx.encoder.onnx.OrtSessions}) and the ONNX-backed encoders. No other package imports {@code
 * ai.onnxruntime}.
 */
@NullMarked
package io.vidctx.encoder.onnx;

import org.jspecify.annotations.NullMarked;
