package io.vidctx.tokencompress.memory;

import io.vidctx.tokencompress.CompressedUnit;
import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.merge.MergeOutput;
import io.vidctx.tokencompress.merge.WeightedKMeans;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/*
 * Stage 5 of DESIGN.md "tokencompress" (Flash-VStream CSM/DAM, ANCHORS.md section 4, spec S6), per
 * stream. Units from stage 4 flow through three tiers; a token is in exactly one of them, so the
 * weights of all tiers add up to the patch tokens that went in:
 *
 *   recent   the newest recentUnits units, as stage 4 made them (Flash-VStream v1's spatial memory,
 *            LiveVLM's short-term window). The oldest leaves for...
 *   detail   ...up to detailUnits older units at full unit resolution. When one too many, the most
 *            redundant one (highest cosine of its descriptor, the weighted mean of its tokens, to
 *            any other detail unit; the older on a tie) leaves for the synopsis. Flash-VStream's
 *            DAM picks the units nearest the heaviest centroids after the fact, which needs the
 *            whole video kept; a bounded stream must decide at eviction, and keeping the most
 *            distinct units is the streaming rule that keeps rare events (a needle) at full
 *            resolution longest.
 *   synopsis per segment entry, weighted k-means centroids of everything evicted from detail,
 *            ordered by time (Flash-VStream CSM's kmeans_ordered). Clustering runs within one entry
 *            only, so a centroid's span never crosses a scene boundary (purity for needle recall),
 *            and every entry keeps at least one token. Each update is deterministic weighted
 *            k-means over the entry's previous centroids (with their weights) plus the new tokens,
 *            initialised from the previous centroids (spec S6).
 *
 * Entries: one per segment (scene) of the compressor, in time order, created when the segment's
 * first unit leaves the recent window. More than maxSegments entries: the most similar adjacent
 * pair (cosine of their descriptors; the earlier pair on a tie) is coalesced and its synopsis
 * re-clustered (Flash-VStream's "merge" of temporally adjacent centroids, at scene level).
 *
 * Budget: recent + detail + synopsis + one unit's worth reserved for the unit stage 4 is still
 * building (a snapshot shows it) never exceeds tokenBudget. The synopsis gets what recent and
 * detail leave; when that is less than one token per entry, detail units are evicted. The synopsis
 * share is spread over entries as 1 + floor(spare * sqrt(w_e) / sum sqrt(w)), capped at
 * maxTokensPerSegment: the square root of an entry's weight (patch tokens absorbed) gives long
 * scenes more tokens but short ones, a needle among them, more per second. An entry that takes
 * new tokens is clustered straight to its share; when the synopsis is still over capacity, the
 * entry furthest above its share is re-clustered down to it (initialised from its heaviest
 * centroids), and so on until it fits, so each unit touches few entries.
 *
 * Cost per unit in steady state: O(detailUnits^2 * dim) for the redundancy scan (unit and entry
 * descriptors are cached) and a few k-means runs of at most maxTokensPerSegment + unit tokens
 * points (TieredMemoryBenchmark: about 1 ms per 128-token unit at 512 dims). State:
 * O(tokenBudget * dim) whatever the stream length.
 */

/**
 * The bounded memory of one stream: a recent window, representative units at full resolution and
 * a time-ordered weighted synopsis per segment, under one token budget. Deterministic: the same
 * units give the same state, also across {@link #writeTo} / {@link #readFrom}. Not thread-safe.
 */
public final class TieredMemory {
  private static final byte FORMAT_VERSION = 1;
  private static final float KMEANS_TOLERANCE = 1e-6f;

  private final MemoryConfig config;
  private final int unitTokens;
  private final WeightedKMeans kmeans;
  private final MergeOutput scratch = new MergeOutput();
  private final ArrayDeque<Unit> recent = new ArrayDeque<>();
  private final List<Unit> detail = new ArrayList<>();
  private final List<Entry> entries = new ArrayList<>();

  private long unitsIn;
  private long tokensIn;
  private long keptFramesIn;
  private long detailEvictions;
  private long coalesced;
  private long nanos;
  private int recentTokens;
  private int detailTokens;
  private int synopsisTokens;

  /** A unit held at full unit resolution (recent or detail tier). */
  private static final class Unit {
    final long sequence;
    final long segment;
    final int keptFrames;
    final TokenBlock tokens;
    float[] descriptor;

