package io.vidctx.tokencompress.merge;

import java.util.SplittableRandom;

/**
 * Seeded synthetic tokens for the benchmarks, the same generators as the kernel tests'
 * MergeFixtures (test classes are not on this module's classpath): unit vectors with Gaussian
 * directions, and video-like drifting frames where consecutive frames share most patches.
 */
public final class BenchInputs {
  private BenchInputs() {}

  /** n unit vectors of width d. */
  public static float[] unitVectors(final SplittableRandom rnd, final int n, final int d) {
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

  /** Frames x P x d floats: each frame the previous plus noise (one position in five: 6x the noise). */
  public static float[] driftingFrames(final SplittableRandom rnd, final int frames, final int p, final int d,
      final double noise) {
    final float[] x = new float[frames * p * d];
    System.arraycopy(unitVectors(rnd, p, d), 0, x, 0, p * d);
    for (int f = 1; f < frames; f++) {
      for (int q = 0; q < p; q++) {
        final int prev = ((f - 1) * p + q) * d;
        final int o = (f * p + q) * d;
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

  /** Parses a "tokens x dim" benchmark parameter such as {@code 196x512}. */
  public static int[] shape(final String param) {
    final int x = param.indexOf('x');
    if (x <= 0) {
      throw new IllegalArgumentException("shape must read TOKENSxDIM, was " + param);
    }
    return new int[] {Integer.parseInt(param.substring(0, x)), Integer.parseInt(param.substring(x + 1))};
  }

  private static double gaussian(final SplittableRandom rnd) {
    final double u = 1.0 - rnd.nextDouble();
    final double v = rnd.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
