package io.vidctx.tokencompress.merge;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/*
 * Baseline for BipartiteMergerBenchmark: BipartiteMerger as of fbad508 (before the JMH
 * work), kept verbatim so the NAIVE vs OPTIMIZED comparison stays reproducible. One a row at a
 * time against B transposed into one flat array, read at four offsets per pass (a loop C2 leaves
 * scalar), full sort of the keys. Not used outside the benchmarks.
 */
/**
 * Merges n tokens down to a target count by repeated ToMe bipartite soft matching, keeping time
 * order. Not thread-safe (owns scratch buffers).
 */
final class BipartiteMergerBaseline {

  private final BipartiteMerger.Config config;

  private float[] cur = new float[0];
  private float[] next = new float[0];
  private float[] unit = new float[0];
  private float[] unitB = new float[0];
  private float[] sim = new float[0];
  private float[] curW = new float[0];
  private float[] nextW = new float[0];
  private int[] curMin = new int[0];
  private int[] nextMin = new int[0];
  private int[] bestB = new int[0];
  private int[] mergedInto = new int[0];
  private int[] newPos = new int[0];
  private long[] keys = new long[0];

  BipartiteMergerBaseline(final BipartiteMerger.Config config) {
    this.config = config;
  }

  BipartiteMerger.Config config() {
    return config;
  }

  /**
   * Merges one clip of {@code frames} frames (at most {@link BipartiteMerger.Config#clipFrames()}), P tokens each,
   * to {@code min(frames * P, frames * tokensPerFrame)} tokens.
   *
   * @see #merge
   */
  MergeOutput mergeClip(final float[] tokens, final int frames, final int tokensPerFrame, final int dim,
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
  MergeOutput merge(final float[] tokens, final int n, final int dim, final float @Nullable [] weights,
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
    // B's unit vectors transposed (d rows of nb), so the similarities of one a to all of B are d
    // axpy passes over a row of nb floats: a loop shape C2 vectorises, where a dot product (a
    // reduction) stays scalar. The summation order is fixed: four products at a time, summed left
    // to right, then added to the running sum (Vectors.dot4Step spells it out for the tests).
    for (int bj = 0; bj < nb; bj++) {
      final int bo = (2 * bj + 1) * d;
      for (int k = 0; k < d; k++) {
        unitB[k * nb + bj] = unit[bo + k];
      }
    }
    for (int ai = 0; ai < na; ai++) {
      final int ao = 2 * ai * d;
      Arrays.fill(sim, 0, nb, 0f);
      int k = 0;
      for (; k + 3 < d; k += 4) {
        // Four dimensions per pass: a quarter of the loads and stores of sim (see Vectors.dot4Step).
        final float a0 = unit[ao + k];
        final float a1 = unit[ao + k + 1];
        final float a2 = unit[ao + k + 2];
        final float a3 = unit[ao + k + 3];
        final int r0 = k * nb;
        final int r1 = r0 + nb;
        final int r2 = r1 + nb;
        final int r3 = r2 + nb;
        for (int bj = 0; bj < nb; bj++) {
          sim[bj] += a0 * unitB[r0 + bj] + a1 * unitB[r1 + bj] + a2 * unitB[r2 + bj] + a3 * unitB[r3 + bj];
        }
      }
      for (; k < d; k++) {
        final float av = unit[ao + k];
        final int ro = k * nb;
        for (int bj = 0; bj < nb; bj++) {
          sim[bj] += av * unitB[ro + bj];
        }
      }
      float best = Float.NEGATIVE_INFINITY;
      int arg = -1;
      for (int bj = 0; bj < nb; bj++) {
        if (sim[bj] > best) {
          best = sim[bj];
          arg = 2 * bj + 1;
        }
      }
      bestB[ai] = arg;
      keys[ai] = Vectors.descendingKey(best, ai);
    }
    Arrays.sort(keys, 0, na);
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
      unitB = new float[n * d];
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