    Unit(final long sequence, final long segment, final int keptFrames, final TokenBlock tokens) {
      this.sequence = sequence;
      this.segment = segment;
      this.keptFrames = keptFrames;
      this.tokens = tokens;
    }
  }

  /** One segment (or a run of coalesced ones) of the long-term tiers. */
  private static final class Entry {
    long firstSegment;
    long lastSegment;
    TokenBlock synopsis;
    /** The synopsis's total weight (patch tokens), kept with it. */
    long weight;
    /** Unit-length weighted mean of the synopsis and the entry's detail units; null when stale. */
    float[] descriptor;

    Entry(final long firstSegment, final long lastSegment, final TokenBlock synopsis) {
      this.firstSegment = firstSegment;
      this.lastSegment = lastSegment;
      setSynopsis(synopsis);
    }

    void setSynopsis(final TokenBlock b) {
      synopsis = b;
      weight = b.totalWeight();
      descriptor = null;
    }

    boolean contains(final long segment) {
      return segment >= firstSegment && segment <= lastSegment;
    }
  }

  /**
   * A memory for units of at most {@code unitTokens} tokens.
   *
   * @throws IllegalArgumentException when the budget cannot hold the recent window and one token per
   *     segment (see {@link MemoryConfig#requireFits})
   */
  public TieredMemory(final MemoryConfig config, final int unitTokens) {
    this.config = Objects.requireNonNull(config, "config");
    if (unitTokens < 1) {
      throw new IllegalArgumentException("unitTokens must be at least 1, was " + unitTokens);
    }
    config.requireFits(unitTokens);
    this.unitTokens = unitTokens;
    this.kmeans = new WeightedKMeans(
        new WeightedKMeans.Config(config.maxTokensPerSegment(), config.kmeansIterations(), KMEANS_TOLERANCE));
  }

  public MemoryConfig config() {
    return config;
  }

  /**
   * Takes the stream's next unit (units come in stream order, as stage 4 emits them) and brings the
   * memory back under its budget.
   *
   * @throws IllegalArgumentException for a unit of more than the promised tokens or out of segment
   *     order; nothing changes then
   */
  public void add(final CompressedUnit unit) {
    final long t0 = System.nanoTime();
    final TokenBlock t = unit.tokens();
    if (t.size() > unitTokens || t.size() == 0) {
      throw new IllegalArgumentException("unit of segment " + unit.segment() + " has " + t.size()
          + " tokens, this memory was sized for 1 to " + unitTokens + ": feed it the units of a StreamingCompressor "
          + "whose chunkFrames x tokensPerFrame is at most that");
    }
    final Unit last = recent.peekLast();
    if (last != null && unit.segment() < last.segment) {
      throw new IllegalArgumentException("unit of segment " + unit.segment() + " after one of segment "
          + last.segment + ": units must come in stream order");
    }
    recent.addLast(new Unit(unitsIn, unit.segment(), unit.keptFrames(), t));
    unitsIn++;
    tokensIn += t.size();
    keptFramesIn += unit.keptFrames();
    recentTokens += t.size();
    if (config.enabled()) {
      while (recent.size() > config.recentUnits()) {
        toLongTerm(recent.pollFirst());
      }
      enforceBudget();
    }
    nanos += System.nanoTime() - t0;
  }

  /** Tokens held now in all tiers (the unit still being built upstream not included). */
  public int tokenCount() {
    return recentTokens + detailTokens + synopsisTokens;
  }

  /** The most tokens the tiers may hold, leaving room for the unit still being built. */
  public int tierBudget() {
    return config.tokenBudget() - unitTokens;
  }

  /** Counters so far. */
  public MemoryStats stats() {
    return new MemoryStats(unitsIn, keptFramesIn, tokensIn, recent.size(), recentTokens, detail.size(), detailTokens,
        entries.size(), synopsisTokens, detailEvictions, coalesced, nanos);
  }

