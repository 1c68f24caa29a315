package io.vidctx.tokencompress.merge;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/*
 * Bipartite soft matching (ToMe, Bolya et al., ICLR 2023, arXiv 2210.09461; used at clip level by
 * VideoChat-Flash HiCo, arXiv 2501.00574; ANCHORS.md sections 2 and 6, spec S2), re-implemented
 * with an order-keeping output.
 *
 * Algorithm: the current tokens are kept in order of the smallest original index each contains
 * (inputs come time-then-position ordered, so this is time order). A round over N tokens with
 * target t: positions 0, 2, 4, ... form set A, positions 1, 3, ... set B; every a in A finds its
 * most similar b (cosine; the smallest b wins ties); the r = min(N - t, |A|) a's with the highest
 * scores (smaller a on ties) are merged into their b's as size-weighted means, values and weights
 * summed then divided, with several a's into one b added in increasing a order; the survivors are
 * re-sorted by smallest member. Rounds repeat (similarities recomputed) until N = t. Unlike ToMe,
 * whose output lists unmerged A tokens by score and then B, the order is kept (the spec asks for
 * it; position encodings downstream rely on it).
 *
 * Complexity per round O(|A| |B| d + N log N); for a halving schedule about (4/3)(N/2)^2 d
 * multiply-adds in all: 4 x 196 tokens at d = 512 to 64 is about 0.1 G (0.8 G at 4 x 576 x 768).
 * Memory: a few N x d float buffers (the current means, the next round's, their unit vectors), B's
 * unit vectors transposed as d separate rows of nb floats, and O(N) scratch, all owned here and
 * grown with ensureCapacity; steady-state calls allocate nothing.
 *
 * Performance (JMH, tokencompress-jmh BipartiteMergerBenchmark, one clip of 4 frames to 64, 2-core
 * AMD EPYC (AVX-512) shared with another build, load average 1.3 to 2.5, JDK 17; NAIVE = this
 * class as of fbad508):
 *
 *   shape per frame    NAIVE        now
 *   60 x 512            2.45 ms      0.93 ms
 *   196 x 512          23.9 ms       8.5 ms   (2.1 ms per frame: still over DESIGN.md's 0.5 ms)
 *   576 x 768          342 ms       96 ms
 *
 * What won, and what did not (each measured at 196 x 512 unless said):
 *  - The similarity product is where the time goes, and C2 (JDK 17 SuperWord) vectorises its
 *    axpy loop only when every array is indexed by the bare loop index and there is one store:
 *    the old loop read one transposed-B array at four offsets (k*nb + j ...) and stayed scalar
 *    (-XX:-UseSuperWord changed nothing). B's transposed rows as separate arrays: 23.9 -> 9.6 ms.
 *  - Four or two a rows per pass over B (reusing each B load, 4 or 2 stores per loop): scalar
 *    again, 22 ms and 27 ms. Eight dimensions per pass as two groups (same sum order): scalar,
 *    26.5 ms.
 *  - Column tiles of B kept in L2 (256 columns): 141 ms vs 99 ms untiled at 576 x 768 (and 10.1
 *    vs 10.1 ms at 196 x 512); the rows stream and the prefetchers keep up, short tiles pay the
 *    vector loop's pre- and post-loops d/4 times each. Untiled, with one sim row: 8.5 ms.
 *  - The key sort is skipped when every a merges (all rounds of a halving schedule but the last):
 *    only which a's merge matters, not their order. Not separately measurable (< 1 %).
 *  Not done: reusing similarities across rounds (the A/B split is by position, which shifts after
 *  every round, so nearly every pair changes side), FMA (a different sum order; the loop is
 *  load-bound: five loads and one store per four multiply-adds), the Vector API (incubating).
 *
 * Determinism: fixed dot-product order (Vectors.dot4Step: four products summed left to right,
 * then added to the running sum), (score, index) keys as primitive longs, fixed accumulation
 * order, so a given input yields the same bits every run and with reused buffers.
 */

/**
 * Merges n tokens down to a target count by repeated ToMe bipartite soft matching, keeping time
 * order. Not thread-safe (owns scratch buffers).
 */
public final class BipartiteMerger {

  /**
   * Clip-level settings (VideoChat-Flash HiCo level 1).
   *
   * @param clipFrames frames merged together (4)
   * @param tokensPerFrame tokens kept per frame of the clip (16), so a full clip keeps
   *     clipFrames x tokensPerFrame
   */
  public record Config(int clipFrames, int tokensPerFrame) {
    public static final Config DEFAULTS = new Config(4, 16);

    public Config {
      if (clipFrames < 1) {
        throw new IllegalArgumentException("clipFrames must be at least 1, was " + clipFrames);
      }
      if (tokensPerFrame < 1) {
        throw new IllegalArgumentException("tokensPerFrame must be at least 1, was " + tokensPerFrame);
      }
    }
  }

  private final Config config;

