/**
 * The JSON model manifest ({@code vidctx-model.json}) that describes an ONNX model folder: the
 * vision side (input, preprocessing, outputs, grid) and the text side (ids, padding, vocabulary).
 */
@NullMarked
package io.vidctx.encoder.manifest;

import org.jspecify.annotations.NullMarked;
