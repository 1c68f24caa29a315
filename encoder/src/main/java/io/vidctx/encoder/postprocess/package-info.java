/**
 * Pure-Java postprocessing of vision model outputs into {@link io.vidctx.encoder.FrameTokens}: CLS
 * token removal, optional projection, pooling and L2 normalisation. No ONNX Runtime here.
 */
@NullMarked
package io.vidctx.encoder.postprocess;

import org.jspecify.annotations.NullMarked;