  private float[] cur = new float[0];
  private float[] next = new float[0];
  private float[] unit = new float[0];
  private float[][] unitB = new float[0][];
  private float[] sim = new float[0];
  private float[] curW = new float[0];
  private float[] nextW = new float[0];
  private int[] curMin = new int[0];
  private int[] nextMin = new int[0];
  private int[] bestB = new int[0];
  private int[] mergedInto = new int[0];
  private int[] newPos = new int[0];
  private long[] keys = new long[0];

  public BipartiteMerger(final Config config) {
    this.config = config;
  }

  public Config config() {
    return config;
  }

  /**
   * Merges one clip of {@code frames} frames (at most {@link Config#clipFrames()}), P tokens each,
   * to {@code min(frames * P, frames * tokensPerFrame)} tokens.
   *
   * @see #merge
   */
  public MergeOutput mergeClip(final float[] tokens, final int frames, final int tokensPerFrame, final int dim,
      final float @Nullable [] weights, final MergeOutput out) {
    if (frames < 1 || frames > config.clipFrames()) {
      throw new IllegalArgumentException("a clip holds 1 to " + config.clipFrames() + " frames, was " + frames);
    }
    Vectors.requirePositive("tokensPerFrame", tokensPerFrame);
    final int n = Math.multiplyExact(frames, tokensPerFrame);
    final int target = Math.min(n, frames * config.tokensPerFrame());
    return merge(tokens, n, dim, weights, target, out);
  }

  /**
   * Merges n tokens to exactly {@code target} tokens.
   *
   * <p>Invariants: {@code out.count() == target}; {@code out.inputCount() == n}; outputs follow
   * the {@link MergeOutput} convention (numbered by smallest member, so input order is kept);
   * output weights sum to the input weights; an output with one member is a bit-exact copy of it;
   * the inputs are not modified. Zero vectors have cosine 0 with everything.
   *
   * @param tokens n x dim floats, row-major, in time-then-position order
   * @param weights per-token sizes (original patches each stands for), or null for all 1
   * @param target output count, in [1, n]
   * @return {@code out}
   */
  public MergeOutput merge(final float[] tokens, final int n, final int dim, final float @Nullable [] weights,
      final int target, final MergeOutput out) {
    Vectors.requirePositive("n", n);
    Vectors.requirePositive("dim", dim);
    if (target < 1 || target > n) {
      throw new IllegalArgumentException("target must be in [1, " + n + "], was " + target);
    }
    Vectors.requireLength("tokens", tokens, n, dim);
    Vectors.requireWeights(weights, n);
    for (int i = 0; i < n; i++) {
      Vectors.checkedSquaredNorm("input", tokens, i, dim);
    }
    ensureCapacity(n, dim);
    out.begin(n, target, dim);
    final int[] owner = out.assignment();
    System.arraycopy(tokens, 0, cur, 0, n * dim);
    for (int i = 0; i < n; i++) {
      curW[i] = Vectors.weight(weights, i);
      curMin[i] = i;
      owner[i] = i;
    }
    int size = n;
    while (size > target) {
      size = round(size, target, dim, owner, n);
    }
    System.arraycopy(cur, 0, out.embeddings(), 0, size * dim);
    System.arraycopy(curW, 0, out.weights(), 0, size);
    out.setCount(size);
    return out;
  }

  /** One matching round over {@code size} current tokens; returns the new size. */
  private int round(final int size, final int target, final int d, final int[] owner, final int n) {
    final int na = (size + 1) / 2;
    final int nb = size / 2;
    final int r = Math.min(size - target, na);
    for (int i = 0; i < size; i++) {
      final int o = i * d;
      final float inv = Vectors.inverseNorm(Vectors.dot(cur, o, cur, o, d));
      for (int k = 0; k < d; k++) {
        unit[o + k] = cur[o + k] * inv;
      }
    }
    // B's unit vectors transposed (d rows of nb), so the similarities of a's to a run of B are
    // axpy passes over rows of nb floats: a loop shape C2 vectorises, where a dot product (a
    // reduction) stays scalar. The summation order is fixed: four products at a time, summed left
    // to right, then added to the running sum (Vectors.dot4Step spells it out for the tests).
    for (int bj = 0; bj < nb; bj++) {
      final int bo = (2 * bj + 1) * d;
      for (int k = 0; k < d; k++) {
        unitB[k][bj] = unit[bo + k];
      }
    }
    similarities(na, nb, d);
    if (r < na) {
      // Only which r a's merge matters (they are applied in a order below), so r == na, every
      // round of a halving schedule but the last, needs no ordering at all.
      Arrays.sort(keys, 0, na);
    }
    Arrays.fill(mergedInto, 0, size, -1);
    for (int q = 0; q < r; q++) {
      final int ai = (int) keys[q];
      mergedInto[2 * ai] = bestB[ai];
    }
    // Size-weighted means: a receiving b's row becomes its weighted sum on the first a it takes
    // (weights stand in for "was scaled"; cur rows of B are never sources, so in place is safe),
    // then is divided once all a's are in.
    for (int a = 0; a < size; a += 2) {
      final int b = mergedInto[a];
      if (b < 0) {
        continue;
      }
      final int bo = b * d;
      if (mergedInto[b] != -2) {
        mergedInto[b] = -2; // marks b as receiving; b is in B, never merged itself
        final float wb = curW[b];
        for (int k = 0; k < d; k++) {
          cur[bo + k] *= wb;
        }
      }
      final float wa = curW[a];
      final int ao = a * d;
      for (int k = 0; k < d; k++) {
        cur[bo + k] += wa * cur[ao + k];
      }
      curW[b] += wa;
      if (curMin[a] < curMin[b]) {
        curMin[b] = curMin[a];
      }
    }
    // Survivors (not merged away), re-sorted by smallest member; distinct, as members are disjoint.
    int survivors = 0;
    for (int i = 0; i < size; i++) {
      if (mergedInto[i] < 0) {
        keys[survivors++] = Vectors.ascendingKey(curMin[i], i);
      }
    }
    Arrays.sort(keys, 0, survivors);
    for (int s = 0; s < survivors; s++) {
      final int i = (int) keys[s];
      newPos[i] = s;
      final int o = i * d;
      final int so = s * d;
      if (mergedInto[i] == -2) {
        final float w = curW[i];
        for (int k = 0; k < d; k++) {
          next[so + k] = cur[o + k] / w;
        }
      } else {
        System.arraycopy(cur, o, next, so, d);
      }
      nextW[s] = curW[i];
      nextMin[s] = curMin[i];
    }
    for (int a = 0; a < size; a += 2) {
      if (mergedInto[a] >= 0) {
        newPos[a] = newPos[mergedInto[a]];
      }
    }
    for (int i = 0; i < n; i++) {
      owner[i] = newPos[owner[i]];
    }
    swap();
    return survivors;
  }

