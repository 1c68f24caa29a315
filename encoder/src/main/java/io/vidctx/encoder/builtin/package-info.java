/**
 * The built-in, training-free default vision encoder: an ONNX graph with fixed kernels that vidctx
 * generates itself (no download, no learned weights) and runs through ONNX Runtime like any model.
 * This package writes the graph and its model folder; it imports no ONNX Runtime class.
 */
@NullMarked
package io.vidctx.encoder.builtin;

import org.jspecify.annotations.NullMarked;
