/**
 * Pure-Java image preprocessing for vision models: fitting a frame to the model's input size
 * (centre crop, stretch, letterbox), scaling, mean/std normalisation and channel order, written as
 * NCHW floats straight into a batch buffer. No ONNX Runtime here, so it is unit-testable on its own.
 */
@NullMarked
package io.vidctx.encoder.preprocess;

import org.jspecify.annotations.NullMarked;
