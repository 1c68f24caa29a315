package io.vidctx.tokencompress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Float16Test {
  @Test
  void fromFloat_everyHalfRoundTripsExactly() {
    for (int h = 0; h < 1 << 16; h++) {
      final float f = Float16.toFloat((short) h);
      if (Float.isNaN(f)) {
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(f))), "NaN stays NaN: " + h);
      } else {
        assertEquals(h, Float16.fromFloat(f) & 0xffff, "half 0x" + Integer.toHexString(h) + " = " + f);
      }
    }
  }

  @Test
  void fromFloat_roundsToTheNearestHalfTiesToEven() {
    // Reference: among all finite halves, the nearest (by exact double distance), ties to the even one.
    final float[] halves = new float[1 << 16];
    for (int h = 0; h < halves.length; h++) {
      halves[h] = Float16.toFloat((short) h);
    }
    final SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      final float f = (float) ((rnd.nextDouble() * 2 - 1) * Math.pow(2, rnd.nextInt(-26, 16)));
      final float got = Float16.toFloat(Float16.fromFloat(f));
      double best = Double.MAX_VALUE;
      for (int h = 0; h < halves.length; h++) {
        if (Float.isFinite(halves[h])) {
          best = Math.min(best, Math.abs((double) halves[h] - f));
        }
      }
      assertEquals(best, Math.abs((double) got - f), 0.0, "value " + f + " rounded to " + got);
    }
    // Ties: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10 and goes to the even mantissa (1).
    assertEquals(1f, Float16.round(1f + 0x1p-11f));
    assertEquals(1f + 0x1p-9f, Float16.round(1f + 0x1p-10f + 0x1p-11f));
  }

  @Test
  void fromFloat_overflowsToInfinityAndKeepsSign() {
    assertEquals(Float16.MAX, Float16.round(65519f));
    assertEquals(Float.POSITIVE_INFINITY, Float16.round(65520f));
    assertEquals(Float.NEGATIVE_INFINITY, Float16.round(-1e9f));
    assertEquals(-0f, Float16.round(-0f));
    assertEquals(0x1p-24f, Float16.round(0x1p-24f));
    assertEquals(0f, Float16.round(0x1p-26f));
    assertTrue(Float16.fits(65504f));
    assertTrue(!Float16.fits(Float.NaN) && !Float16.fits(70000f));
  }
}