  /**
   * The memory's content in time order, with {@code tail} (units stage 4 is still building, in
   * stream order, not stored here) appended as recent units.
   */
  public List<Group> groups(final List<CompressedUnit> tail) {
    final List<Group> out = new ArrayList<>();
    final List<Unit> young = new ArrayList<>(recent);
    long seq = unitsIn;
    for (final CompressedUnit u : tail) {
      young.add(new Unit(seq++, u.segment(), u.keptFrames(), u.tokens()));
    }
    int d = 0;
    int y = 0;
    for (final Entry e : entries) {
      final Group g = new Group(e.firstSegment, e.lastSegment);
      g.add(e.synopsis, Tier.SYNOPSIS);
      for (; d < detail.size() && e.contains(detail.get(d).segment); d++) {
        g.add(detail.get(d).tokens, Tier.DETAIL);
      }
      for (; y < young.size() && e.contains(young.get(y).segment); y++) {
        g.add(young.get(y).tokens, Tier.RECENT);
      }
      out.add(g);
    }
    if (d != detail.size()) {
      throw new IllegalStateException("detail unit of segment " + detail.get(d).segment + " outside every entry");
    }
    Group g = null;
    for (; y < young.size(); y++) {
      final Unit u = young.get(y);
      if (g == null || u.segment != g.firstSegment) {
        g = new Group(u.segment, u.segment);
        out.add(g);
      }
      g.add(u.tokens, Tier.RECENT);
    }
    return out;
  }

  /** Tokens of one segment (or coalesced run of segments) in tier order, not yet sorted by time. */
  public static final class Group {
    private final long firstSegment;
    private final long lastSegment;
    private final List<TokenBlock> blocks = new ArrayList<>();
    private final List<Tier> tiers = new ArrayList<>();

    Group(final long firstSegment, final long lastSegment) {
      this.firstSegment = firstSegment;
      this.lastSegment = lastSegment;
    }

    void add(final TokenBlock b, final Tier tier) {
      if (b.size() > 0) {
        blocks.add(b);
        tiers.add(tier);
      }
    }

    public long firstSegment() {
      return firstSegment;
    }

    public long lastSegment() {
      return lastSegment;
    }

    /** The blocks of this group (the memory's own blocks, not copies: read only). */
    public List<TokenBlock> blocks() {
      return Collections.unmodifiableList(blocks);
    }

    /** The tier of each block. */
    public List<Tier> tiers() {
      return Collections.unmodifiableList(tiers);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Tier moves

  private void toLongTerm(final Unit u) {
    recentTokens -= u.tokens.size();
    final Entry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
    if (last == null || u.segment > last.lastSegment) {
      entries.add(new Entry(u.segment, u.segment, emptyBlock(u.tokens)));
    } else {
      last.descriptor = null;
    }
    detail.add(u);
    detailTokens += u.tokens.size();
  }

  private void enforceBudget() {
    while (detail.size() > config.detailUnits()) {
      evictDetail();
    }
    while (entries.size() > config.maxSegments()) {
      coalesceMostSimilar();
    }
    // The synopsis needs one token per entry; detail gives way first, then entries coalesce.
    while (tierBudget() - recentTokens - detailTokens < entries.size()) {
      if (!detail.isEmpty()) {
        evictDetail();
      } else {
        coalesceMostSimilar();
      }
    }
    final int capacity = synopsisCapacity();
    if (synopsisTokens > capacity) {
      shrinkSynopsis(capacity);
    }
  }

  /** Moves the most redundant detail unit into its entry's synopsis. */
  private void evictDetail() {
    int victim = 0;
    if (detail.size() > 1) {
      double worst = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < detail.size(); i++) {
        final float[] a = descriptor(detail.get(i));
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < detail.size(); j++) {
          if (j != i) {
            best = Math.max(best, dot(a, descriptor(detail.get(j))));
          }
        }
        // Strict: the older unit wins a tie, so it goes first.
        if (best > worst) {
          worst = best;
          victim = i;
        }
      }
    }
    final Unit u = detail.remove(victim);
    detailTokens -= u.tokens.size();
    detailEvictions++;
    final Entry e = entryOf(u.segment);
    final TokenBlock merged = concat(e.synopsis, u.tokens);
    // Straight to the entry's share of the synopsis, so it is not clustered twice.
    final int k = share(e, merged.totalWeight(), synopsisCapacity());
    replaceSynopsis(e, merged, k, e.synopsis.size());
  }

  /** {@code a} then {@code b} in one new block, sized once. */
  private static TokenBlock concat(final TokenBlock a, final TokenBlock b) {
    final TokenBlock out = new TokenBlock(a.dim(), a.gridH(), a.gridW(), a.size() + b.size());
    out.appendAll(a);
    out.appendAll(b);
    return out;
  }

