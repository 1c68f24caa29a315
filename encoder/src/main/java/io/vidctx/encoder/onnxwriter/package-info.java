/**
 * A pure-Java writer for ONNX model files (a hand-encoded protobuf subset), used to generate the
 * built-in encoder and test models. Imports no ONNX Runtime class.
 */
@NullMarked
package io.vidctx.encoder.onnxwriter;

import org.jspecify.annotations.NullMarked;
