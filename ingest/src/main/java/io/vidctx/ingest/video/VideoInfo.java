package io.vidctx.ingest.video;

/**
 * What a video container says about itself, for {@code vidctx info} and for progress estimates.
 *
 * @param location the path or URL that was probed
 * @param container FFmpeg's container (demuxer) name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "ogg"
 * @param videoCodec FFmpeg's codec name of the first video stream, e.g. "h264", "vp8", "theora"
 * @param pixelFormat the decoder's pixel format name, e.g. "yuv420p", "yuv444p"
 * @param durationMicros duration, or -1 when the container does not tell (live streams)
 * @param fps the frame rate the container reports (average, else real base rate, else derived from
 *     the stream time base); 0 when nothing is known
 * @param width coded picture width
 * @param height coded picture height
 * @param frameCount frames the container reports, or an estimate from duration × fps; -1 unknown
 * @param streamCount all streams in the container
 * @param videoStreams video streams
 * @param audioStreams audio streams
 * @param bitRate container bit rate in bits/s, 0 when unknown
 */
public record VideoInfo(
    String location,
    String container,
    String videoCodec,
    String pixelFormat,
    long durationMicros,
    double fps,
    int width,
    int height,
    long frameCount,
    int streamCount,
    int videoStreams,
    int audioStreams,
    long bitRate) {

  public double durationSeconds() {
    return durationMicros < 0 ? -1 : durationMicros / 1_000_000.0;
  }
}
