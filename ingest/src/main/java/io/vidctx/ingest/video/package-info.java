/** Frames from video files, URLs and V4L2 cameras, decoded by FFmpeg through JavaCV. */
@NullMarked
package io.vidctx.ingest.video;

import org.jspecify.annotations.NullMarked;
