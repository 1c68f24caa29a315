package io.vidctx.tokencompress.select;

import io.vidctx.tokencompress.MemorySegment;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.merge.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/*
 * Design (DESIGN.md "Query-aware selection", ANCHORS.md S5): training-free QTSplus.
 *
 * 1. Candidates: the tokens whose middle lies in the query's time range (if no token's middle does,
 *    the tokens whose span touches it), so a question about minutes 5-12 never sees minute 20.
 * 2. Coarse to fine: past SelectorConfig.fineCandidates tokens, segments are ranked by the cosine of
 *    their descriptor to the query, and only the best segments' tokens are scored one by one. A
 *    compressed memory (a few thousand tokens) is always scored whole; the coarse step is what keeps
 *    an uncompressed hour (705,600 tokens) affordable.
 * 3. Relevance r_j = max over query vectors of softmax_j(cos / T). Its entropy, normalised by log M,
 *    and its peak set the kept share ρ (flat relevance: a question about the whole video, keep more).
 * 4. Kept count n = min(cap, max(⌈ρM⌉, quota)): the coverage quota (forest) first, one token per
 *    segment by default, its best-matching token; then the most relevant of the rest (trees). The
 *    quota takes at most half of n when there are query vectors; when it cannot cover every segment
 *    it goes to evenly spaced segments, so the whole timeline stays represented.
 * 5. Output in time order (memory order: a memory's tokens are time-ordered).
 *
 * Ordering keys pack (score, index) into one long so a primitive sort ranks without boxing, and
 * ties go to the earlier token: the result is a pure function of memory and query.
 */
/**
 * The default {@link TokenSelector}: relevance by softmax-normalised cosine, adaptive budget from the
 * relevance entropy, a coverage quota per segment, an optional time range, coarse-to-fine scoring
 * for large memories. Stateless and thread-safe.
 */
public final class QueryAwareSelector implements TokenSelector {
  private final SelectorConfig config;

  public QueryAwareSelector(final SelectorConfig config) {
    this.config = config;
  }

  public QueryAwareSelector() {
    this(SelectorConfig.DEFAULTS);
  }

  public SelectorConfig config() {
    return config;
  }

  @Override
  public Selection select(final VideoMemory memory, final SelectionQuery query) {
    return select(SelectionIndex.of(memory), query);
  }

