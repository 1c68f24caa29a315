package io.vidctx.encoder.ocr;

import org.jspecify.annotations.Nullable;

/*
 * OCR costs 35-230 ms a frame on a CPU, and on-screen text mostly sits still: a frame that looks like
 * the last OCR'd one keeps its readings. "Looks like": no tile of the two frames' thumbnails differs by
 * more than a threshold. Tiles, not the whole frame: a title card replaced by another on black
 * ("SINTEL" -> "COMING SOON") changes a few tiles a lot and the frame's mean hardly at all. Cheap: one
 * pass over a thumbnail's worth of pixels. OcrSchedule adds cuts and a minimum gap on top of this.
 */

/** Decides whether a frame changed enough since the last OCR'd one to be read again. Not thread-safe. */
public final class FrameChange {
  private final double threshold;
  private @Nullable Thumbnail reference;

  /**
   * @param threshold mean absolute grey difference (0-255) of a thumbnail tile above which a frame counts
   *     as changed (e.g. 4)
   */
  public FrameChange(final double threshold) {
    if (!(threshold >= 0)) {
      throw new IllegalArgumentException("threshold must be >= 0, was " + threshold);
    }
    this.threshold = threshold;
  }

  /** Whether this frame differs from the last one this answered true for (the first frame always does). */
  public boolean changed(final int width, final int height, final byte[] rgb) {
    return changed(Thumbnail.of(width, height, rgb));
  }

  /** As {@link #changed(int, int, byte[])}, for a frame's thumbnail. */
  public boolean changed(final Thumbnail t) {
    if (reference != null && t.maxTileDifference(reference) <= threshold) {
      return false;
    }
    reference = t;
    return true;
  }
}
