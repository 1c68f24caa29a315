/**
 * Frames from video files, URLs and V4L2 cameras, decoded by FFmpeg through JavaCV.
 *
 * <p>{@link io.vidctx.ingest.video.VideoFileSource} is the {@link io.vidctx.ingest.FrameSource}: open
 * it with a location and {@link io.vidctx.ingest.video.DecodeOptions} (stream id, target fps, time
 * range, frame limit, output size) in try-with-resources and pull frames. Sampling goes by
 * presentation time, so variable frame rates and containers without an average rate (Ogg) work;
 * scaling to the output size happens inside FFmpeg, and only frames that are delivered get converted
 * to RGB. {@link io.vidctx.ingest.video.VideoProbe} reads container facts ({@link
 * io.vidctx.ingest.video.VideoInfo}) without decoding; {@link io.vidctx.ingest.video.DecodeStats}
 * tells what a source has done, including holes that damaged input left in the time line.
 *
 * <p>Errors are the typed {@link io.vidctx.ingest.IngestException}s: a missing file or refused
 * connection is {@code SourceNotFoundException}; a folder, empty file, unknown URL scheme, text,
 * still image or sound-only file is {@code UnsupportedSourceException}; input that ends well before
 * the duration its container states is {@code CorruptVideoException}, thrown after every readable
 * frame was delivered.
 */
@NullMarked
package io.vidctx.ingest.video;

import org.jspecify.annotations.NullMarked;
