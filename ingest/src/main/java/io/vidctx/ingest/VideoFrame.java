package io.vidctx.ingest;

import java.util.Objects;

/**
 * One decoded picture of a stream, as packed RGB24 (row-major, 3 bytes per pixel, no padding).
 *
 * <p>{@code ptsMicros} is the frame's true presentation time in microseconds from the start of the
 * stream; sampled frames keep their own times (nothing is re-timed to a nominal rate). {@code index}
 * counts the frames this source delivered, from 0, so it is dense even when sampling skips frames.
 *
 * <p>The record does not copy {@code rgb}: whoever creates a frame hands the array over and must not
 * change it afterwards. {@code equals} compares the array by identity, as records do.
 */
public record VideoFrame(String streamId, long index, long ptsMicros, int width, int height, byte[] rgb) {

  public VideoFrame {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(rgb, "rgb");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("frame size must be positive, was " + width + "x" + height);
    }
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    if ((long) width * height * 3 != rgb.length) {
      throw new IllegalArgumentException(
          "rgb holds " + rgb.length + " bytes, a " + width + "x" + height + " RGB24 frame needs "
              + ((long) width * height * 3));
    }
  }

  /** Presentation time in seconds, for display. */
  public double seconds() {
    return ptsMicros / 1_000_000.0;
  }

  /** Red, green and blue of pixel (x, y), each 0..255. */
  public int rgbAt(final int x, final int y) {
    final int i = (y * width + x) * 3;
    return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
  }

  @Override
  public String toString() {
    return "VideoFrame[" + streamId + " #" + index + " @" + ptsMicros + "us " + width + "x" + height + "]";
  }
}
