package io.vidctx.tokencompress.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded synthetic tokens and the output-convention checks shared by the kernel tests. */
final class MergeFixtures {
  private MergeFixtures() {}

  /** n unit vectors of width d, Gaussian directions. */
  static float[] unitVectors(final SplittableRandom rnd, final int n, final int d) {
    final float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      double nn = 0;
      for (int k = 0; k < d; k++) {
        final double g = gaussian(rnd);
        x[i * d + k] = (float) g;
        nn += g * g;
      }
      final double inv = 1.0 / Math.sqrt(nn);
      for (int k = 0; k < d; k++) {
        x[i * d + k] = (float) (x[i * d + k] * inv);
      }
    }
    return x;
  }

  /**
   * Video-like frames: each frame is the previous one plus noise of the given strength at every
   * position, re-normalised, so consecutive frames share most patches (what the reducers exploit).
   */
  static float[] driftingFrames(final SplittableRandom rnd, final int frames, final int p, final int d,
      final double noise) {
    final float[] x = new float[frames * p * d];
    final float[] base = unitVectors(rnd, p, d);
    System.arraycopy(base, 0, x, 0, p * d);
    for (int f = 1; f < frames; f++) {
      for (int q = 0; q < p; q++) {
        final int prev = ((f - 1) * p + q) * d;
        final int o = (f * p + q) * d;
        // Some positions change a lot (novel content), most little.
        final double s = rnd.nextInt(5) == 0 ? noise * 6 : noise;
        double nn = 0;
        for (int k = 0; k < d; k++) {
          final double v = x[prev + k] + s * gaussian(rnd) / Math.sqrt(d);
          x[o + k] = (float) v;
          nn += v * v;
        }
        final double inv = 1.0 / Math.sqrt(nn);
        for (int k = 0; k < d; k++) {
          x[o + k] = (float) (x[o + k] * inv);
        }
      }
    }
    return x;
  }

  /** Integer-valued weights in [1, max]. */
  static float[] integerWeights(final SplittableRandom rnd, final int n, final int max) {
    final float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = 1 + rnd.nextInt(max);
    }
    return w;
  }

  static double gaussian(final SplittableRandom rnd) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    final double u = 1.0 - rnd.nextDouble();
    final double v = rnd.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  static float weight(final float[] weights, final int i) {
    return weights == null ? 1f : weights[i];
  }

  /**
   * The MergeOutput convention: assignments in range, every output used, weights are exact member
   * sums (integer weights), embeddings are the weighted member means (checked in double), single
   * member outputs are bit-exact copies, and (unless timeOrdered) outputs are numbered by smallest
   * member.
   */
  static void assertConvention(final MergeOutput out, final float[] in, final int n, final int d,
      final float[] weights, final boolean timeOrdered) {
    assertEquals(n, out.inputCount(), "inputCount");
    assertEquals(d, out.dim(), "dim");
    final int m = out.count();
    assertTrue(m >= 1 && m <= n, "count " + m);
    final int[] a = out.assignment();
    final int[] firstMember = new int[m];
    final int[] memberCount = new int[m];
    Arrays.fill(firstMember, -1);
    final double[] wsum = new double[m];
    final double[][] mean = new double[m][d];
    double totalIn = 0;
    for (int i = 0; i < n; i++) {
      assertTrue(a[i] >= 0 && a[i] < m, "assignment[" + i + "] = " + a[i] + " outside [0, " + m + ")");
      final int j = a[i];
      if (firstMember[j] < 0) {
        firstMember[j] = i;
      }
      memberCount[j]++;
      final double w = weight(weights, i);
      totalIn += w;
      wsum[j] += w;
      for (int k = 0; k < d; k++) {
        mean[j][k] += w * in[i * d + k];
      }
    }
    double totalOut = 0;
    for (int j = 0; j < m; j++) {
      assertTrue(memberCount[j] > 0, "output " + j + " has no member");
      assertEquals(wsum[j], out.weights()[j], 0.0, "weight of output " + j);
      totalOut += out.weights()[j];
      if (!timeOrdered && j > 0) {
        assertTrue(firstMember[j - 1] < firstMember[j], "outputs not in order of smallest member at " + j);
      }
      if (memberCount[j] == 1) {
        assertArrayEquals(Arrays.copyOfRange(in, firstMember[j] * d, firstMember[j] * d + d),
            Arrays.copyOfRange(out.embeddings(), j * d, j * d + d), "single-member output " + j + " is not a copy");
      } else {
        for (int k = 0; k < d; k++) {
          assertEquals(mean[j][k] / wsum[j], out.embeddings()[j * d + k], 1e-5, "mean of output " + j + " dim " + k);
        }
      }
    }
    assertEquals(totalIn, totalOut, 0.0, "total weight");
  }
}
