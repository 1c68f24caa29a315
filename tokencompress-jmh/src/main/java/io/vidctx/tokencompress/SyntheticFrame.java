package io.vidctx.tokencompress;

import java.util.SplittableRandom;

/**
 * One frame of the benchmarks' synthetic footage: a side x side grid whose cells show a scene's
 * background or, inside the k x k window at (r0, c0), a moving object, plus a camera drift common
 * to all cells and fresh noise per cell (strong on "busy" background cells). Cells are unit
 * vectors; the global embedding is their normalised mean. Shared by the compressor and selection
 * benchmarks so both measure the same kind of input.
 */
public final class SyntheticFrame {
  /** Noise on busy background cells (leaves, water, crowds). */
  public static final double BUSY_NOISE = 1.0;
  /** Fresh per-frame noise on the other cells. */
  public static final double NOISE = 0.2;

  private SyntheticFrame() {}

  /**
   * Renders one frame; draws from {@code rnd} in a fixed order, so a seed gives the same footage.
   *
   * @param mean scratch of {@code d} doubles
   * @return {patches (side*side*d), global (d)}
   */
  public static float[][] render(final int side, final int k, final int d, final int r0, final int c0,
      final float[] obj, final float[] bg, final boolean[] busy, final float[] drift, final double[] mean,
      final SplittableRandom rnd) {
    final int p = side * side;
    final float[] x = new float[p * d];
    java.util.Arrays.fill(mean, 0);
    for (int q = 0; q < p; q++) {
      final int r = q / side - r0;
      final int c = q % side - c0;
      final boolean onObj = r >= 0 && r < k && c >= 0 && c < k;
      final float[] src = onObj ? obj : bg;
      final int so = onObj ? (r * k + c) * d : q * d;
      final double sigma = (busy[q] && !onObj ? BUSY_NOISE : NOISE) / Math.sqrt(d);
      final int o = q * d;
      double nn = 0;
      for (int i = 0; i < d; i++) {
        final double v = src[so + i] + drift[i] + sigma * noise(rnd);
        x[o + i] = (float) v;
        nn += v * v;
      }
      final double inv = 1 / Math.sqrt(nn);
      for (int i = 0; i < d; i++) {
        x[o + i] = (float) (x[o + i] * inv);
        mean[i] += x[o + i];
      }
    }
    final float[] g = new float[d];
    double gn = 0;
    for (int i = 0; i < d; i++) {
      gn += mean[i] * mean[i];
    }
    for (int i = 0; i < d; i++) {
      g[i] = (float) (mean[i] / Math.sqrt(gn));
    }
    return new float[][] {x, g};
  }

  /** Uniform noise of unit variance. */
  public static double noise(final SplittableRandom rnd) {
    return (rnd.nextDouble() * 2 - 1) * 1.7320508075688772;
  }
}
