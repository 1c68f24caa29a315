package io.vidctx.tokencompress.merge;

import org.jspecify.annotations.Nullable;

/*
 * Shared primitives of the merge kernels: a dot product on flat row-major arrays and the input
 * checks. The dot product keeps four independent accumulators so the JIT can overlap the
 * multiply-adds instead of waiting on one dependency chain; its summation order is fixed, so a
 * given input gives the same bits on every run (the kernels' determinism rests on that). Input
 * checks ride on the squared norms the kernels compute anyway: NaN or infinity in a row makes its
 * squared norm non-finite, and only then is the row scanned to name the bad element.
 */
public final class Vectors {
  private Vectors() {}

  /** Dot product of {@code a[ao..ao+d)} and {@code b[bo..bo+d)}, fixed summation order. */
  public static float dot(final float[] a, final int ao, final float[] b, final int bo, final int d) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int k = 0;
    for (; k + 3 < d; k += 4) {
      s0 += a[ao + k] * b[bo + k];
      s1 += a[ao + k + 1] * b[bo + k + 1];
      s2 += a[ao + k + 2] * b[bo + k + 2];
      s3 += a[ao + k + 3] * b[bo + k + 3];
    }
    for (; k < d; k++) {
      s0 += a[ao + k] * b[bo + k];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * The similarity order of {@link BipartiteMerger}: dimensions in steps of four, each step's four
   * products summed left to right and then added to the running sum, the remainder one at a time.
   * Reference implementations use it to reproduce the kernel's bits.
   */
  static float dot4Step(final float[] a, final int ao, final float[] b, final int bo, final int d) {
    float s = 0f;
    int k = 0;
    for (; k + 3 < d; k += 4) {
      s += a[ao + k] * b[bo + k] + a[ao + k + 1] * b[bo + k + 1] + a[ao + k + 2] * b[bo + k + 2]
          + a[ao + k + 3] * b[bo + k + 3];
    }
    for (; k < d; k++) {
      s += a[ao + k] * b[bo + k];
    }
    return s;
  }

  /**
   * Squared norm of row {@code row} of {@code a} (width d), rejecting non-finite values.
   *
   * @throws IllegalArgumentException naming the row and the bad element when a value is NaN or
   *     infinite, or when the squared norm overflows
   */
  static float checkedSquaredNorm(final String what, final float[] a, final int row, final int d) {
    final int o = row * d;
    final float nn = dot(a, o, a, o, d);
    if (!Float.isFinite(nn)) {
      for (int k = 0; k < d; k++) {
        if (!Float.isFinite(a[o + k])) {
          throw new IllegalArgumentException(what + " token " + row + " has a non-finite value " + a[o + k]
              + " at dim " + k);
        }
      }
      throw new IllegalArgumentException(what + " token " + row + ": squared norm overflows float (" + nn + ")");
    }
    return nn;
  }

  /** 1/|x| for a squared norm, 0 for a zero vector (whose cosine with anything is then 0). */
  static float inverseNorm(final float squaredNorm) {
    return squaredNorm > 0f ? (float) (1.0 / Math.sqrt(squaredNorm)) : 0f;
  }

  static void requirePositive(final String name, final int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /** Checks {@code array.length == rows * d} without int overflow. */
  static void requireLength(final String name, final float[] array, final int rows, final int d) {
    final long need = (long) rows * d;
    if (need > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + ": " + rows + " x " + d + " floats exceed an array");
    }
    if (array.length != need) {
      throw new IllegalArgumentException(name + " holds " + array.length + " floats, " + rows + " tokens x " + d
          + " dims need " + need);
    }
  }

  /**
   * Checks optional weights: null means every token weighs 1; otherwise exactly n entries, each
   * finite and positive (a zero weight would make a weighted mean undefined).
   */
  static void requireWeights(final float @Nullable [] weights, final int n) {
    if (weights == null) {
      return;
    }
    if (weights.length != n) {
      throw new IllegalArgumentException("weights holds " + weights.length + " entries, expected " + n);
    }
    for (int i = 0; i < n; i++) {
      final float w = weights[i];
      if (!(w > 0f) || !Float.isFinite(w)) {
        throw new IllegalArgumentException("weight " + i + " must be finite and positive, was " + w);
      }
    }
  }

  static float weight(final float @Nullable [] weights, final int i) {
    return weights == null ? 1f : weights[i];
  }

  /**
   * A long that sorts ascending by score descending, then index ascending: the sortable bits of
   * the float (order-preserving as a signed int) complemented in the high half, the index in the
   * low half. Lets the kernels sort (score, index) pairs with {@code Arrays.sort(long[])}: no
   * boxing, no comparator.
   */
  static long descendingKey(final float score, final int index) {
    final int bits = Float.floatToIntBits(score + 0f); // + 0f turns -0 into +0
    final int ordered = bits < 0 ? bits ^ 0x7fffffff : bits;
    return ((long) ~ordered << 32) | (index & 0xffffffffL);
  }

  static long ascendingKey(final int primary, final int index) {
    return ((long) primary << 32) | (index & 0xffffffffL);
  }
}