  /**
   * Best b (smallest on ties) and its score for every a: A's unit rows times the transposed B, one
   * a row at a time over all of B, then a left-to-right argmax with a strict {@code >}. Every
   * similarity sums its products in the order of Vectors.dot4Step. Cutting B into column tiles
   * that stay in L2 lost (4 x 576 x 768 clip: 141 ms with 256-column tiles, 99 ms untiled; 128
   * columns 149 ms): the rows stream sequentially and the prefetchers keep up, while short tiles
   * pay the vector loop's pre- and post-loops d/4 times each.
   */
  private void similarities(final int na, final int nb, final int d) {
    for (int ai = 0; ai < na; ai++) {
      row(unit, 2 * ai * d, unitB, nb, d, sim);
      float b = Float.NEGATIVE_INFINITY;
      int arg = -1;
      for (int j = 0; j < nb; j++) {
        if (sim[j] > b) {
          b = sim[j];
          arg = 2 * j + 1;
        }
      }
      bestB[ai] = arg;
      keys[ai] = Vectors.descendingKey(b, ai);
    }
  }

  /**
   * Similarities of the a row at unit offset o with all nb b's, into s[0, nb). One store
   * per loop and every array indexed by the bare loop index: the shape C2's SuperWord (JDK 17)
   * vectorises. A loop storing to several rows of sims, or reading B at several offsets of one
   * array, stays scalar (measured per 4 x 196 x 512 clip: four a rows per pass 22 ms, two 27 ms,
   * one 9.6 ms). Eight dimensions per pass, two groups of four added one
   * after the other ({@code s[j] = (s[j] + g0) + g1}, same order), fell back to scalar code too:
   * 26.5 ms.
   */
  private static void row(final float[] u, final int o, final float[][] bt, final int nb, final int d,
      final float[] s) {
    Arrays.fill(s, 0, nb, 0f);
    int k = 0;
    for (; k + 3 < d; k += 4) {
      final float[] b0 = bt[k];
      final float[] b1 = bt[k + 1];
      final float[] b2 = bt[k + 2];
      final float[] b3 = bt[k + 3];
      final float a0 = u[o + k];
      final float a1 = u[o + k + 1];
      final float a2 = u[o + k + 2];
      final float a3 = u[o + k + 3];
      for (int j = 0; j < nb; j++) {
        s[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
      }
    }
    for (; k < d; k++) {
      final float[] b = bt[k];
      final float a = u[o + k];
      for (int j = 0; j < nb; j++) {
        s[j] += a * b[j];
      }
    }
  }

  private void swap() {
    final float[] e = cur;
    cur = next;
    next = e;
    final float[] w = curW;
    curW = nextW;
    nextW = w;
    final int[] m = curMin;
    curMin = nextMin;
    nextMin = m;
  }

  private void ensureCapacity(final int n, final int d) {
    if (cur.length < n * d) {
      cur = new float[n * d];
      next = new float[n * d];
      unit = new float[n * d];
    }
    if (unitB.length < d || unitB[0].length < n) {
      final int rows = Math.max(d, unitB.length);
      final int width = Math.max(n, unitB.length == 0 ? 0 : unitB[0].length);
      unitB = new float[rows][width];
    }
    if (curW.length < n) {
      curW = new float[n];
      nextW = new float[n];
      curMin = new int[n];
      nextMin = new int[n];
      bestB = new int[n];
      mergedInto = new int[n];
      newPos = new int[n];
      keys = new long[n];
      sim = new float[n];
    }
  }
}
