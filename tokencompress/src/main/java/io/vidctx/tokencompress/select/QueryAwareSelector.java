package io.vidctx.tokencompress.select;

import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.tokencompress.MemorySegment;
import io.vidctx.tokencompress.TokenBlock;
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
 * 6. On-screen text: the query's phrases are scored against the memory's text tokens (TextMatcher);
 *    a matched text gives the tokens on screen with it a score (match x share of the token's span it
 *    covers), whose softmax is one more relevance channel, fused by the maximum like a query vector.
 *    Without vectors it is the only channel (mode TEXT): what the text points at first, then the
 *    coverage order, so a text question is answered from its moment even without a text tower. The
 *    selection also carries the matched texts and the text on screen during its tokens.
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
  /** Slack added to spans when text is matched to tokens: one frame period of a 1 fps stream. */
  static final long SPAN_SLACK_MICROS = 1_000_000L;

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
    final TextMatches text = matchTexts(index, query);
    final SelectionStats.Mode mode = query.hasVectors() ? SelectionStats.Mode.QUERY
        : text.matched() > 0 ? SelectionStats.Mode.TEXT : SelectionStats.Mode.COVERAGE;
    final boolean coverage = mode == SelectionStats.Mode.COVERAGE;
    if (m == 0) {
      final List<TextHit> hits = textHits(index, text, new int[0]);
      final SelectionStats stats = new SelectionStats(mode, 0, 0, 0, 1, 0, 0, 0, query.tokenBudget(), 0, 0,
          System.nanoTime() - t0, text.matched(), hits.size());
      return new Selection(index.tokens().select(new int[0]), new int[0], new int[0], new float[0], new float[0],
          List.of(), stats, query.range(), index.patchTokensIn(), hits);
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
    Arrays.fill(sim, Float.NaN);
    int scoredCount = 0;
    double entropy = 1;
    double peak;
    float[] onScreen = null;
    if (coverage) {
      Arrays.fill(rel, 1f / c);
      peak = 1.0 / c;
    } else {
      if (query.hasVectors()) {
        final float[][] q = normalised(query);
        markFineSegments(index, q, segCandidates, query.tokenBudget(), c, descSim, fineSeg);
        for (int i = 0; i < c; i++) {
          scored[i] = fineSeg[candSeg[i]];
          if (scored[i]) {
            scoredCount++;
          }
        }
        score(index, cand, scored, scoredCount, q, sim, rel);
      }
      if (text.matched() > 0) {
        onScreen = onScreenScores(index, cand, text);
        scoredCount = fuseText(onScreen, query.hasVectors(), scored, rel, scoredCount);
      }
      peak = 0;
      for (int i = 0; i < c; i++) {
        if (scored[i]) {
          peak = Math.max(peak, rel[i]);
        }
      }
      entropy = normalisedEntropy(rel, scored, scoredCount);
    }
    final int scoredTokens = coverage ? c : scoredCount;

    final double ratio = config.ratio(entropy, peak);
    final int wanted = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (long) Math.ceil(ratio * c)));
    final int cap = query.tokenBudget();

    // Text mode ranks tokens the text points at (their relevance, above 1) before the others, which
    // rank by weight, so the rest of the budget still spreads over the timeline.
    final float[] rank = mode == SelectionStats.Mode.TEXT ? textRank(index, cand, rel, onScreen) : null;

    // Coverage quota: per segment with candidates, its best tokens (relevance, else weight).
    final int[] quotaSegs = segmentsWith(segCandidates);
    final int perSeg = config.coveragePerSegment();
    final long quotaWanted = (long) perSeg * quotaSegs.length;
    final int n = (int) Math.min(cap, Math.min(c, Math.max(wanted, quotaWanted)));
    final boolean[] taken = new boolean[c];
    int kept = 0;
    int quota = 0;
    final long[][] bySeg = perSeg > 0 || coverage || rank != null
        ? rankWithinSegments(cand, candSeg, scored, rank != null ? rank : rel, index, segs.size()) : new long[0][];
    if (perSeg > 0) {
      // With a query, relevance keeps at least half of the kept tokens.
      final int room = coverage ? n : (n + 1) / 2;
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
      final float[] priority = coverage ? coveragePriority(cand, candSeg, bySeg, index)
          : rank != null ? textFill(rank, coveragePriority(cand, candSeg, bySeg, index)) : rel;
      final long[] keys = new long[c - kept];
      int k = 0;
      for (int i = 0; i < c; i++) {
        if (!taken[i]) {
          keys[k++] = key(coverage || scored[i] ? priority[i] : -1f, i);
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
    final List<TextHit> hits = textHits(index, text, memIdx);
    final SelectionStats stats = new SelectionStats(mode, m, c, scoredTokens, entropy, peak, ratio, wanted,
        cap, quota, kept, System.nanoTime() - t0, text.matched(), hits.size());
    return new Selection(index.tokens().select(memIdx), memIdx, segOf, outSim, outRel, scores, stats, query.range(),
        index.patchTokensIn(), hits);
  }

  /** Per text token of the index: its best phrase score, whether it lies in range and matched. */
  private record TextMatches(float[] score, boolean[] inRange, boolean[] isMatch, int matched) {}

  private TextMatches matchTexts(final SelectionIndex index, final SelectionQuery query) {
    final List<TextToken> texts = index.texts();
    final int t = texts.size();
    final boolean[] inRange = new boolean[t];
    final boolean[] matched = new boolean[t];
    final float[] score = query.phrases().isEmpty() || t == 0 ? new float[t]
        : index.lexical().score(query.phrases());
    int count = 0;
    final TimeRange range = query.range();
    for (int k = 0; k < t; k++) {
      final TextToken x = texts.get(k);
      inRange[k] = range == null || range.overlaps(x.startMicros(), x.endMicros());
      matched[k] = inRange[k] && score[k] >= config.textMatch();
      count += matched[k] ? 1 : 0;
    }
    return new TextMatches(score, inRange, matched, count);
  }

  /**
   * Per candidate: the best score of a matched text token on screen during it, scaled from half (the
   * text covers a sliver of the token's span: a centroid of ten minutes) to whole (it covers all of
   * it: a token of the card's own frames), spans taken with a second of slack, the period of a 1 fps
   * stream. A title over a still shot shares its tokens with the shot, so they still count.
   */
  private static float[] onScreenScores(final SelectionIndex index, final int[] cand, final TextMatches text) {
    final float[] out = new float[cand.length];
    final List<TextToken> texts = index.texts();
    final TokenBlock tokens = index.tokens();
    for (int k = 0; k < texts.size(); k++) {
      if (!text.isMatch()[k]) {
        continue;
      }
      final long a = texts.get(k).startMicros();
      final long b = texts.get(k).endMicros();
      for (int i = 0; i < cand.length; i++) {
        final long s = tokens.startPts(cand[i]);
        final long e = tokens.endPts(cand[i]);
        final long overlap = Math.min(e, b) - Math.max(s, a) + SPAN_SLACK_MICROS;
        if (overlap > 0) {
          final double share = Math.min(1, (double) overlap / (e - s + SPAN_SLACK_MICROS));
          final float v = (float) (text.score()[k] * (0.5 + 0.5 * share));
          out[i] = Math.max(out[i], v);
        }
      }
    }
    return out;
  }

  /**
   * The text channel's relevance, softmax over the candidates of score / textTemperature, fused with
   * the vectors' relevance by the maximum (the same rule that fuses several query vectors). Tokens the
   * coarse step skipped but the text points at are scored. Returns the new scored count.
   */
  private int fuseText(final float[] onScreen, final boolean vectors, final boolean[] scored, final float[] rel,
      final int scoredCount) {
    final double invT = 1 / config.textTemperature();
    double max = 0;
    for (final float v : onScreen) {
      max = Math.max(max, v);
    }
    double z = 0;
    for (final float v : onScreen) {
      z += Math.exp((v - max) * invT);
    }
    int count = scoredCount;
    for (int i = 0; i < onScreen.length; i++) {
      final float r = (float) (Math.exp((onScreen[i] - max) * invT) / z);
      if (!vectors || onScreen[i] > 0) {
        if (!scored[i]) {
          scored[i] = true;
          rel[i] = 0;
          count++;
        }
        rel[i] = Math.max(rel[i], r);
      }
    }
    return count;
  }

  /** Text mode: tokens the text points at rank by 2 + relevance, the others by weight scaled below 1. */
  private static float[] textRank(final SelectionIndex index, final int[] cand, final float[] rel,
      final float[] onScreen) {
    float maxWeight = 0;
    for (final int j : cand) {
      maxWeight = Math.max(maxWeight, index.tokens().weight(j));
    }
    final float[] out = new float[cand.length];
    for (int i = 0; i < cand.length; i++) {
      out[i] = onScreen[i] > 0 ? 2 + rel[i] : index.tokens().weight(cand[i]) / (maxWeight + 1);
    }
    return out;
  }

  /** Text mode's fill order: what the text points at first, then the coverage order, scaled below 1. */
  private static float[] textFill(final float[] rank, final float[] coverage) {
    float max = 0;
    for (final float v : coverage) {
      max = Math.max(max, v);
    }
    final float[] out = new float[rank.length];
    for (int i = 0; i < rank.length; i++) {
      out[i] = rank[i] >= 2 ? rank[i] : coverage[i] / (max + 1);
    }
    return out;
  }

  /**
   * The text tokens a selection carries: matched ones, best first, then those on screen during the
   * selected tokens, most confident first; at most the configured count, returned by start time.
   */
  private List<TextHit> textHits(final SelectionIndex index, final TextMatches text, final int[] memIdx) {
    final List<TextToken> texts = index.texts();
    final int cap = config.maxTextTokens();
    if (texts.isEmpty() || cap == 0) {
      return List.of();
    }
    final List<Integer> order = new ArrayList<>();
    for (int k = 0; k < texts.size(); k++) {
      if (text.isMatch()[k]) {
        order.add(k);
      }
    }
    order.sort((x, y) -> Float.compare(text.score()[y], text.score()[x]));
    if (order.size() < cap && memIdx.length > 0) {
      final long[][] spans = mergedSpans(index.tokens(), memIdx);
      final List<Integer> during = new ArrayList<>();
      for (int k = 0; k < texts.size(); k++) {
        if (!text.isMatch()[k] && text.inRange()[k]
            && overlapsAny(spans, texts.get(k).startMicros(), texts.get(k).endMicros())) {
          during.add(k);
        }
      }
      during.sort((x, y) -> Float.compare(texts.get(y).confidence(), texts.get(x).confidence()));
      order.addAll(during);
    }
    final List<Integer> kept = new ArrayList<>(order.subList(0, Math.min(cap, order.size())));
    kept.sort(null);
    final List<TextHit> out = new ArrayList<>(kept.size());
    for (final int k : kept) {
      out.add(new TextHit(k, texts.get(k), text.score()[k], text.isMatch()[k]));
    }
    return out;
  }

  /** The selected tokens' spans merged into disjoint intervals, by start. */
  private static long[][] mergedSpans(final TokenBlock tokens, final int[] memIdx) {
    final long[][] spans = new long[memIdx.length][];
    for (int i = 0; i < memIdx.length; i++) {
      spans[i] = new long[] {tokens.startPts(memIdx[i]), tokens.endPts(memIdx[i])};
    }
    Arrays.sort(spans, (x, y) -> Long.compare(x[0], y[0]));
    final List<long[]> out = new ArrayList<>();
    for (final long[] s : spans) {
      final long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && s[0] <= last[1]) {
        last[1] = Math.max(last[1], s[1]);
      } else {
        out.add(s.clone());
      }
    }
    return out.toArray(new long[0][]);
  }

  private static boolean overlapsAny(final long[][] spans, final long start, final long end) {
    int lo = 0;
    int hi = spans.length - 1;
    // The last span starting at or before end; it or none overlaps, the spans being disjoint and sorted.
    int at = -1;
    while (lo <= hi) {
      final int mid = (lo + hi) >>> 1;
      if (spans[mid][0] <= end) {
        at = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return at >= 0 && spans[at][1] >= start;
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