  /** Coalesces the adjacent pair of entries whose descriptors are most alike. */
  private void coalesceMostSimilar() {
    if (entries.size() < 2) {
      throw new IllegalStateException("memory budget cannot hold one token per segment even with one segment");
    }
    int best = 0;
    double bestSim = Double.NEGATIVE_INFINITY;
    float[] prev = entryDescriptor(0);
    for (int i = 0; i + 1 < entries.size(); i++) {
      final float[] next = entryDescriptor(i + 1);
      final double s = dot(prev, next);
      if (s > bestSim) {
        bestSim = s;
        best = i;
      }
      prev = next;
    }
    final Entry a = entries.get(best);
    final Entry b = entries.remove(best + 1);
    a.lastSegment = b.lastSegment;
    coalesced++;
    synopsisTokens -= b.synopsis.size();
    final TokenBlock merged = concat(a.synopsis, b.synopsis);
    a.descriptor = null;
    if (merged.size() == 0) {
      return;
    }
    // Initialised from both entries' centroids, the heaviest ones when there are too many.
    replaceSynopsis(a, merged, share(a, merged.totalWeight(), synopsisCapacity()), merged.size());
  }

  /** Synopsis tokens the budget leaves after the recent and detail tiers. */
  private int synopsisCapacity() {
    return tierBudget() - recentTokens - detailTokens;
  }

  /**
   * Entry {@code e}'s share of {@code capacity} synopsis tokens were its weight {@code weight}: 1 +
   * floor(spare * sqrt(w_e) / sum sqrt(w)) over the entries holding a synopsis, capped at
   * maxTokensPerSegment. The shares of all entries add up to at most the capacity.
   */
  private int share(final Entry e, final long weight, final int capacity) {
    int live = 0;
    double rootSum = 0;
    for (final Entry x : entries) {
      final long w = x == e ? weight : x.weight;
      if (w > 0) {
        live++;
        rootSum += Math.sqrt(w);
      }
    }
    return share(weight, capacity - live, rootSum);
  }

  private int share(final long weight, final int spare, final double rootSum) {
    final long s = 1 + (long) Math.floor(Math.max(0, spare) * Math.sqrt(weight) / rootSum);
    return (int) Math.min(s, config.maxTokensPerSegment());
  }

  /**
   * Brings the synopsis down to {@code capacity} tokens: entries above their share give way, the one
   * furthest above first (the earlier on a tie), each re-clustered to its share, until it fits.
   */
  private void shrinkSynopsis(final int capacity) {
    int live = 0;
    double rootSum = 0;
    for (final Entry e : entries) {
      if (e.weight > 0) {
        live++;
        rootSum += Math.sqrt(e.weight);
      }
    }
    final int spare = capacity - live;
    while (synopsisTokens > capacity) {
      Entry worst = null;
      int worstTarget = 0;
      int surplus = 0;
      for (final Entry e : entries) {
        if (e.weight == 0) {
          continue;
        }
        final int target = share(e.weight, spare, rootSum);
        if (e.synopsis.size() - target > surplus) {
          surplus = e.synopsis.size() - target;
          worst = e;
          worstTarget = target;
        }
      }
      if (worst == null) {
        throw new IllegalStateException("synopsis of " + synopsisTokens + " tokens over its capacity " + capacity
            + " with every segment within its share");
      }
      replaceSynopsis(worst, worst.synopsis, worstTarget, worst.synopsis.size());
    }
  }

