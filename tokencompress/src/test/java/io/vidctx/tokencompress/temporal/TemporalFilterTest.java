package io.vidctx.tokencompress.temporal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TemporalFilterTest {
  private static final TemporalFilterConfig LAST = TemporalFilterConfig.DEFAULTS.withThreshold(0.9).withMaxGapMicros(0);
  private static final TemporalFilterConfig WIN = TemporalFilterConfig.WINDOW_DEFAULTS.withWindow(4).withThreshold(0.9);

  /** A unit vector at {@code angle} radians in the plane of axes 0 and 1 (cosine between two = cos of the angle difference). */
  static float[] at(final double angle) {
    return new float[] {(float) Math.cos(angle), (float) Math.sin(angle), 0};
  }

  private static List<FrameDecision> offerAll(final TemporalFilter f, final float[][] g) {
    final List<FrameDecision> out = new ArrayList<>();
    for (int i = 0; i < g.length; i++) {
      out.addAll(f.offer(i * 500_000L, g[i]));
    }
    out.addAll(f.flush());
    return out;
  }

  @Test
  void offer_lastKept_dropsNearDuplicateIntoLastKept() {
    final TemporalFilter f = TemporalFilter.create(LAST);
    assertEquals(List.of(FrameDecision.keep(0, 0)), f.offer(0, at(0)));
    assertEquals(List.of(FrameDecision.drop(1, 10, 0, 0)), f.offer(10, at(0.1)));
    assertEquals(new TemporalStats(2, 2, 1, f.stats().nanos()), f.stats());
  }

  @Test
  void offer_lastKept_keepsChangeAndComparesWithLastKeptNotPrevious() {
    // Steps of 0.3 rad (cos 0.955) are each similar to the previous frame, but drift from the last kept.
    final List<FrameDecision> d = offerAll(TemporalFilter.create(LAST), new float[][] {at(0), at(0.3), at(0.6), at(0.9)});
    assertEquals(List.of(true, false, true, false), d.stream().map(FrameDecision::kept).toList());
    assertEquals(2, d.get(3).keptSequence());
  }

  @Test
  void offer_lastKept_maxGapForcesKeepOnStaticInput() {
    final TemporalFilter f = TemporalFilter.create(LAST.withMaxGapMicros(1_000_000));
    int kept = 0;
    for (int i = 0; i < 10; i++) {
      kept += f.offer(i * 500_000L, at(0)).get(0).kept() ? 1 : 0;
    }
    assertEquals(5, kept, "frames at 0, 1, 2, 3, 4 s");
  }

  @Test
  void offer_disabled_keepsEverythingButStillValidates() {
    final TemporalFilter f = TemporalFilter.create(WIN.withEnabled(false));
    assertTrue(f.offer(0, at(0)).get(0).kept());
    assertTrue(f.offer(1, at(0)).get(0).kept());
    assertThrows(IllegalArgumentException.class, () -> f.offer(1, at(0)));
  }

  @Test
  void offer_window_decisionsWaitForTheWindowToClose() {
    final TemporalFilter f = TemporalFilter.create(WIN);
    assertEquals(List.of(), f.offer(0, at(0)));
    assertEquals(List.of(), f.offer(1, at(0)));
    assertEquals(List.of(), f.offer(2, at(0)));
    assertEquals(3, f.pending());
    final List<FrameDecision> d = f.offer(3, at(0));
    assertEquals(4, d.size());
    assertEquals(0, f.pending());
    // Identical frames: only the middle (index 2) survives; 0 and 1 fold into it, 3 too.
    assertEquals(List.of(false, false, true, false), d.stream().map(FrameDecision::kept).toList());
    assertEquals(List.of(2L, 2L, 2L, 2L), d.stream().map(FrameDecision::keptSequence).toList());
  }

  @Test
  void offer_window_keepsOutlierAndAbsorbsIntoNearestEarlierOnTie() {
    final TemporalFilter f = TemporalFilter.create(WIN.withKeepMiddle(false));
    final List<FrameDecision> d =
        offerAll(f, new float[][] {at(Math.PI / 2), at(0), at(0), at(0)});
    // Frame 0 is orthogonal to the rest: mean cosine 0.25 -> kept. Others: mean 0.75 -> also kept at 0.9.
    assertTrue(d.get(0).kept());
    final List<FrameDecision> d2 = offerAll(TemporalFilter.create(WIN.withThreshold(0.7).withKeepMiddle(false)),
        new float[][] {at(Math.PI / 2), at(0), at(0), at(0)});
    assertEquals(List.of(true, false, false, false), d2.stream().map(FrameDecision::kept).toList());
    assertEquals(0, d2.get(3).keptSequence());
  }

  @Test
  void offer_window_keepsMiddleWhenNothingElseSurvives() {
    final List<FrameDecision> d = offerAll(TemporalFilter.create(WIN.withKeepMiddle(false)),
        new float[][] {at(0), at(0), at(0), at(0)});
    assertEquals(List.of(false, false, true, false), d.stream().map(FrameDecision::kept).toList());
  }

  @Test
  void flush_window_decidesThePartialWindowAndEmptyStreamGivesNothing() {
    final TemporalFilter f = TemporalFilter.create(WIN);
    assertEquals(List.of(), f.flush());
    f.offer(0, at(0));
    f.offer(1, at(0));
    final List<FrameDecision> d = f.flush();
    assertEquals(List.of(false, true), d.stream().map(FrameDecision::kept).toList());
    assertEquals(List.of(), f.flush());
    assertEquals(new TemporalStats(2, 2, 1, f.stats().nanos()), f.stats());
  }

  @Test
  void offer_badInput_rejectedWithValueAndPositionAndStateUntouched() {
    final TemporalFilter f = TemporalFilter.create(LAST);
    f.offer(100, at(0));
    final IllegalArgumentException dim = assertThrows(IllegalArgumentException.class, () -> f.offer(200, new float[4]));
    assertTrue(dim.getMessage().contains("frame 1") && dim.getMessage().contains("4 values"), dim.getMessage());
    final IllegalArgumentException nan =
        assertThrows(IllegalArgumentException.class, () -> f.offer(200, new float[] {1, Float.NaN, 0}));
    assertTrue(nan.getMessage().contains("value 1 is NaN"), nan.getMessage());
    final IllegalArgumentException inf =
        assertThrows(IllegalArgumentException.class, () -> f.offer(200, new float[] {Float.POSITIVE_INFINITY, 0, 0}));
    assertTrue(inf.getMessage().contains("Infinity"), inf.getMessage());
    final IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> f.offer(100, at(0)));
    assertTrue(dup.getMessage().contains("100 us is not after"), dup.getMessage());
    final IllegalArgumentException back = assertThrows(IllegalArgumentException.class, () -> f.offer(50, at(0)));
    assertTrue(back.getMessage().contains("50 us"), back.getMessage());
    final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> f.offer(200, new float[3]));
    assertTrue(zero.getMessage().contains("norm"), zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> f.offer(200, new float[0]));
    assertEquals(1, f.stats().framesIn());
    assertEquals(List.of(FrameDecision.drop(1, 200, 0, 100)), f.offer(200, at(0)));
  }

  @Test
  void offer_doesNotAliasOrNeedUnitInput() {
    final TemporalFilter f = TemporalFilter.create(LAST);
    final float[] g = {3, 0, 0};
    f.offer(0, g);
    g[0] = 0;
    g[1] = 5;
    assertTrue(f.offer(1, new float[] {7, 0.1f, 0}).get(0).kept() == false, "scaled copy of the first frame is a duplicate");
    assertArrayEquals(new float[] {1, 0, 0}, f.state().lastKept());
  }

  @Test
  void restore_continuesExactlyLikeAnUninterruptedFilter() {
    for (final TemporalFilterConfig cfg : List.of(LAST, WIN, LAST.withMaxGapMicros(2_000_000))) {
      final float[][] g = randomWalk(new Random(7), 40, 8, 0.3);
      final List<FrameDecision> whole = offerAll(TemporalFilter.create(cfg), g);
      final TemporalFilter first = TemporalFilter.create(cfg);
      final List<FrameDecision> parts = new ArrayList<>();
      for (int i = 0; i < 23; i++) {
        parts.addAll(first.offer(i * 500_000L, g[i]));
      }
      final TemporalFilter second = TemporalFilter.restore(cfg, first.state());
      for (int i = 23; i < g.length; i++) {
        parts.addAll(second.offer(i * 500_000L, g[i]));
      }
      parts.addAll(second.flush());
      assertEquals(whole, parts, cfg.toString());
    }
  }

  @Test
  void offer_property_matchesNaiveReferenceOnRandomStreams() {
    final Random rnd = new Random(20240611L);
    for (int trial = 0; trial < 300; trial++) {
      final int n = rnd.nextInt(60);
      final int dim = 1 + rnd.nextInt(12);
      final float[][] g = randomWalk(rnd, n, dim, rnd.nextDouble());
      final long[] pts = new long[n];
      for (int i = 0; i < n; i++) {
        pts[i] = (i == 0 ? rnd.nextInt(1000) : pts[i - 1]) + 1 + rnd.nextInt(900_000);
      }
      final TemporalFilterConfig cfg = new TemporalFilterConfig(true,
          rnd.nextBoolean() ? TemporalFilterConfig.Mode.WINDOW : TemporalFilterConfig.Mode.LAST_KEPT,
          1 + rnd.nextInt(20), 0.5 + rnd.nextDouble() * 0.5, rnd.nextBoolean(), rnd.nextBoolean() ? 0 : 2_000_000);
      final TemporalFilter f = TemporalFilter.create(cfg);
      final List<FrameDecision> got = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        got.addAll(f.offer(pts[i], g[i]));
        assertTrue(f.pending() < cfg.window());
      }
      got.addAll(f.flush());
      final List<FrameDecision> want = NaiveTemporalFilter.decide(cfg, pts, g);
      assertEquals(want, got, "trial " + trial + " " + cfg);
      long kept = 0;
      for (final FrameDecision d : got) {
        kept += d.kept() ? 1 : 0;
        assertTrue(d.kept() || got.get((int) d.keptSequence()).kept(), "absorbed by a kept frame");
      }
      assertEquals(kept, f.stats().framesKept());
      assertFalse(n > 0 && kept == 0, "a non-empty stream keeps a frame");
    }
  }

  /** Unit vectors that wander: each step mixes in fresh noise with weight {@code step}; sometimes jumps. */
  static float[][] randomWalk(final Random rnd, final int n, final int dim, final double step) {
    final float[][] g = new float[n][dim];
    final double[] cur = new double[dim];
    for (int i = 0; i < n; i++) {
      final boolean jump = i == 0 || rnd.nextInt(10) == 0;
      double norm = 0;
      for (int k = 0; k < dim; k++) {
        cur[k] = jump ? rnd.nextGaussian() : cur[k] + step * rnd.nextGaussian() / Math.sqrt(dim);
        norm += cur[k] * cur[k];
      }
      norm = Math.sqrt(norm);
      for (int k = 0; k < dim; k++) {
        cur[k] /= norm;
        g[i][k] = (float) cur[k];
      }
    }
    return g;
  }
}
