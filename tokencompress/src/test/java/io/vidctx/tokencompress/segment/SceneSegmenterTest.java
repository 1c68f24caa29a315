package io.vidctx.tokencompress.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SceneSegmenterTest {
  private static final long HALF_S = 500_000L;
  private static final SegmenterConfig CFG = SegmenterConfig.DEFAULTS; // 0.9, 1 s .. 60 s

  static float[] at(final double angle) {
    return new float[] {(float) Math.cos(angle), (float) Math.sin(angle), 0};
  }

  private static List<Boolean> run(final SegmenterConfig cfg, final float[]... g) {
    final SceneSegmenter s = SceneSegmenter.create(cfg);
    final List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < g.length; i++) {
      out.add(s.offer(i * HALF_S, g[i]));
    }
    return out;
  }

  @Test
  void offer_firstFrameOpensASegment() {
    assertEquals(List.of(true, false), run(CFG, at(0), at(0)));
  }

  @Test
  void offer_cut_opensSegmentAndResetsCentroid() {
    final SceneSegmenter s = SceneSegmenter.create(CFG);
    s.offer(0, at(0));
    s.offer(HALF_S, at(0));
    s.offer(2 * HALF_S, at(0));
    assertTrue(s.offer(3 * HALF_S, at(Math.PI / 2)));
    assertEquals(3 * HALF_S, s.segmentStartPtsMicros());
    assertArrayEquals(at(Math.PI / 2), s.centroid(), 1e-6f);
    assertEquals(2, s.stats().segments());
  }

  @Test
  void offer_slowDrift_doesNotSplitUntilMaxDuration() {
    // 0.2 rad per frame: each frame is close to the previous (cos 0.98) but leaves the centroid.
    final float[][] g = new float[12][];
    for (int i = 0; i < g.length; i++) {
      g[i] = at(0.2 * i);
    }
    assertEquals(1, run(CFG, g).stream().filter(b -> b).count());
    final List<Boolean> capped = run(CFG.withMaxDurationMicros(2_000_000), g);
    assertEquals(List.of(true, false, false, false, true, false, false, false, true, false, false, false), capped);
  }

  @Test
  void offer_fastMotionWithinScene_doesNotSplitWhileNearCentroid() {
    // Alternating +-0.4 rad: far from the previous frame (cos 0.70) but close to the centroid (cos 0.92).
    final List<Boolean> b = run(CFG, at(0.2), at(-0.2), at(0.2), at(-0.2), at(0.2), at(-0.2));
    assertEquals(1, b.stream().filter(x -> x).count());
  }

  @Test
  void offer_flashFrame_opensAtMostOneSegmentWithinMinDuration() {
    final List<Boolean> b = run(CFG, at(0), at(0), at(0), at(Math.PI / 2), at(0), at(0), at(0));
    assertEquals(List.of(true, false, false, true, false, false, false), b);
  }

  @Test
  void offer_minDuration_holdsBackAnEarlyCut() {
    final List<Boolean> b = run(CFG, at(0), at(Math.PI / 2), at(Math.PI / 2), at(Math.PI / 2));
    assertEquals(List.of(true, false, false, false), b, "the cut at 0.5 s comes before the 1 s minimum");
    assertEquals(List.of(true, true, false, false),
        run(CFG.withMinDurationMicros(0), at(0), at(Math.PI / 2), at(Math.PI / 2), at(Math.PI / 2)));
  }

  @Test
  void offer_disabled_isOneSegment() {
    assertEquals(List.of(true, false, false), run(CFG.withEnabled(false), at(0), at(Math.PI), at(0)));
  }

  @Test
  void offer_badInput_rejectedAndStateUntouched() {
    final SceneSegmenter s = SceneSegmenter.create(CFG);
    s.offer(0, at(0));
    final SceneSegmenterState before = s.state();
    assertThrows(IllegalArgumentException.class, () -> s.offer(HALF_S, new float[] {1, 0}));
    assertThrows(IllegalArgumentException.class, () -> s.offer(HALF_S, new float[] {Float.NaN, 0, 0}));
    assertThrows(IllegalArgumentException.class, () -> s.offer(HALF_S, new float[] {0, Float.NEGATIVE_INFINITY, 0}));
    final IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> s.offer(0, at(0)));
    assertTrue(dup.getMessage().contains("frame 1") && dup.getMessage().contains("not after"), dup.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.offer(-5, at(0)));
    assertThrows(IllegalArgumentException.class, () -> s.offer(HALF_S, new float[3]));
    final SceneSegmenterState after = s.state();
    assertEquals(before.accepted(), after.accepted());
    assertArrayEquals(before.centroidSum(), after.centroidSum());
    assertFalse(s.offer(HALF_S, at(0)));
  }

  @Test
  void stats_emptyStream_hasNoSegments() {
    final SceneSegmenter s = SceneSegmenter.create(CFG);
    assertEquals(0, s.stats().segments());
    assertEquals(0, s.centroid().length);
    assertEquals(Long.MIN_VALUE, s.segmentStartPtsMicros());
  }

  @Test
  void offer_property_matchesNaiveReferenceAndRestoreOnRandomStreams() {
    final Random rnd = new Random(99);
    for (int trial = 0; trial < 300; trial++) {
      final int n = rnd.nextInt(80);
      final int dim = 1 + rnd.nextInt(10);
      final float[][] g = randomScenes(rnd, n, dim);
      final long[] pts = new long[n];
      for (int i = 0; i < n; i++) {
        pts[i] = (i == 0 ? 0 : pts[i - 1]) + 1 + rnd.nextInt(800_000);
      }
      final long min = rnd.nextInt(3) * 500_000L;
      final SegmenterConfig cfg =
          new SegmenterConfig(rnd.nextInt(8) > 0, 0.3 + rnd.nextDouble() * 0.7, min, min + 1 + rnd.nextInt(10_000_000));
      final boolean[] want = NaiveSegmenter.boundaries(cfg, pts, g);
      final int cutAt = n == 0 ? 0 : rnd.nextInt(n);
      SceneSegmenter s = SceneSegmenter.create(cfg);
      long opened = 0;
      for (int i = 0; i < n; i++) {
        if (i == cutAt) {
          s = SceneSegmenter.restore(cfg, s.state());
        }
        final boolean got = s.offer(pts[i], g[i]);
        assertEquals(want[i], got, "trial " + trial + " frame " + i + " " + cfg);
        opened += got ? 1 : 0;
      }
      assertEquals(opened, s.stats().segments());
    }
  }

  /** A few random scenes with small jitter inside each. */
  static float[][] randomScenes(final Random rnd, final int n, final int dim) {
    final float[][] g = new float[n][dim];
    final double[] base = new double[dim];
    for (int i = 0; i < n; i++) {
      if (i == 0 || rnd.nextInt(8) == 0) {
        for (int k = 0; k < dim; k++) {
          base[k] = rnd.nextGaussian();
        }
      }
      double norm = 0;
      final double[] v = new double[dim];
      for (int k = 0; k < dim; k++) {
        v[k] = base[k] + 0.3 * rnd.nextGaussian();
        norm += v[k] * v[k];
      }
      for (int k = 0; k < dim; k++) {
        g[i][k] = (float) (v[k] / Math.sqrt(norm));
      }
    }
    return g;
  }
}
