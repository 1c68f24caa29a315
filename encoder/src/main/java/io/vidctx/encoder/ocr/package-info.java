/**
 * The on-screen text channel: PP-OCRv4 text detection (DB probability map to boxes) and recognition
 * (CTC over a character dictionary) on ONNX Runtime, with the pre- and post-processing kept apart
 * from the models ({@link io.vidctx.encoder.ocr.DbPostprocessor}, {@link io.vidctx.encoder.ocr.CtcDecoder})
 * so they are tested without one.
 */
@NullMarked
package io.vidctx.encoder.ocr;

import org.jspecify.annotations.NullMarked;
