package io.vidctx.ingest.video;

/**
 * How to read a video: which stream id to stamp on frames, sampling, limits and output size.
 *
 * @param streamId stream id written into every {@link io.vidctx.ingest.VideoFrame}
 * @param fps target sampling rate by presentation time; 0 delivers every decoded frame
 * @param startMicros first presentation time to deliver (frames before it are skipped; the source
 *     seeks when it can)
 * @param endMicros stop before this presentation time; {@code -1} reads to the end
 * @param maxFrames stop after this many delivered frames; {@code -1} for no limit
 * @param width output width scaled inside FFmpeg; 0 keeps the source width (or keeps the aspect
 *     ratio when only {@code height} is given)
 * @param height output height, same rules as {@code width}
 */
public record DecodeOptions(
    String streamId, double fps, long startMicros, long endMicros, long maxFrames, int width, int height) {

  /** Every frame of the whole video at its native size, stream id "video". */
  public static final DecodeOptions DEFAULTS = new DecodeOptions("video", 0, 0, -1, -1, 0, 0);

  public DecodeOptions {
    if (streamId == null || streamId.isBlank()) {
      throw new IllegalArgumentException("streamId must not be blank");
    }
    if (!(fps >= 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be >= 0 (0 = every frame), was " + fps);
    }
    if (startMicros < 0) {
      throw new IllegalArgumentException("start must be >= 0, was " + startMicros + " us");
    }
    if (endMicros != -1 && endMicros <= startMicros) {
      throw new IllegalArgumentException(
          "end (" + endMicros + " us) must be after start (" + startMicros + " us), or -1 for the whole video");
    }
    if (maxFrames < -1 || maxFrames == 0) {
      throw new IllegalArgumentException("maxFrames must be positive, or -1 for no limit; was " + maxFrames);
    }
    if (width < 0 || height < 0) {
      throw new IllegalArgumentException("output size must be >= 0, was " + width + "x" + height);
    }
  }

  public DecodeOptions withStreamId(final String id) {
    return new DecodeOptions(id, fps, startMicros, endMicros, maxFrames, width, height);
  }

  public DecodeOptions withFps(final double f) {
    return new DecodeOptions(streamId, f, startMicros, endMicros, maxFrames, width, height);
  }

  public DecodeOptions withRange(final long start, final long end) {
    return new DecodeOptions(streamId, fps, start, end, maxFrames, width, height);
  }

  public DecodeOptions withMaxFrames(final long max) {
    return new DecodeOptions(streamId, fps, startMicros, endMicros, max, width, height);
  }

  public DecodeOptions withSize(final int w, final int h) {
    return new DecodeOptions(streamId, fps, startMicros, endMicros, maxFrames, w, h);
  }
}
