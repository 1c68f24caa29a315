/** Stage 2 of the compressor: streaming scene segmentation on per-frame global embeddings. */
@NullMarked
package io.vidctx.tokencompress.segment;

import org.jspecify.annotations.NullMarked;
