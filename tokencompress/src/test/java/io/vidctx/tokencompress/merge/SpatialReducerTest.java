package io.vidctx.tokencompress.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpatialReducerTest {
  private static final int P = 12;
  private static final int D = 16;

  @Test
  void reduce_identicalFrames_keepOneTokenPerLaterFrame() {
    // One-hot patches: every cosine with the anchor is exactly 1, a full tie.
    final float[] one = new float[P * D];
    for (int q = 0; q < P; q++) {
      one[q * D + q % D] = 1f;
    }
    final float[] frames = new float[3 * P * D];
    for (int f = 0; f < 3; f++) {
      System.arraycopy(one, 0, frames, f * P * D, P * D);
    }
    final MergeOutput out = new SpatialReducer(SpatialReducer.Config.DEFAULTS).reduce(frames, 3, P, D, null,
        new MergeOutput());
    // Anchor keeps P; each later frame is all duplicates but keeps its minimum of one.
    assertEquals(P + 2, out.count());
    MergeFixtures.assertConvention(out, frames, 3 * P, D, null, false);
    // All cosines tie at 1: the tie goes to the smaller position, so the last position survives.
    assertEquals(P, out.assignment()[P + P - 1]);
    assertEquals(P + 1, out.assignment()[2 * P + P - 1]);
    assertEquals(0, out.assignment()[P]);
  }

  @Test
  void reduce_mostNovelSurvives_whenMinimumBinds() {
    final SplittableRandom rnd = new SplittableRandom(2);
    final float[] frames = MergeFixtures.driftingFrames(rnd, 2, P, D, 0.01);
    // Make position 5 of frame 1 the least similar of all (but still above the threshold).
    final float[] anchor5 = Arrays.copyOfRange(frames, 5 * D, 6 * D);
    final float[] other = MergeFixtures.unitVectors(rnd, 1, D);
    for (int k = 0; k < D; k++) {
      frames[(P + 5) * D + k] = 0.9f * anchor5[k] + 0.1f * other[k];
    }
    final SpatialReducer reducer = new SpatialReducer(new SpatialReducer.Config(true, 8, 0.5f, 1));
    final MergeOutput out = reducer.reduce(frames, 2, P, D, null, new MergeOutput());
    assertEquals(P + 1, out.count());
    assertEquals(P, out.assignment()[P + 5], "the most novel patch is the one kept");
  }

  @Test
  void reduce_thresholdAboveAllCosines_keepsEverything() {
    final float[] frames = MergeFixtures.unitVectors(new SplittableRandom(3), 4 * P, D);
    final MergeOutput out = new SpatialReducer(new SpatialReducer.Config(true, 8, 0.99f, 1))
        .reduce(frames, 4, P, D, null, new MergeOutput());
    assertEquals(4 * P, out.count());
    for (int i = 0; i < 4 * P; i++) {
      assertEquals(i, out.assignment()[i]);
    }
  }

  @Test
  void reduce_disabled_isIdentity() {
    final float[] one = MergeFixtures.unitVectors(new SplittableRandom(4), P, D);
    final float[] frames = new float[2 * P * D];
    System.arraycopy(one, 0, frames, 0, P * D);
    System.arraycopy(one, 0, frames, P * D, P * D);
    final MergeOutput out = new SpatialReducer(new SpatialReducer.Config(false, 8, 0.75f, 1))
        .reduce(frames, 2, P, D, null, new MergeOutput());
    assertEquals(2 * P, out.count());
    assertArrayEquals(frames, out.embeddingsCopy());
  }

  @Test
  void reduce_chunks_startNewAnchors() {
    final float[] one = MergeFixtures.unitVectors(new SplittableRandom(5), P, D);
    final float[] frames = new float[5 * P * D];
    for (int f = 0; f < 5; f++) {
      System.arraycopy(one, 0, frames, f * P * D, P * D);
    }
    final MergeOutput out = new SpatialReducer(new SpatialReducer.Config(true, 2, 0.75f, 1))
        .reduce(frames, 5, P, D, null, new MergeOutput());
    // Chunks {0,1}, {2,3}, {4}: three anchors of P plus one token each for frames 1 and 3.
    assertEquals(3 * P + 2, out.count());
    assertEquals(P + 1, out.assignment()[2 * P], "frame 2 is an anchor: its first token opens a new output");
    MergeFixtures.assertConvention(out, frames, 5 * P, D, null, false);
  }

  @Test
  void reduce_minTokensPerFrameAboveGrid_keepsAll() {
    final float[] one = MergeFixtures.unitVectors(new SplittableRandom(6), P, D);
    final float[] frames = new float[2 * P * D];
    System.arraycopy(one, 0, frames, 0, P * D);
    System.arraycopy(one, 0, frames, P * D, P * D);
    final MergeOutput out = new SpatialReducer(new SpatialReducer.Config(true, 8, 0.75f, P + 3))
        .reduce(frames, 2, P, D, null, new MergeOutput());
    assertEquals(2 * P, out.count());
  }

  @Test
  void reduce_matchesNaiveReference_seeded() {
    for (int seed = 0; seed < 60; seed++) {
      final SplittableRandom rnd = new SplittableRandom(seed);
      final int frames = 1 + rnd.nextInt(12);
      final int p = 1 + rnd.nextInt(20);
      final int d = 1 + rnd.nextInt(24);
      final SpatialReducer.Config cfg = new SpatialReducer.Config(true, 1 + rnd.nextInt(8),
          (float) (0.3 + 0.6 * rnd.nextDouble()), 1 + rnd.nextInt(3));
      final float[] x = MergeFixtures.driftingFrames(rnd, frames, p, d, 0.3 + rnd.nextDouble());
      final float[] w = rnd.nextBoolean() ? null : MergeFixtures.integerWeights(rnd, frames * p, 5);
      final float[] xCopy = x.clone();
      final MergeOutput out = new SpatialReducer(cfg).reduce(x, frames, p, d, w, new MergeOutput());
      final String ctx = "seed " + seed + " " + cfg;
      assertArrayEquals(xCopy, x, "input modified, " + ctx);
      MergeFixtures.assertConvention(out, x, frames * p, d, w, false);
      final int[] expected = naive(cfg, x, frames, p, d);
      assertArrayEquals(expected, out.assignmentCopy(), ctx);
      // At least min(minTokensPerFrame, P) outputs whose first member is in each frame.
      final int[] perFrame = new int[frames];
      for (int i = 0; i < frames * p; i++) {
        if (i == 0 || out.assignment()[i] > maxBefore(out.assignment(), i)) {
          perFrame[i / p]++;
        }
      }
      for (int f = 0; f < frames; f++) {
        assertTrue(perFrame[f] >= Math.min(cfg.minTokensPerFrame(), p), "frame " + f + " kept " + perFrame[f] + ", " + ctx);
      }
    }
  }

  @Test
  void reduceFrame_streamingMatchesChunkForm() {
    final SplittableRandom rnd = new SplittableRandom(7);
    final int frames = 6;
    final float[] x = MergeFixtures.driftingFrames(rnd, frames, P, D, 0.5);
    final float[] w = MergeFixtures.integerWeights(rnd, frames * P, 4);
    final SpatialReducer.Config cfg = new SpatialReducer.Config(true, 8, 0.8f, 2);
    final MergeOutput whole = new SpatialReducer(cfg).reduce(x, frames, P, D, w, new MergeOutput());

    final SpatialReducer streaming = new SpatialReducer(cfg);
    streaming.setAnchor(x, 0, P, D, w, 0);
    final int[] target = new int[P];
    int next = P;
    for (int f = 1; f < frames; f++) {
      final int kept = streaming.reduceFrame(x, f * P * D, w, f * P, target, 0);
      for (int q = 0; q < P; q++) {
        final int expected = target[q] == SpatialReducer.TO_ANCHOR ? q : next + target[q];
        assertEquals(whole.assignment()[f * P + q], expected, "frame " + f + " position " + q);
      }
      next += kept;
    }
    final float[] anchorEmb = new float[P * D];
    final float[] anchorW = new float[P];
    streaming.anchorOutputs(anchorEmb, 0, anchorW, 0);
    assertArrayEquals(Arrays.copyOf(whole.embeddings(), P * D), anchorEmb);
    assertArrayEquals(Arrays.copyOf(whole.weights(), P), anchorW);
  }

  @Test
  void reduce_reusedOutputAndReducer_giveSameResult() {
    final SpatialReducer reducer = new SpatialReducer(SpatialReducer.Config.DEFAULTS);
    final MergeOutput out = new MergeOutput();
    final float[] big = MergeFixtures.driftingFrames(new SplittableRandom(8), 10, 30, 20, 0.4);
    final float[] small = MergeFixtures.driftingFrames(new SplittableRandom(9), 3, P, D, 0.4);
    final MergeOutput fresh = new SpatialReducer(SpatialReducer.Config.DEFAULTS).reduce(small, 3, P, D, null,
        new MergeOutput());
    reducer.reduce(big, 10, 30, 20, null, out);
    reducer.reduce(small, 3, P, D, null, out);
    assertEquals(fresh.count(), out.count());
    assertArrayEquals(fresh.assignmentCopy(), out.assignmentCopy());
    assertArrayEquals(fresh.embeddingsCopy(), out.embeddingsCopy());
    assertArrayEquals(fresh.weightsCopy(), out.weightsCopy());
  }

  @Test
  void reduce_badInputs_rejectedWithValues() {
    final SpatialReducer r = new SpatialReducer(SpatialReducer.Config.DEFAULTS);
    final float[] x = MergeFixtures.unitVectors(new SplittableRandom(10), 2 * P, D);
    final IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
        () -> r.reduce(x, 3, P, D, null, new MergeOutput()));
    assertTrue(len.getMessage().contains(String.valueOf(2 * P * D)), len.getMessage());
    x[P * D + 3] = Float.NaN;
    final IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> r.reduce(x, 2, P, D, null, new MergeOutput()));
    assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
    x[P * D + 3] = 0f;
    final float[] w = new float[2 * P];
    Arrays.fill(w, 1f);
    w[4] = 0f;
    final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> r.reduce(x, 2, P, D, w, new MergeOutput()));
    assertTrue(zero.getMessage().contains("weight 4"), zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> r.reduce(x, 2, P, D, new float[3], new MergeOutput()));
    assertThrows(IllegalStateException.class,
        () -> new SpatialReducer(SpatialReducer.Config.DEFAULTS).reduceFrame(x, 0, null, 0, new int[P], 0));
  }

  @Test
  void config_badValues_rejectedWithValue() {
    final IllegalArgumentException chunk = assertThrows(IllegalArgumentException.class,
        () -> new SpatialReducer.Config(true, 0, 0.75f, 1));
    assertTrue(chunk.getMessage().contains("was 0"), chunk.getMessage());
    final IllegalArgumentException thr = assertThrows(IllegalArgumentException.class,
        () -> new SpatialReducer.Config(true, 8, Float.NaN, 1));
    assertTrue(thr.getMessage().contains("NaN"), thr.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SpatialReducer.Config(true, 8, 1.5f, 1));
    assertThrows(IllegalArgumentException.class, () -> new SpatialReducer.Config(true, 8, 0.75f, 0));
  }

  private static int maxBefore(final int[] a, final int i) {
    int m = -1;
    for (int j = 0; j < i; j++) {
      m = Math.max(m, a[j]);
    }
    return m;
  }

  /** Straight from the spec: lists, a comparator sort, then numbering by smallest member. */
  private static int[] naive(final SpatialReducer.Config cfg, final float[] x, final int frames, final int p,
      final int d) {
    final int n = frames * p;
    final int[] group = new int[n]; // representative input of each input's output
    for (int f0 = 0; f0 < frames; f0 += cfg.chunkFrames()) {
      for (int q = 0; q < p; q++) {
        group[f0 * p + q] = f0 * p + q;
      }
      for (int f = f0 + 1; f < Math.min(frames, f0 + cfg.chunkFrames()); f++) {
        final List<float[]> candidates = new ArrayList<>(); // {cos, position}
        for (int q = 0; q < p; q++) {
          final int a = (f0 * p + q) * d;
          final int i = (f * p + q) * d;
          final float[] unitAnchor = new float[d];
          final float inv = Vectors.inverseNorm(Vectors.dot(x, a, x, a, d));
          for (int k = 0; k < d; k++) {
            unitAnchor[k] = x[a + k] * inv;
          }
          final float cos = Vectors.dot(x, i, unitAnchor, 0, d) * Vectors.inverseNorm(Vectors.dot(x, i, x, i, d));
          group[f * p + q] = f * p + q;
          if (cos >= cfg.threshold()) {
            candidates.add(new float[] {cos, q});
          }
        }
        candidates.sort((u, v) -> u[0] != v[0] ? Float.compare(v[0], u[0]) : Float.compare(u[1], v[1]));
        final int drop = Math.min(candidates.size(), Math.max(0, p - cfg.minTokensPerFrame()));
        for (int c = 0; c < drop; c++) {
          final int q = (int) candidates.get(c)[1];
          group[f * p + q] = f0 * p + q;
        }
      }
    }
    final int[] outIndex = new int[n];
    Arrays.fill(outIndex, -1);
    final int[] assignment = new int[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (outIndex[group[i]] < 0) {
        outIndex[group[i]] = m++;
      }
      assignment[i] = outIndex[group[i]];
    }
    return assignment;
  }
}