  /** Selects from a prepared index: build it once per memory to ask it many questions. */
  @Override
  public Selection select(final SelectionIndex index, final SelectionQuery query) {
    final long t0 = System.nanoTime();
    final int dim = index.dim();
    for (int l = 0; l < query.vectorCount(); l++) {
      if (query.vectorUnsafe(l).length != dim) {
        throw new IllegalArgumentException("query vector " + l + " has dim " + query.vectorUnsafe(l).length
            + " but the memory's tokens have dim " + dim + ": embed the query with the model that encoded the video");
      }
    }
    final int m = index.size();
    final List<MemorySegment> segs = index.segments();
    if (m == 0) {
      final SelectionStats stats = new SelectionStats(mode(query), 0, 0, 0, 1, 0, 0, 0, query.tokenBudget(), 0, 0,
          System.nanoTime() - t0);
      return new Selection(index.tokens().select(new int[0]), new int[0], new int[0], new float[0], new float[0],
          List.of(), stats, query.range(), index.patchTokensIn());
    }
    final int[] cand = candidates(index, query.range());
    final int c = cand.length;

    // Per candidate: segment, and whether it is scored one by one.
    final int[] candSeg = new int[c];
    final int[] segCandidates = new int[segs.size()];
    for (int i = 0; i < c; i++) {
      candSeg[i] = index.segmentOf(cand[i]);
      segCandidates[candSeg[i]]++;
    }
    final float[] descSim = new float[segs.size()];
    Arrays.fill(descSim, Float.NaN);
    final boolean[] fineSeg = new boolean[segs.size()];
    final float[] sim = new float[c];
    final float[] rel = new float[c];
    final boolean[] scored = new boolean[c];
    int scoredCount = 0;
    double entropy = 1;
    double peak;
    if (query.coverageOnly()) {
      Arrays.fill(sim, Float.NaN);
      Arrays.fill(rel, 1f / c);
      peak = 1.0 / c;
    } else {
      final float[][] q = normalised(query);
      markFineSegments(index, q, segCandidates, query.tokenBudget(), c, descSim, fineSeg);
      for (int i = 0; i < c; i++) {
        scored[i] = fineSeg[candSeg[i]];
        if (scored[i]) {
          scoredCount++;
        }
      }
      peak = score(index, cand, scored, scoredCount, q, sim, rel);
      entropy = normalisedEntropy(rel, scored, scoredCount);
    }
    final int scoredTokens = query.coverageOnly() ? c : scoredCount;

    final double ratio = config.ratio(entropy, peak);
    final int wanted = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (long) Math.ceil(ratio * c)));
    final int cap = query.tokenBudget();

    // Coverage quota: per segment with candidates, its best tokens (relevance, else weight).
    final int[] quotaSegs = segmentsWith(segCandidates);
    final int perSeg = config.coveragePerSegment();
    final long quotaWanted = (long) perSeg * quotaSegs.length;
    final int n = (int) Math.min(cap, Math.min(c, Math.max(wanted, quotaWanted)));
    final boolean[] taken = new boolean[c];
    int kept = 0;
    int quota = 0;
    final long[][] bySeg = perSeg > 0 || query.coverageOnly()
        ? rankWithinSegments(cand, candSeg, scored, rel, index, segs.size()) : new long[0][];
    if (perSeg > 0) {
      // With query vectors, relevance keeps at least half of the kept tokens.
      final int room = query.coverageOnly() ? n : (n + 1) / 2;
      final int[] chosenSegs = quotaWanted <= room ? quotaSegs : evenlySpaced(quotaSegs, Math.max(1, room / perSeg));
      for (final int s : chosenSegs) {
        final long[] ranked = bySeg[s];
        for (int k = 0; k < perSeg && k < ranked.length && kept < room; k++) {
          taken[(int) ranked[k]] = true;
          kept++;
          quota++;
        }
      }
    }
    // Fill with the most relevant of the rest; coverage mode: segments share the rest in proportion to
    // their weight (D'Hondt: a segment's k-th token ranks by weight / (k + 1)), heaviest tokens first.
    if (kept < n) {
      final float[] priority = query.coverageOnly() ? coveragePriority(cand, candSeg, bySeg, index) : rel;
      final long[] keys = new long[c - kept];
      int k = 0;
      for (int i = 0; i < c; i++) {
        if (!taken[i]) {
          keys[k++] = key(query.coverageOnly() || scored[i] ? priority[i] : -1f, i);
        }
      }
      Arrays.sort(keys);
      for (int j = 0; j < keys.length && kept < n; j++) {
        taken[(int) keys[j]] = true;
        kept++;
      }
    }

    final int[] memIdx = new int[kept];
    final int[] segOf = new int[kept];
    final float[] outSim = new float[kept];
    final float[] outRel = new float[kept];
    final int[] selectedPerSeg = new int[segs.size()];
    final float[] bestSim = new float[segs.size()];
    Arrays.fill(bestSim, Float.NaN);
    int o = 0;
    for (int i = 0; i < c; i++) {
      final int s = candSeg[i];
      if (scored[i] && !(sim[i] <= bestSim[s])) {
        bestSim[s] = sim[i];
      }
      if (taken[i]) {
        memIdx[o] = cand[i];
        segOf[o] = s;
        outSim[o] = sim[i];
        outRel[o] = rel[i];
        selectedPerSeg[s]++;
        o++;
      }
    }
    final List<SegmentScore> scores = new ArrayList<>(segs.size());
    for (int s = 0; s < segs.size(); s++) {
      final MemorySegment g = segs.get(s);
      scores.add(new SegmentScore(s, g.startPts(), g.endPts(), g.tokenCount(), segCandidates[s], selectedPerSeg[s],
          g.weight(), descSim[s], bestSim[s]));
    }
    final SelectionStats stats = new SelectionStats(mode(query), m, c, scoredTokens, entropy, peak, ratio, wanted,
        cap, quota, kept, System.nanoTime() - t0);
    return new Selection(index.tokens().select(memIdx), memIdx, segOf, outSim, outRel, scores, stats, query.range(),
        index.patchTokensIn());
  }

  private static SelectionStats.Mode mode(final SelectionQuery q) {
    return q.coverageOnly() ? SelectionStats.Mode.COVERAGE : SelectionStats.Mode.QUERY;
  }

  /** Memory indices of the tokens inside the range, in memory (time) order. */
  private static int[] candidates(final SelectionIndex index, final @Nullable TimeRange range) {
    final int m = index.size();
    if (range == null) {
      final int[] all = new int[m];
      for (int i = 0; i < m; i++) {
        all[i] = i;
      }
      return all;
    }
    if (!range.overlaps(index.startPts(), index.endPts())) {
      throw new IllegalArgumentException("time range " + range + " lies outside the video, which covers "
          + TimeRange.format(index.startPts()) + "-" + TimeRange.format(index.endPts()));
    }
    int[] out = new int[m];
    int k = 0;
    for (int i = 0; i < m; i++) {
      if (range.contains(index.tokens().midPts(i))) {
        out[k++] = i;
      }
    }
    if (k == 0) {
      // A range shorter than the tokens around it (a few seconds inside a clustered hour): take the
      // tokens whose span touches it rather than nothing.
      for (int i = 0; i < m; i++) {
        if (range.overlaps(index.tokens().startPts(i), index.tokens().endPts(i))) {
          out[k++] = i;
        }
      }
    }
    if (k == 0) {
      throw new IllegalArgumentException("no token of the video lies in time range " + range + " (the video covers "
          + TimeRange.format(index.startPts()) + "-" + TimeRange.format(index.endPts()) + " with gaps)");
    }
    out = Arrays.copyOf(out, k);
    return out;
  }

  private static float[][] normalised(final SelectionQuery query) {
    final float[][] q = new float[query.vectorCount()][];
    for (int l = 0; l < q.length; l++) {
      final float[] v = query.vectorUnsafe(l);
      final float inv = (float) (1 / Math.sqrt(Vectors.dot(v, 0, v, 0, v.length)));
      q[l] = new float[v.length];
      for (int k = 0; k < v.length; k++) {
        q[l][k] = v[k] * inv;
      }
    }
    return q;
  }

  /**
   * Coarse step: when the candidates exceed the fine limit, rank segments by descriptor similarity and
   * mark the best ones until they hold enough candidates; otherwise mark every segment. Fills the
   * descriptor similarity of every segment with candidates.
   */
  private void markFineSegments(final SelectionIndex index, final float[][] q, final int[] segCandidates,
      final int cap, final int c, final float[] descSim, final boolean[] fine) {
    final int d = index.dim();
    final float[] desc = index.descriptors();
    int withCandidates = 0;
    for (int s = 0; s < segCandidates.length; s++) {
      if (segCandidates[s] > 0) {
        float best = -Float.MAX_VALUE;
        for (final float[] v : q) {
          best = Math.max(best, Vectors.dot(desc, s * d, v, 0, d));
        }
        descSim[s] = best;
        withCandidates++;
      }
    }
    if (c <= config.fineCandidates()) {
      for (int s = 0; s < segCandidates.length; s++) {
        fine[s] = segCandidates[s] > 0;
      }
      return;
    }
    final long keep = Math.min(cap, (long) Math.ceil(config.maxRatio() * c));
    final long need = Math.max(config.fineCandidates(), 4 * keep);
    final long[] keys = new long[withCandidates];
    int k = 0;
    for (int s = 0; s < segCandidates.length; s++) {
      if (segCandidates[s] > 0) {
        keys[k++] = key(descSim[s], s);
      }
    }
    Arrays.sort(keys);
    long covered = 0;
    for (int j = 0; j < keys.length && covered < need; j++) {
      final int s = (int) keys[j];
      fine[s] = true;
      covered += segCandidates[s];
    }
  }

  /**
   * Fine step: cosine of every scored candidate to every query vector, softmax over the scored
   * candidates per query vector, relevance = the maximum over vectors. Returns the peak relevance.
   */
  private double score(final SelectionIndex index, final int[] cand, final boolean[] scored, final int scoredCount,
      final float[][] q, final float[] sim, final float[] rel) {
    final int d = index.dim();
    final int nq = q.length;
    final float[] emb = index.embeddings();
    final float[] s = new float[scoredCount * nq];
    final float[] max = new float[nq];
    Arrays.fill(max, -Float.MAX_VALUE);
    final float[] acc = new float[nq];
    int r = 0;
    for (int i = 0; i < cand.length; i++) {
      if (!scored[i]) {
        sim[i] = Float.NaN;
        continue;
      }
      final int j = cand[i];
      final float inv = index.invNorm(j);
      float best = -Float.MAX_VALUE;
      // Four query vectors per pass over the token's embedding: one load feeds four independent
      // multiply-add chains (a dot product per vector was 16 of 18 ms per select for 16 x 512-d
      // vectors on a 1-hour memory; SelectionBenchmark).
      final int o = j * d;
      int l = 0;
      for (; l + 3 < nq; l += 4) {
        final float[] q0 = q[l];
        final float[] q1 = q[l + 1];
        final float[] q2 = q[l + 2];
        final float[] q3 = q[l + 3];
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        for (int k = 0; k < d; k++) {
          final float e = emb[o + k];
          s0 += e * q0[k];
          s1 += e * q1[k];
          s2 += e * q2[k];
          s3 += e * q3[k];
        }
        acc[l] = s0;
        acc[l + 1] = s1;
        acc[l + 2] = s2;
        acc[l + 3] = s3;
      }
      for (; l < nq; l++) {
        acc[l] = Vectors.dot(emb, o, q[l], 0, d);
      }
      for (l = 0; l < nq; l++) {
        final float v = acc[l] * inv;
        s[r * nq + l] = v;
        max[l] = Math.max(max[l], v);
        best = Math.max(best, v);
      }
      sim[i] = best;
      r++;
    }
    final double invT = 1 / config.temperatureFor(d);
    final double[] z = new double[nq];
    for (int x = 0; x < scoredCount; x++) {
      for (int l = 0; l < nq; l++) {
        final double e = Math.exp((s[x * nq + l] - max[l]) * invT);
        s[x * nq + l] = (float) e;
        z[l] += e;
      }
    }
    double peak = 0;
    r = 0;
    for (int i = 0; i < cand.length; i++) {
      if (!scored[i]) {
        continue;
      }
      double best = 0;
      for (int l = 0; l < nq; l++) {
        best = Math.max(best, s[r * nq + l] / z[l]);
      }
      rel[i] = (float) best;
      peak = Math.max(peak, best);
      r++;
    }
    return peak;
  }

  /** Entropy of the scored relevances as a distribution, over log(count): 1 flat, 0 one token. */
  private static double normalisedEntropy(final float[] rel, final boolean[] scored, final int count) {
    if (count <= 1) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < rel.length; i++) {
      if (scored[i]) {
        sum += rel[i];
      }
    }
    double h = 0;
    for (int i = 0; i < rel.length; i++) {
      if (scored[i] && rel[i] > 0) {
        final double p = rel[i] / sum;
        h -= p * Math.log(p);
      }
    }
    return Math.min(1, Math.max(0, h / Math.log(count)));
  }

  private static int[] segmentsWith(final int[] segCandidates) {
    int n = 0;
    for (final int x : segCandidates) {
      if (x > 0) {
        n++;
      }
    }
    final int[] out = new int[n];
    int k = 0;
    for (int s = 0; s < segCandidates.length; s++) {
      if (segCandidates[s] > 0) {
        out[k++] = s;
      }
    }
    return out;
  }

  /** {@code count} of {@code from}, evenly spaced (the middles of equal slices). */
  private static int[] evenlySpaced(final int[] from, final int count) {
    final int k = Math.min(count, from.length);
    final int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = from[(int) (((long) 2 * i + 1) * from.length / (2L * k))];
    }
    return out;
  }

  /** Per segment, its candidates ranked best first (relevance when scored, else weight); as candidate positions. */
  private static long[][] rankWithinSegments(final int[] cand, final int[] candSeg, final boolean[] scored,
      final float[] rel, final SelectionIndex index, final int segments) {
    final int[] count = new int[segments];
    for (final int s : candSeg) {
      count[s]++;
    }
    final long[][] out = new long[segments][];
    for (int s = 0; s < segments; s++) {
      out[s] = new long[count[s]];
    }
    final int[] fill = new int[segments];
    for (int i = 0; i < cand.length; i++) {
      final int s = candSeg[i];
      // A segment is scored whole or not at all, so relevance and weight never compete in one ranking.
      final float score = scored[i] ? rel[i] : index.tokens().weight(cand[i]);
      out[s][fill[s]++] = key(score, i);
    }
    for (final long[] a : out) {
      Arrays.sort(a);
      for (int j = 0; j < a.length; j++) {
        a[j] = (int) a[j];
      }
    }
    return out;
  }

  /** Per candidate: its segment's candidate weight over (its weight rank in the segment + 1). */
  private static float[] coveragePriority(final int[] cand, final int[] candSeg, final long[][] bySeg,
      final SelectionIndex index) {
    final double[] segWeight = new double[bySeg.length];
    for (int i = 0; i < cand.length; i++) {
      segWeight[candSeg[i]] += index.tokens().weight(cand[i]);
    }
    final float[] p = new float[cand.length];
    for (final long[] ranked : bySeg) {
      for (int r = 0; r < ranked.length; r++) {
        final int i = (int) ranked[r];
        p[i] = (float) (segWeight[candSeg[i]] / (r + 1));
      }
    }
    return p;
  }

  /**
   * Sort key: ascending order of keys is descending {@code score}, ties by ascending {@code i}. The
   * low 32 bits hold {@code i}.
   */
  static long key(final float score, final int i) {
    int bits = Float.floatToIntBits(score == 0f ? 0f : score);
    // Map the float's bits to an int that orders like the float, then invert for descending order.
    bits = bits < 0 ? ~bits : bits | Integer.MIN_VALUE;
    final long desc = ~bits & 0xFFFFFFFFL;
    // Flip the sign bit so that Arrays.sort's signed order is the unsigned order of (desc, i).
    return (desc << 32 | (i & 0xFFFFFFFFL)) ^ Long.MIN_VALUE;
  }
}
