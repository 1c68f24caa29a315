package io.vidctx.tokencompress.merge;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/*
 * Baseline for WeightedKMeansBenchmark: WeightedKMeans as of fbad508 (before the JMH work),
 * kept so NAIVE vs OPTIMIZED stays reproducible. Its assignment step takes one 4-accumulator dot
 * product (Vectors.dot, scalar code) per point and centroid; the optimized kernel sums x.c in
 * Vectors.dot4Step's order instead, so near-ties may resolve differently: same algorithm, not
 * the same bits. Not used outside the benchmarks.
 */
/**
 * Deterministic weighted k-means over n points with time keys; returns time-ordered centroids per
 * the {@link MergeOutput} convention (ordered by time rather than smallest member, and with
 * {@link MergeOutput#times()} filled). Not thread-safe (owns scratch buffers).
 */
final class WeightedKMeansBaseline {

  private final WeightedKMeans.Config config;

  private float[] centroids = new float[0];
  private float[] centroidNorm = new float[0];
  private double[] sums = new double[0];
  private double[] clusterWeight = new double[0];
  private int[] members = new int[0];
  private float[] pointNorm = new float[0];
  private float[] dist = new float[0];
  private int[] label = new int[0];
  private int[] order = new int[0];
  private double[] clusterTime = new double[0];
  private int[] clusterMin = new int[0];
  private int[] rank = new int[0];
  private int iterations;

  WeightedKMeansBaseline(final WeightedKMeans.Config config) {
    this.config = config;
  }

  WeightedKMeans.Config config() {
    return config;
  }

  /** Lloyd iterations the last {@link #cluster} call ran (for tests and metrics). */
  int lastIterations() {
    return iterations;
  }

  /**
   * Clusters n points into at most {@code min(k, n)} weighted centroids.
   *
   * <p>Invariants: {@code out.inputCount() == n}; every point is assigned to exactly one output,
   * every output has a member; an output is the weighted mean of its members and its weight their
   * sum (so the weights sum to the input weights); outputs are ordered by weighted mean time, ties
   * by smallest member; the inputs are not modified; the same inputs give the same bits.
   *
   * @param points n x dim floats, row-major
   * @param weights per-point weights (positive), or null for all 1
   * @param times per-point time keys (e.g. presentation time), n entries
   * @param init previous centroids, row-major, {@code initCount * dim} floats at least (may be
   *     empty); at most k are used, in order
   * @return {@code out}
   */
  MergeOutput cluster(final float[] points, final int n, final int dim, final float @Nullable [] weights,
      final double[] times, final float[] init, final int initCount, final MergeOutput out) {
    Vectors.requirePositive("n", n);
    Vectors.requirePositive("dim", dim);
    Vectors.requireLength("points", points, n, dim);
    Vectors.requireWeights(weights, n);
    if (times.length != n) {
      throw new IllegalArgumentException("times holds " + times.length + " entries, expected " + n);
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(times[i])) {
        throw new IllegalArgumentException("time " + i + " must be finite, was " + times[i]);
      }
    }
    if (initCount < 0 || initCount > config.k()) {
      throw new IllegalArgumentException("initCount must be in [0, k = " + config.k() + "], was " + initCount);
    }
    if ((long) initCount * dim > init.length) {
      throw new IllegalArgumentException("init holds " + init.length + " floats, " + initCount + " centroids x "
          + dim + " dims need " + ((long) initCount * dim));
    }
    final int k = Math.min(config.k(), n);
    ensureCapacity(n, k, dim);
    for (int i = 0; i < n; i++) {
      pointNorm[i] = Vectors.checkedSquaredNorm("point", points, i, dim);
    }
    final int given = Math.min(initCount, k);
    System.arraycopy(init, 0, centroids, 0, given * dim);
    for (int j = 0; j < given; j++) {
      centroidNorm[j] = Vectors.checkedSquaredNorm("init centroid", centroids, j, dim);
    }
    seed(points, n, dim, weights, given, k);

