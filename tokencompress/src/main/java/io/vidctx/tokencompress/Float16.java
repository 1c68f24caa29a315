package io.vidctx.tokencompress;

/**
 * IEEE 754 binary16 ("half") conversion for tokens on the wire: half the bytes of float32 with a
 * relative error of at most 2^-11 (about 0.05 %) for normal values, which is far below the
 * differences the selector and the memory act on. Java 17 has no {@code Float.floatToFloat16}
 * (added in 20), so the rounding is done here: round to nearest, ties to even, like the hardware.
 *
 * <p>Values beyond {@link #MAX} round to infinity; callers that must not lose them check with
 * {@link #fits} first. NaN stays NaN (quiet).
 */
public final class Float16 {
  /** The largest finite half: 65504. */
  public static final float MAX = 65504f;

  // Every half's float value: decoding is one array read (256 KB, built once, never written).
  private static final float[] TO_FLOAT = new float[1 << 16];

  static {
    for (int h = 0; h < TO_FLOAT.length; h++) {
      TO_FLOAT[h] = decode((short) h);
    }
  }

  private Float16() {}

  /** The half nearest to {@code f} (ties to even), as its 16 bits. */
  public static short fromFloat(final float f) {
    final int bits = Float.floatToRawIntBits(f);
    final int sign = (bits >>> 16) & 0x8000;
    final int abs = bits & 0x7fff_ffff;
    if (abs >= 0x7f80_0000) {
      // Infinity keeps its sign; any NaN becomes the quiet NaN.
      return (short) (sign | 0x7c00 | (abs > 0x7f80_0000 ? 0x0200 : 0));
    }
    if (abs >= 0x477f_f000) {
      // 65520 and above round past the largest half.
      return (short) (sign | 0x7c00);
    }
    if (abs >= 0x3880_0000) {
      // Normal half: rebias the exponent (127 -> 15), then round the 13 dropped mantissa bits to
      // nearest even; a carry out of the mantissa correctly bumps the exponent.
      final int rebased = abs - 0x3800_0000;
      return (short) (sign | ((rebased + 0x0fff + ((rebased >>> 13) & 1)) >>> 13));
    }
    // Subnormal half (or zero): the value in units of 2^-24, rounded half to even; exact in double.
    final int units = (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24);
    return (short) (sign | units);
  }

  /** The float value of a half's 16 bits (exact). */
  public static float toFloat(final short half) {
    return TO_FLOAT[half & 0xffff];
  }

  /** Whether {@code f} is finite and within the half range (it may still lose precision). */
  public static boolean fits(final float f) {
    return Math.abs(f) <= MAX;
  }

  /** {@code f} rounded to the nearest half, as a float. */
  public static float round(final float f) {
    return toFloat(fromFloat(f));
  }

  private static float decode(final short half) {
    final int h = half & 0xffff;
    final int sign = (h & 0x8000) << 16;
    final int exp = (h >>> 10) & 0x1f;
    final int mant = h & 0x03ff;
    if (exp == 0) {
      final float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f80_0000 | (mant << 13));
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
