/**
 * Text pre-processing for CLIP-family text towers, apart from any model: the byte-level BPE
 * {@link io.vidctx.encoder.text.ClipTokenizer} and its padded, masked {@link
 * io.vidctx.encoder.text.TokenBatch}. No ONNX Runtime here.
 */
@NullMarked
package io.vidctx.encoder.text;

import org.jspecify.annotations.NullMarked;
