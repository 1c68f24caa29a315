package io.vidctx.ingest.video;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.VideoFrame;
import java.util.Optional;

/**
 * Frames from a video file, a URL (rtsp/rtmp/http/https/hls) or a V4L2 camera, decoded by FFmpeg
 * through JavaCV and sampled by presentation time. SKELETON: the ingest-video work fills this in.
 */
public final class VideoFileSource implements FrameSource {

  private VideoFileSource() {}

  /**
   * Opens a video for decoding.
   *
   * @param location a file path, a {@code file:} URI, an {@code rtsp://}, {@code rtmp://}, {@code
   *     http(s)://} (including HLS {@code .m3u8}) URL, or a V4L2 device ({@code /dev/videoN} or
   *     {@code v4l2:///dev/videoN})
   * @throws io.vidctx.ingest.IngestException.SourceNotFoundException missing file
   * @throws io.vidctx.ingest.IngestException.UnsupportedSourceException unsupported scheme, not a
   *     video, empty file
   */
  public static VideoFileSource open(final String location, final DecodeOptions options) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** What the container says (available right after open). */
  public VideoInfo info() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public Optional<VideoFrame> next() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public String describe() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public void close() {}
}
