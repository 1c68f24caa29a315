package io.vidctx.tokencompress.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedKMeansTest {
  private static final int D = 8;

  @Test
  void cluster_separatedBlobs_recoveredAndTimeOrdered() {
    final SplittableRandom rnd = new SplittableRandom(1);
    // Three blobs visited in time order 2, 0, 1 (by centre index), 20 points each.
    final float[] centres = MergeFixtures.unitVectors(rnd, 3, D);
    final int n = 60;
    final float[] x = new float[n * D];
    final double[] t = new double[n];
    final int[] visit = {2, 0, 1};
    for (int i = 0; i < n; i++) {
      final int c = visit[i / 20];
      for (int k = 0; k < D; k++) {
        x[i * D + k] = centres[c * D + k] + (float) (0.01 * MergeFixtures.gaussian(rnd));
      }
      t[i] = i;
    }
    final MergeOutput out = new WeightedKMeans(new WeightedKMeans.Config(3, 20, 0f)).cluster(x, n, D, null, t,
        new float[0], 0, new MergeOutput());
    assertEquals(3, out.count());
    for (int i = 0; i < n; i++) {
      assertEquals(i / 20, out.assignment()[i], "point " + i);
    }
    assertEquals(9.5, out.times()[0], 1e-9);
    assertEquals(29.5, out.times()[1], 1e-9);
    assertEquals(49.5, out.times()[2], 1e-9);
    MergeFixtures.assertConvention(out, x, n, D, null, true);
  }

  @Test
  void cluster_kAtLeastN_everyPointItsOwnCentroid() {
    final SplittableRandom rnd = new SplittableRandom(2);
    final float[] x = MergeFixtures.unitVectors(rnd, 5, D);
    final double[] t = {4, 3, 2, 1, 0};
    final MergeOutput out = new WeightedKMeans(new WeightedKMeans.Config(9, 10, 0f)).cluster(x, 5, D, null, t,
        new float[0], 0, new MergeOutput());
    assertEquals(5, out.count());
    assertArrayEquals(new int[] {4, 3, 2, 1, 0}, out.assignmentCopy(), "ordered by time, not index");
    MergeFixtures.assertConvention(out, x, 5, D, null, true);
  }

  @Test
  void cluster_identicalPoints_emptyClustersLeftOut() {
    final float[] x = new float[6 * D];
    for (int i = 0; i < 6; i++) {
      x[i * D] = 1f;
    }
    final double[] t = {0, 1, 2, 3, 4, 5};
    final float[] w = {1, 2, 3, 1, 2, 3};
    final MergeOutput out = new WeightedKMeans(new WeightedKMeans.Config(4, 10, 0f)).cluster(x, 6, D, w, t,
        new float[0], 0, new MergeOutput());
    assertEquals(1, out.count());
    assertEquals(12f, out.weights()[0]);
    assertEquals((0 + 2 + 6 + 3 + 8 + 15) / 12.0, out.times()[0], 1e-12);
    MergeFixtures.assertConvention(out, x, 6, D, w, true);
  }

  @Test
  void cluster_previousCentroids_keepTheirClusters() {
    final SplittableRandom rnd = new SplittableRandom(3);
    final float[] x = MergeFixtures.unitVectors(rnd, 200, D);
    final double[] t = new double[200];
    for (int i = 0; i < 200; i++) {
      t[i] = i;
    }
    final WeightedKMeans km = new WeightedKMeans(new WeightedKMeans.Config(6, 50, 0f));
    final MergeOutput first = km.cluster(x, 200, D, null, t, new float[0], 0, new MergeOutput());
    // Restarting from a converged solution changes nothing and stops after one iteration.
    final MergeOutput again = km.cluster(x, 200, D, null, t, first.embeddingsCopy(), first.count(),
        new MergeOutput());
    assertEquals(1, km.lastIterations());
    assertArrayEquals(first.assignmentCopy(), again.assignmentCopy());
    assertArrayEquals(first.embeddingsCopy(), again.embeddingsCopy());
  }

  @Test
  void cluster_matchesNaiveReference_seeded() {
    for (int seed = 0; seed < 60; seed++) {
      final SplittableRandom rnd = new SplittableRandom(500 + seed);
      final int n = 1 + rnd.nextInt(150);
      final int d = 1 + rnd.nextInt(12);
      final WeightedKMeans.Config cfg = new WeightedKMeans.Config(1 + rnd.nextInt(12), 1 + rnd.nextInt(15),
          rnd.nextBoolean() ? 0f : 1e-4f);
      final float[] x = MergeFixtures.unitVectors(rnd, n, d);
      if (rnd.nextInt(4) == 0) {
        // Duplicates, to exercise ties and empty clusters.
        for (int i = 1; i < n; i += 2) {
          System.arraycopy(x, (i - 1) * d, x, i * d, d);
        }
      }
      final float[] w = rnd.nextBoolean() ? null : MergeFixtures.integerWeights(rnd, n, 7);
      final double[] t = new double[n];
      for (int i = 0; i < n; i++) {
        t[i] = rnd.nextInt(3) == 0 ? i : rnd.nextInt(50);
      }
      final int initCount = rnd.nextInt(Math.min(cfg.k(), n) + 1);
      final float[] init = MergeFixtures.unitVectors(rnd, Math.max(initCount, 1), d);
      final float[] copy = x.clone();
      final float[] initCopy = init.clone();
      final MergeOutput out = new WeightedKMeans(cfg).cluster(x, n, d, w, t, init, initCount, new MergeOutput());
      final String ctx = "seed " + seed + " n " + n + " d " + d + " " + cfg + " init " + initCount;
      assertArrayEquals(copy, x, ctx);
      assertArrayEquals(initCopy, init, ctx);
      MergeFixtures.assertConvention(out, x, n, d, w, true);
      for (int j = 1; j < out.count(); j++) {
        assertTrue(out.times()[j - 1] <= out.times()[j], "times not ascending at " + j + ", " + ctx);
      }
      final Naive ref = naive(cfg, x, n, d, w, t, init, initCount);
      assertArrayEquals(ref.assignment, out.assignmentCopy(), ctx);
      assertArrayEquals(ref.centroids, out.embeddingsCopy(), ctx);
      assertArrayEquals(ref.weights, out.weightsCopy(), ctx);
    }
  }

  @Test
  void cluster_reusedInstance_sameBits() {
    final SplittableRandom rnd = new SplittableRandom(4);
    final float[] a = MergeFixtures.unitVectors(rnd, 300, 20);
    final float[] b = MergeFixtures.unitVectors(rnd, 90, D);
    final double[] ta = new double[300];
    final double[] tb = new double[90];
    for (int i = 0; i < 90; i++) {
      tb[i] = i;
    }
    final WeightedKMeans.Config cfg = new WeightedKMeans.Config(7, 10, 0f);
    final MergeOutput fresh = new WeightedKMeans(cfg).cluster(b, 90, D, null, tb, new float[0], 0, new MergeOutput());
    final WeightedKMeans km = new WeightedKMeans(cfg);
    final MergeOutput out = new MergeOutput();
    km.cluster(a, 300, 20, null, ta, new float[0], 0, out);
    km.cluster(b, 90, D, null, tb, new float[0], 0, out);
    assertArrayEquals(fresh.assignmentCopy(), out.assignmentCopy());
    assertArrayEquals(fresh.embeddingsCopy(), out.embeddingsCopy());
    assertArrayEquals(Arrays.copyOf(fresh.times(), fresh.count()), Arrays.copyOf(out.times(), out.count()));
  }

  @Test
  void cluster_badInputs_rejectedWithValues() {
    final WeightedKMeans km = new WeightedKMeans(new WeightedKMeans.Config(3, 10, 0f));
    final float[] x = MergeFixtures.unitVectors(new SplittableRandom(5), 10, D);
    final double[] t = new double[10];
    final IllegalArgumentException init = assertThrows(IllegalArgumentException.class,
        () -> km.cluster(x, 10, D, null, t, new float[4 * D], 4, new MergeOutput()));
    assertTrue(init.getMessage().contains("was 4"), init.getMessage());
    final IllegalArgumentException times = assertThrows(IllegalArgumentException.class,
        () -> km.cluster(x, 10, D, null, new double[9], new float[0], 0, new MergeOutput()));
    assertTrue(times.getMessage().contains("9"), times.getMessage());
    final double[] nanTime = new double[10];
    nanTime[2] = Double.NaN;
    assertThrows(IllegalArgumentException.class, () -> km.cluster(x, 10, D, null, nanTime, new float[0], 0,
        new MergeOutput()));
    final float[] bad = x.clone();
    bad[5] = Float.NaN;
    final IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> km.cluster(bad, 10, D, null, t, new float[0], 0, new MergeOutput()));
    assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
    assertThrows(IllegalArgumentException.class, () -> km.cluster(x, 10, D, new float[10], t, new float[0], 0,
        new MergeOutput()));
    assertThrows(IllegalArgumentException.class, () -> new WeightedKMeans.Config(0, 10, 0f));
    assertThrows(IllegalArgumentException.class, () -> new WeightedKMeans.Config(5, 0, 0f));
    final IllegalArgumentException tol = assertThrows(IllegalArgumentException.class,
        () -> new WeightedKMeans.Config(5, 10, -1f));
    assertTrue(tol.getMessage().contains("-1.0"), tol.getMessage());
  }

  private record Naive(int[] assignment, float[] centroids, float[] weights) {}

  /**
   * Lloyd as the design comment describes it, on row arrays and a comparator sort; shares the dot
   * products (Vectors.dot4Step in the assignment step, Vectors.dot elsewhere) and the |c|^2 - 2 x.c
   * distance form so near-ties resolve identically.
   */
  private static Naive naive(final WeightedKMeans.Config cfg, final float[] x, final int n, final int d,
      final float[] weights, final double[] t, final float[] init, final int initCount) {
    final float[][] p = new float[n][];
    final float[] pn = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = Arrays.copyOfRange(x, i * d, i * d + d);
      pn[i] = Vectors.dot(p[i], 0, p[i], 0, d);
    }
    final int k = Math.min(cfg.k(), n);
    final List<float[]> c = new ArrayList<>();
    for (int j = 0; j < Math.min(initCount, k); j++) {
      c.add(Arrays.copyOfRange(init, j * d, j * d + d));
    }
    if (c.isEmpty()) {
      int h = 0;
      for (int i = 1; i < n; i++) {
        if (MergeFixtures.weight(weights, i) > MergeFixtures.weight(weights, h)) {
          h = i;
        }
      }
      c.add(p[h].clone());
    }
    while (c.size() < k) {
      int far = 0;
      float farS = -1f;
      for (int i = 0; i < n; i++) {
        float best = Float.POSITIVE_INFINITY;
        for (final float[] cj : c) {
          final float s = pn[i] + Vectors.dot(cj, 0, cj, 0, d) - 2f * Vectors.dot(p[i], 0, cj, 0, d);
          best = Math.min(best, s > 0f ? s : 0f);
        }
        final float s = MergeFixtures.weight(weights, i) * best;
        if (s > farS) {
          farS = s;
          far = i;
        }
      }
      c.add(p[far].clone());
    }
    final int[] label = new int[n];
    final boolean[] empty = new boolean[k];
    for (int it = 0; it < cfg.maxIterations(); it++) {
      final float[] cn = new float[k];
      for (int j = 0; j < k; j++) {
        cn[j] = Vectors.dot(c.get(j), 0, c.get(j), 0, d);
      }
      boolean changed = it == 0;
      final float[] dist = new float[n];
      for (int i = 0; i < n; i++) {
        int best = 0;
        float bs = Float.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          final float s = cn[j] - 2f * Vectors.dot4Step(p[i], 0, c.get(j), 0, d);
          if (s < bs) {
            bs = s;
            best = j;
          }
        }
        dist[i] = Math.max(0f, pn[i] + bs);
        changed |= label[i] != best;
        label[i] = best;
      }
      final int[] count = new int[k];
      for (final int l : label) {
        count[l]++;
      }
      for (int j = 0; j < k; j++) {
        if (count[j] > 0) {
          continue;
        }
        int far = -1;
        float fs = 0f;
        for (int i = 0; i < n; i++) {
          final float s = MergeFixtures.weight(weights, i) * dist[i];
          if (s > fs && count[label[i]] > 1) {
            fs = s;
            far = i;
          }
        }
        if (far >= 0) {
          count[label[far]]--;
          label[far] = j;
          count[j] = 1;
          dist[far] = 0f;
        }
      }
      float shift = 0f;
      for (int j = 0; j < k; j++) {
        empty[j] = count[j] == 0;
        if (empty[j]) {
          continue;
        }
        final double[] s = new double[d];
        double w = 0;
        for (int i = 0; i < n; i++) {
          if (label[i] == j) {
            final double wi = MergeFixtures.weight(weights, i);
            for (int q = 0; q < d; q++) {
              s[q] += wi * p[i][q];
            }
            w += wi;
          }
        }
        float moved = 0f;
        for (int q = 0; q < d; q++) {
          final float v = (float) (s[q] / w);
          final float delta = v - c.get(j)[q];
          moved += delta * delta;
          c.get(j)[q] = v;
        }
        shift = Math.max(shift, moved);
      }
      if (!changed || shift <= cfg.tolerance()) {
        break;
      }
    }
    final List<double[]> clusters = new ArrayList<>(); // {time, min member, j, weight}
    for (int j = 0; j < k; j++) {
      if (empty[j]) {
        continue;
      }
      double tw = 0;
      double w = 0;
      int min = Integer.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        if (label[i] == j) {
          final double wi = MergeFixtures.weight(weights, i);
          tw += wi * t[i];
          w += wi;
          min = Math.min(min, i);
        }
      }
      clusters.add(new double[] {tw / w, min, j, w});
    }
    clusters.sort(Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> a[1]));
    final int[] rank = new int[k];
    final float[] cent = new float[clusters.size() * d];
    final float[] w = new float[clusters.size()];
    for (int r = 0; r < clusters.size(); r++) {
      final int j = (int) clusters.get(r)[2];
      rank[j] = r;
      System.arraycopy(c.get(j), 0, cent, r * d, d);
      w[r] = (float) clusters.get(r)[3];
    }
    final int[] assignment = new int[n];
    for (int i = 0; i < n; i++) {
      assignment[i] = rank[label[i]];
    }
    return new Naive(assignment, cent, w);
  }
}
