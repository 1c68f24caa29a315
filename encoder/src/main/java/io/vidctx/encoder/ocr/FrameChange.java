package io.vidctx.encoder.ocr;

/*
 * OCR costs 35-230 ms a frame on a CPU, and on-screen text mostly sits still: a frame that looks like
 * the last OCR'd one keeps its readings. "Looks like": on a 64x36 grey thumbnail, no 8x6 tile's mean
 * absolute difference exceeds a threshold. Tiles, not the whole frame: a title card replaced by
 * another on black ("SINTEL" -> "COMING SOON") changes a few tiles a lot and the frame's mean hardly
 * at all. Cheap: one pass over a thumbnail's worth of pixels.
 */

/** Decides whether a frame changed enough since the last OCR'd one to be read again. Not thread-safe. */
public final class FrameChange {
  private static final int TW = 64;
  private static final int TH = 36;
  private static final int TILE_W = 8;
  private static final int TILE_H = 6;

  private final double threshold;
  private float[] reference;

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
    final float[] t = thumbnail(width, height, rgb);
    if (reference != null && maxTileDifference(t, reference) <= threshold) {
      return false;
    }
    reference = t;
    return true;
  }

  private static double maxTileDifference(final float[] a, final float[] b) {
    double max = 0;
    for (int ty = 0; ty < TH; ty += TILE_H) {
      for (int tx = 0; tx < TW; tx += TILE_W) {
        double sum = 0;
        for (int y = ty; y < ty + TILE_H; y++) {
          for (int x = tx; x < tx + TILE_W; x++) {
            sum += Math.abs(a[y * TW + x] - b[y * TW + x]);
          }
        }
        max = Math.max(max, sum / (TILE_W * TILE_H));
      }
    }
    return max;
  }

  private static float[] thumbnail(final int width, final int height, final byte[] rgb) {
    final float[] t = new float[TW * TH];
    for (int ty = 0; ty < TH; ty++) {
      final int y = Math.min(height - 1, (int) ((ty + 0.5) * height / TH));
      for (int tx = 0; tx < TW; tx++) {
        final int x = Math.min(width - 1, (int) ((tx + 0.5) * width / TW));
        final int p = (y * width + x) * 3;
        t[ty * TW + tx] = 0.299f * (rgb[p] & 0xff) + 0.587f * (rgb[p + 1] & 0xff) + 0.114f * (rgb[p + 2] & 0xff);
      }
    }
    return t;
  }
}
