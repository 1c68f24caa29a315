package io.vidctx.encoder.preprocess;

/*
 * One axis of a resampling plan. Resize-then-crop (or resize-then-pad) is separable, so a 2-D fit is
 * two of these: for every output position inside the content range, a fixed number of source taps
 * (index + weight) that sum to 1. Output positions outside the content range are padding.
 *
 * Coordinates: output position d maps to position r = d - padStart + cropOffset in the resized image
 * (resized length `resized`), which covers source pixels [r * scale, (r + 1) * scale) with
 * scale = srcLen / resized.
 *   - Shrinking (scale > 1): area average over that interval, edge pixels weighted by their overlap
 *     (OpenCV INTER_AREA); bilinear would alias badly at the 3-6x reductions 720p -> 224 needs.
 *   - Enlarging or same size: bilinear at the pixel centre (r + 0.5) * scale - 0.5, clamped to the
 *     edge (OpenCV INTER_LINEAR, PyTorch align_corners=False).
 */
record Axis(int outLen, int padStart, int contentLen, int taps, int[] index, float[] weight, int srcLo, int srcHi) {

  /**
   * Plans one axis.
   *
   * @param srcLen source pixels along the axis
   * @param outLen output pixels along the axis (model input size)
   * @param resized length the source is scaled to before cropping or padding
   * @param cropOffset resized pixels cut off at the start (centre crop); 0 otherwise
   * @param padStart output pixels of padding at the start (letterbox); 0 otherwise
   */
  static Axis plan(final int srcLen, final int outLen, final int resized, final int cropOffset, final int padStart) {
    final int contentLen = Math.min(outLen - padStart, resized - cropOffset);
    final double scale = (double) srcLen / resized;
    final boolean shrink = scale > 1.0;
    final int taps = shrink ? (int) Math.ceil(scale) + 1 : 2;
    final int[] index = new int[contentLen * taps];
    final float[] weight = new float[contentLen * taps];
    int lo = srcLen;
    int hi = -1;
    for (int i = 0; i < contentLen; i++) {
      final int r = i + cropOffset;
      final int base = i * taps;
      if (shrink) {
        final double a = r * scale;
        final double b = Math.min(srcLen, (r + 1) * scale);
        final int first = (int) Math.floor(a);
        final int last = Math.min(srcLen - 1, (int) Math.ceil(b) - 1);
        for (int k = 0; k < taps; k++) {
          final int s = Math.min(first + k, last);
          index[base + k] = s;
          final double overlap = first + k <= last ? Math.min(b, s + 1.0) - Math.max(a, s) : 0.0;
          weight[base + k] = (float) (Math.max(0.0, overlap) / (b - a));
        }
        lo = Math.min(lo, first);
        hi = Math.max(hi, last);
      } else {
        final double s = Math.max(0.0, Math.min(srcLen - 1.0, (r + 0.5) * scale - 0.5));
        final int s0 = (int) Math.floor(s);
        final int s1 = Math.min(s0 + 1, srcLen - 1);
        final float f = (float) (s - s0);
        index[base] = s0;
        index[base + 1] = s1;
        weight[base] = 1f - f;
        weight[base + 1] = f;
        lo = Math.min(lo, s0);
        hi = Math.max(hi, s1);
      }
    }
    return new Axis(outLen, padStart, contentLen, taps, index, weight, lo, hi);
  }

  /** Whether every output position copies exactly one source pixel, in order, with no padding. */
  boolean identity() {
    if (contentLen != outLen || padStart != 0) {
      return false;
    }
    for (int i = 0; i < contentLen; i++) {
      if (index[i * taps] != i || weight[i * taps] != 1f) {
        return false;
      }
    }
    return true;
  }
}