  /**
   * Sets {@code e}'s synopsis to at most {@code k} weighted k-means centroids of {@code points},
   * initialised from the heaviest of its first {@code initFrom} tokens (the previous centroids) in
   * time order. No clustering when the points already fit.
   */
  private void replaceSynopsis(final Entry e, final TokenBlock points, final int k, final int initFrom) {
    synopsisTokens -= e.synopsis.size();
    TokenBlock next = points;
    if (points.size() > k) {
      final int n = points.size();
      final int dim = points.dim();
      // One extra coordinate: the token's time within the points' span, scaled so that the whole
      // span weighs timeWeight x the points' weighted variance (their mean squared distance to
      // their mean) in squared distance, whatever the encoder's scale. Clusters then stay compact
      // in time as well as alike, and a short event is not averaged into the same-looking rest.
      final int d = dim + 1;
      long t0 = Long.MAX_VALUE;
      long t1 = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        t0 = Math.min(t0, points.startPts(i));
        t1 = Math.max(t1, points.endPts(i));
      }
      final double scale = Math.sqrt(config.timeWeight() * variance(points)) / Math.max(1, t1 - t0);
      final float[] flat = new float[n * d];
      final double[] times = new double[n];
      for (int i = 0; i < n; i++) {
        times[i] = points.midPts(i);
        points.copyEmbedding(i, flat, i * d);
        flat[i * d + dim] = (float) ((times[i] - t0) * scale);
      }
      final int[] init = heaviest(points, initFrom, seedsFromPrevious(points, initFrom, k));
      final float[] initFlat = new float[init.length * d];
      for (int j = 0; j < init.length; j++) {
        System.arraycopy(flat, init[j] * d, initFlat, j * d, d);
      }
      kmeans.cluster(flat, n, d, points.weights(), times, initFlat, init.length, k, scratch);
      final int m = scratch.count();
      final float[] centroids = scratch.embeddings();
      final float[] emb = new float[m * dim];
      for (int j = 0; j < m; j++) {
        System.arraycopy(centroids, j * d, emb, j * dim, dim);
      }
      next = points.merge(scratch.assignmentCopy(), m, emb);
    } else if (!points.isTimeOrdered()) {
      next = points.sortedByTime();
    }
    e.setSynopsis(next);
    synopsisTokens += next.size();
  }

  /**
   * How many of the previous centroids (the first {@code previous} points) initialise a k-means of
   * {@code k}: all that fit when nothing new came, else at most k minus the new tokens' weight share
   * of k (at least one). Seeding with every previous centroid would leave new content no cluster
   * of its own (each previous centroid keeps its cluster, the new tokens can only join them, and
   * every span grows to the whole entry); the free seeds go by the weighted farthest-point rule to
   * what the previous centroids explain worst, while similar previous centroids merge.
   */
  private static int seedsFromPrevious(final TokenBlock points, final int previous, final int k) {
    if (previous >= points.size()) {
      return Math.min(k, previous);
    }
    long old = 0;
    for (int i = 0; i < previous; i++) {
      old += (long) points.weight(i);
    }
    final long total = points.totalWeight();
    final int reserve = (int) Math.max(1, Math.round((double) k * (total - old) / total));
    return Math.max(0, Math.min(previous, k - reserve));
  }

  /** Weighted mean squared distance of the tokens to their weighted mean (double accumulation). */
  private static double variance(final TokenBlock b) {
    final int dim = b.dim();
    final double[] mean = new double[dim];
    accumulate(b, mean);
    double total = 0;
    for (int i = 0; i < b.size(); i++) {
      total += b.weight(i);
    }
    for (int k = 0; k < dim; k++) {
      mean[k] /= total;
    }
    final float[] emb = new float[dim];
    double sum = 0;
    for (int i = 0; i < b.size(); i++) {
      b.copyEmbedding(i, emb, 0);
      double d2 = 0;
      for (int k = 0; k < dim; k++) {
        final double v = emb[k] - mean[k];
        d2 += v * v;
      }
      sum += b.weight(i) * d2;
    }
    return sum / total;
  }

  /** Indices of the (at most) k heaviest of the first {@code from} tokens, ascending (time order). */
  private static int[] heaviest(final TokenBlock b, final int from, final int k) {
    final int m = Math.min(from, b.size());
    if (m <= k) {
      final int[] all = new int[m];
      for (int i = 0; i < m; i++) {
        all[i] = i;
      }
      return all;
    }
    final Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    // Heaviest first, the earlier on a tie: a total order, so the pick is deterministic.
    Arrays.sort(order, (x, y) -> {
      final int c = Float.compare(b.weight(y), b.weight(x));
      return c != 0 ? c : Integer.compare(x, y);
    });
    final int[] pick = new int[k];
    for (int j = 0; j < k; j++) {
      pick[j] = order[j];
    }
    Arrays.sort(pick);
    return pick;
  }

  private Entry entryOf(final long segment) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).contains(segment)) {
        return entries.get(i);
      }
    }
    throw new IllegalStateException("no memory entry holds segment " + segment);
  }

  // ---------------------------------------------------------------------------------------------
  // Descriptors: unit-length weighted means, accumulated in double

  private static float[] descriptor(final Unit u) {
    if (u.descriptor == null) {
      final double[] sum = new double[u.tokens.dim()];
      accumulate(u.tokens, sum);
      u.descriptor = normalise(sum);
    }
    return u.descriptor;
  }

  private float[] entryDescriptor(final int index) {
    final Entry e = entries.get(index);
    if (e.descriptor != null) {
      return e.descriptor;
    }
    final double[] sum = new double[e.synopsis.dim()];
    accumulate(e.synopsis, sum);
    for (final Unit u : detail) {
      if (e.contains(u.segment)) {
        accumulate(u.tokens, sum);
      }
    }
    e.descriptor = normalise(sum);
    return e.descriptor;
  }

  private static void accumulate(final TokenBlock b, final double[] sum) {
    final int dim = b.dim();
    final float[] emb = new float[dim];
    for (int i = 0; i < b.size(); i++) {
      b.copyEmbedding(i, emb, 0);
      final double w = b.weight(i);
      for (int k = 0; k < dim; k++) {
        sum[k] += w * emb[k];
      }
    }
  }

  private static float[] normalise(final double[] sum) {
    double n2 = 0;
    for (final double v : sum) {
      n2 += v * v;
    }
    final double inv = n2 > 0 ? 1 / Math.sqrt(n2) : 0;
    final float[] out = new float[sum.length];
    for (int k = 0; k < sum.length; k++) {
      out[k] = (float) (sum[k] * inv);
    }
    return out;
  }

  private static double dot(final float[] a, final float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += (double) a[k] * b[k];
    }
    return s;
  }

  private static TokenBlock emptyBlock(final TokenBlock like) {
    return new TokenBlock(like.dim(), like.gridH(), like.gridW(), 0);
  }

  // ---------------------------------------------------------------------------------------------
  // Serialised form

  /**
   * Writes the memory's state (not its timings, which differ between runs of the same input) in a
   * stable, versioned binary form: equal memories write equal bytes.
   */
  public void writeTo(final DataOutput out) throws IOException {
    out.writeByte(FORMAT_VERSION);
    out.writeInt(unitTokens);
    out.writeLong(unitsIn);
    out.writeLong(tokensIn);
    out.writeLong(keptFramesIn);
    out.writeLong(detailEvictions);
    out.writeLong(coalesced);
    writeUnits(out, new ArrayList<>(recent));
    writeUnits(out, detail);
    out.writeInt(entries.size());
    for (final Entry e : entries) {
      out.writeLong(e.firstSegment);
      out.writeLong(e.lastSegment);
      e.synopsis.writeTo(out);
    }
  }

  /**
   * Reads a memory written by {@link #writeTo}, to continue with {@code config} (the one it was
   * written with).
   *
   * @throws IOException on a truncated or corrupt stream, or an unknown version
   */
  public static TieredMemory readFrom(final MemoryConfig config, final DataInput in) throws IOException {
    final byte version = in.readByte();
    if (version != FORMAT_VERSION) {
      throw new IOException("memory format version " + version + " is not supported (this build reads "
          + FORMAT_VERSION + ")");
    }
    final int unitTokens = in.readInt();
    if (unitTokens < 1) {
      throw new IOException("corrupt memory: unit size " + unitTokens);
    }
    final TieredMemory m = new TieredMemory(config, unitTokens);
    m.unitsIn = in.readLong();
    m.tokensIn = in.readLong();
    m.keptFramesIn = in.readLong();
    m.detailEvictions = in.readLong();
    m.coalesced = in.readLong();
    for (final Unit u : readUnits(in)) {
      m.recent.add(u);
      m.recentTokens += u.tokens.size();
    }
    for (final Unit u : readUnits(in)) {
      m.detail.add(u);
      m.detailTokens += u.tokens.size();
    }
    final int n = readCount(in, "entries");
    for (int i = 0; i < n; i++) {
      final long first = in.readLong();
      final long last = in.readLong();
      final TokenBlock syn = TokenBlock.readFrom(in);
      if (first > last) {
        throw new IOException("corrupt memory: entry of segments " + first + ".." + last);
      }
      m.entries.add(new Entry(first, last, syn));
      m.synopsisTokens += syn.size();
    }
    return m;
  }

  private static void writeUnits(final DataOutput out, final List<Unit> units) throws IOException {
    out.writeInt(units.size());
    for (final Unit u : units) {
      out.writeLong(u.sequence);
      out.writeLong(u.segment);
      out.writeInt(u.keptFrames);
      u.tokens.writeTo(out);
    }
  }

  private static List<Unit> readUnits(final DataInput in) throws IOException {
    final int n = readCount(in, "units");
    final List<Unit> units = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      final long seq = in.readLong();
      final long segment = in.readLong();
      final int kept = in.readInt();
      units.add(new Unit(seq, segment, kept, TokenBlock.readFrom(in)));
    }
    return units;
  }

  private static int readCount(final DataInput in, final String what) throws IOException {
    final int n = in.readInt();
    if (n < 0 || n > 1 << 24) {
      throw new IOException("corrupt memory: " + n + " " + what);
    }
    return n;
  }
}
