/**
 * Model management without ONNX Runtime: the catalog of known CLIP-family ONNX exports ({@link
 * io.vidctx.encoder.models.ModelCatalog}), resumable sha256-checked downloads ({@link
 * io.vidctx.encoder.models.ModelDownloader}) and the default cache folder ({@link
 * io.vidctx.encoder.models.ModelCache}).
 */
@NullMarked
package io.vidctx.encoder.models;

import org.jspecify.annotations.NullMarked;
