/**
 * Frames in: the {@link io.vidctx.ingest.VideoFrame} record, the {@link io.vidctx.ingest.FrameSource}
 * seam and the module's exceptions. Sources live in {@code video} (files, URLs, cameras) and {@code
 * kafka} (topics); image codecs in {@code image}.
 */
@NullMarked
package io.vidctx.ingest;

import org.jspecify.annotations.NullMarked;
