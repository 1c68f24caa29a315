package io.vidctx.tokencompress.segment;

/** The segmentation rule written plainly over the whole stream, for the property test. */
final class NaiveSegmenter {
  private NaiveSegmenter() {}

  static boolean[] boundaries(final SegmenterConfig cfg, final long[] pts, final float[][] g) {
    final boolean[] open = new boolean[pts.length];
    int start = 0;
    for (int i = 0; i < pts.length; i++) {
      if (i == 0) {
        open[i] = true;
        continue;
      }
      if (!cfg.enabled()) {
        continue;
      }
      final double[] mean = new double[g[i].length];
      for (int j = start; j < i; j++) {
        final double n = norm(g[j]);
        for (int k = 0; k < mean.length; k++) {
          mean[k] += g[j][k] / n;
        }
      }
      final long age = pts[i] - pts[start];
      final boolean leaves = cosine(g[i], mean) < cfg.threshold() && cosine(g[i], toDouble(g[i - 1])) < cfg.threshold();
      open[i] = age >= cfg.maxDurationMicros() || (age >= cfg.minDurationMicros() && leaves);
      if (open[i]) {
        start = i;
      }
    }
    return open;
  }

  private static double[] toDouble(final float[] a) {
    final double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static double norm(final float[] a) {
    double s = 0;
    for (final float v : a) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  private static double cosine(final float[] a, final double[] b) {
    double dot = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      nb += b[i] * b[i];
    }
    return dot / (norm(a) * Math.sqrt(nb));
  }
}
