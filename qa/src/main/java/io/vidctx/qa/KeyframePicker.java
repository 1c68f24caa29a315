package io.vidctx.qa;

import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.select.Selection;
import io.vidctx.tokencompress.select.SelectionStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/*
 * Design: a token's score is its weight (the patch tokens it stands for), times its relevance over the
 * mean relevance when the selection had query vectors, so a relevant moment outweighs a long static
 * shot that merely covers much time. Greedy: the best-scoring token's time (the middle of its span)
 * becomes a keyframe unless one is already closer than the minimum separation; then every selected
 * token is credited to its nearest keyframe, which gives each keyframe its share.
 */
/** Picks the frames that hold the most selected weight: what an image-based model is shown. */
public final class KeyframePicker {
  private final int count;

  /** @param count the most keyframes to pick, {@code >= 1} */
  public KeyframePicker(final int count) {
    if (count < 1) {
      throw new IllegalArgumentException("keyframe count must be >= 1, was " + count);
    }
    this.count = count;
  }

  /** Keyframes of a selection, in time order, without images. */
  public List<Keyframe> pick(final Selection selection, final long videoStartMicros, final long videoEndMicros) {
    final int n = selection.size();
    if (n == 0) {
      return List.of();
    }
    final TokenBlock t = selection.tokens();
    final float[] rel = selection.relevance();
    final float[] sim = selection.similarity();
    final boolean query = selection.stats().mode() == SelectionStats.Mode.QUERY;
    double meanRel = 0;
    for (final float r : rel) {
      meanRel += r;
    }
    meanRel = meanRel / n;
    final double[] score = new double[n];
    final long[] time = new long[n];
    for (int i = 0; i < n; i++) {
      score[i] = t.weight(i) * (query && meanRel > 0 ? rel[i] / meanRel : 1);
      time[i] = (long) t.midPts(i);
    }
    final Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i));
    final long span = Math.max(0, videoEndMicros - videoStartMicros);
    final long minSeparation = Math.max(500_000L, span / (4L * count));
    final List<Long> picked = new ArrayList<>();
    for (final int i : order) {
      if (picked.size() == count) {
        break;
      }
      boolean far = true;
      for (final long p : picked) {
        if (Math.abs(p - time[i]) < minSeparation) {
          far = false;
          break;
        }
      }
      if (far) {
        picked.add(time[i]);
      }
    }
    picked.sort(Long::compare);
    final double[] credit = new double[picked.size()];
    final float[] best = new float[picked.size()];
    Arrays.fill(best, Float.NaN);
    double total = 0;
    for (int i = 0; i < n; i++) {
      int nearest = 0;
      for (int k = 1; k < picked.size(); k++) {
        if (Math.abs(picked.get(k) - time[i]) < Math.abs(picked.get(nearest) - time[i])) {
          nearest = k;
        }
      }
      credit[nearest] += score[i];
      total += score[i];
      if (!Float.isNaN(sim[i]) && !(sim[i] <= best[nearest])) {
        best[nearest] = sim[i];
      }
    }
    final List<Keyframe> out = new ArrayList<>(picked.size());
    for (int k = 0; k < picked.size(); k++) {
      out.add(new Keyframe(picked.get(k), total > 0 ? credit[k] / total : 1.0 / picked.size(), best[k], null));
    }
    return out;
  }
}
