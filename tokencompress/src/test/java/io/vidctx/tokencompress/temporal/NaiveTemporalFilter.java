package io.vidctx.tokencompress.temporal;

import java.util.ArrayList;
import java.util.List;

/** The filter's rules written plainly over the whole stream at once, for the property test. */
final class NaiveTemporalFilter {
  private NaiveTemporalFilter() {}

  static List<FrameDecision> decide(final TemporalFilterConfig cfg, final long[] pts, final float[][] g) {
    final int n = pts.length;
    final List<FrameDecision> out = new ArrayList<>();
    if (!cfg.enabled()) {
      for (int i = 0; i < n; i++) {
        out.add(FrameDecision.keep(i, pts[i]));
      }
      return out;
    }
    if (cfg.mode() == TemporalFilterConfig.Mode.LAST_KEPT) {
      int last = -1;
      for (int i = 0; i < n; i++) {
        final boolean keep = last < 0 || cosine(g[i], g[last]) < cfg.threshold()
            || (cfg.maxGapMicros() > 0 && pts[i] - pts[last] >= cfg.maxGapMicros());
        if (keep) {
          last = i;
          out.add(FrameDecision.keep(i, pts[i]));
        } else {
          out.add(FrameDecision.drop(i, pts[i], last, pts[last]));
        }
      }
      return out;
    }
    for (int s = 0; s < n; s += cfg.window()) {
      final int e = Math.min(n, s + cfg.window());
      final int mid = s + (e - s) / 2;
      final boolean[] keep = new boolean[e - s];
      boolean any = false;
      for (int j = s; j < e; j++) {
        double sum = 0;
        for (int k = s; k < e; k++) {
          sum += cosine(g[j], g[k]);
        }
        keep[j - s] = (cfg.keepMiddle() && j == mid) || sum / (e - s) < cfg.threshold();
        any |= keep[j - s];
      }
      if (!any) {
        keep[mid - s] = true;
      }
      for (int j = s; j < e; j++) {
        if (keep[j - s]) {
          out.add(FrameDecision.keep(j, pts[j]));
          continue;
        }
        int best = -1;
        for (int k = s; k < e; k++) {
          if (keep[k - s] && (best < 0 || Math.abs(pts[k] - pts[j]) < Math.abs(pts[best] - pts[j]))) {
            best = k;
          }
        }
        out.add(FrameDecision.drop(j, pts[j], best, pts[best]));
      }
    }
    return out;
  }

  static double cosine(final float[] a, final float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