    iterations = 0;
    boolean changed = true;
    for (int it = 0; it < config.maxIterations(); it++) {
      iterations = it + 1;
      changed = assign(points, n, dim, it == 0);
      fillEmpty(n, k, weights);
      final float shift = update(points, n, dim, k, weights);
      if (!changed || shift <= config.tolerance()) {
        break;
      }
    }
    return emit(n, dim, k, weights, times, out);
  }

  private void seed(final float[] points, final int n, final int d, final float @Nullable [] weights,
      final int given, final int k) {
    int have = given;
    if (have == 0) {
      int heaviest = 0;
      for (int i = 1; i < n; i++) {
        if (Vectors.weight(weights, i) > Vectors.weight(weights, heaviest)) {
          heaviest = i;
        }
      }
      addCentroid(points, heaviest, d, have++);
    }
    if (have >= k) {
      return;
    }
    for (int i = 0; i < n; i++) {
      dist[i] = Float.POSITIVE_INFINITY;
      for (int j = 0; j < have; j++) {
        dist[i] = Math.min(dist[i], squaredDistance(points, i, j, d));
      }
    }
    while (have < k) {
      int far = 0;
      float farScore = -1f;
      for (int i = 0; i < n; i++) {
        final float s = Vectors.weight(weights, i) * dist[i];
        if (s > farScore) {
          farScore = s;
          far = i;
        }
      }
      addCentroid(points, far, d, have);
      for (int i = 0; i < n; i++) {
        dist[i] = Math.min(dist[i], squaredDistance(points, i, have, d));
      }
      have++;
    }
  }

  private void addCentroid(final float[] points, final int i, final int d, final int j) {
    System.arraycopy(points, i * d, centroids, j * d, d);
    centroidNorm[j] = pointNorm[i];
  }

  /** |x|^2 + |c|^2 - 2 x.c, clamped at 0 against rounding. */
  private float squaredDistance(final float[] points, final int i, final int j, final int d) {
    final float s = pointNorm[i] + centroidNorm[j] - 2f * Vectors.dot(points, i * d, centroids, j * d, d);
    return s > 0f ? s : 0f;
  }

  /** Nearest centroid per point (ties to the smaller index); returns whether any label changed. */
  private boolean assign(final float[] points, final int n, final int d, final boolean first) {
    final int k = Math.min(config.k(), n);
    boolean changed = first;
    for (int i = 0; i < n; i++) {
      final int po = i * d;
      int best = 0;
      float bestScore = Float.POSITIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        final float s = centroidNorm[j] - 2f * Vectors.dot(points, po, centroids, j * d, d);
        if (s < bestScore) {
          bestScore = s;
          best = j;
        }
      }
      final float dd = pointNorm[i] + bestScore;
      dist[i] = dd > 0f ? dd : 0f;
      if (label[i] != best) {
        changed = true;
        label[i] = best;
      }
    }
    return changed;
  }

  private void fillEmpty(final int n, final int k, final float @Nullable [] weights) {
    Arrays.fill(members, 0, k, 0);
    for (int i = 0; i < n; i++) {
      members[label[i]]++;
    }
    for (int j = 0; j < k; j++) {
      if (members[j] > 0) {
        continue;
      }
      int far = -1;
      float farScore = 0f;
      for (int i = 0; i < n; i++) {
        final float s = Vectors.weight(weights, i) * dist[i];
        if (s > farScore && members[label[i]] > 1) {
          farScore = s;
          far = i;
        }
      }
      if (far < 0) {
        continue; // every point sits on its centroid: the cluster stays empty and is left out
      }
      members[label[far]]--;
      label[far] = j;
      members[j] = 1;
      dist[far] = 0f;
    }
  }

  /** Weighted means of the members; returns the largest squared move of a centroid. */
  private float update(final float[] points, final int n, final int d, final int k,
      final float @Nullable [] weights) {
    Arrays.fill(sums, 0, k * d, 0.0);
    Arrays.fill(clusterWeight, 0, k, 0.0);
    for (int i = 0; i < n; i++) {
      final int j = label[i];
      final double w = Vectors.weight(weights, i);
      final int so = j * d;
      final int po = i * d;
      for (int c = 0; c < d; c++) {
        sums[so + c] += w * points[po + c];
      }
      clusterWeight[j] += w;
    }
    float shift = 0f;
    for (int j = 0; j < k; j++) {
      if (members[j] == 0) {
        continue;
      }
      final double w = clusterWeight[j];
      final int o = j * d;
      float moved = 0f;
      for (int c = 0; c < d; c++) {
        final float v = (float) (sums[o + c] / w);
        final float delta = v - centroids[o + c];
        moved += delta * delta;
        centroids[o + c] = v;
      }
      centroidNorm[j] = Vectors.dot(centroids, o, centroids, o, d);
      shift = Math.max(shift, moved);
    }
    return shift;
  }

  private MergeOutput emit(final int n, final int d, final int k, final float @Nullable [] weights,
      final double[] times, final MergeOutput out) {
    Arrays.fill(clusterTime, 0, k, 0.0);
    Arrays.fill(clusterWeight, 0, k, 0.0);
    Arrays.fill(clusterMin, 0, k, Integer.MAX_VALUE);
    for (int i = 0; i < n; i++) {
      final int j = label[i];
      final double w = Vectors.weight(weights, i);
      clusterTime[j] += w * times[i];
      clusterWeight[j] += w;
      if (i < clusterMin[j]) {
        clusterMin[j] = i;
      }
    }
    int m = 0;
    for (int j = 0; j < k; j++) {
      if (members[j] == 0) {
        continue;
      }
      clusterTime[j] /= clusterWeight[j];
      // Insertion sort by (time, smallest member): k is small and this allocates nothing.
      int pos = m++;
      while (pos > 0 && before(j, order[pos - 1])) {
        order[pos] = order[pos - 1];
        pos--;
      }
      order[pos] = j;
    }
    out.begin(n, m, d);
    out.ensureTimes(m);
    final float[] emb = out.embeddings();
    final float[] outW = out.weights();
    final double[] outT = out.times();
    for (int r = 0; r < m; r++) {
      final int j = order[r];
      rank[j] = r;
      System.arraycopy(centroids, j * d, emb, r * d, d);
      outW[r] = (float) clusterWeight[j];
      outT[r] = clusterTime[j];
    }
    final int[] assignment = out.assignment();
    for (int i = 0; i < n; i++) {
      assignment[i] = rank[label[i]];
    }
    out.setCount(m);
    return out;
  }

  private boolean before(final int a, final int b) {
    if (clusterTime[a] != clusterTime[b]) {
      return clusterTime[a] < clusterTime[b];
    }
    return clusterMin[a] < clusterMin[b];
  }

  private void ensureCapacity(final int n, final int k, final int d) {
    if (centroids.length < k * d) {
      centroids = new float[k * d];
      sums = new double[k * d];
    }
    if (centroidNorm.length < k) {
      centroidNorm = new float[k];
      clusterWeight = new double[k];
      members = new int[k];
      order = new int[k];
      clusterTime = new double[k];
      clusterMin = new int[k];
      rank = new int[k];
    }
    if (pointNorm.length < n) {
      pointNorm = new float[n];
      dist = new float[n];
      label = new int[n];
    }
  }
}
