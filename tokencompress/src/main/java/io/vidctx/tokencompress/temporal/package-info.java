/**
 * Stage 1 of the compressor: the temporal redundancy filter on per-frame global embeddings (LongVU
 * TR, window form and streaming last-kept form), plus the input guard shared with segmentation.
 */
@NullMarked
package io.vidctx.tokencompress.temporal;

import org.jspecify.annotations.NullMarked;
