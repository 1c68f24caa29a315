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

class BipartiteMergerTest {
  private static final int D = 16;

  @Test
  void merge_targetEqualsN_isIdentity() {
    final float[] x = MergeFixtures.unitVectors(new SplittableRandom(1), 10, D);
    final MergeOutput out = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS).merge(x, 10, D, null, 10,
        new MergeOutput());
    assertEquals(10, out.count());
    assertArrayEquals(x, out.embeddingsCopy());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, out.assignmentCopy());
  }

  @Test
  void merge_targetOne_meanOfAll() {
    final SplittableRandom rnd = new SplittableRandom(2);
    final float[] x = MergeFixtures.unitVectors(rnd, 7, D);
    final float[] w = MergeFixtures.integerWeights(rnd, 7, 9);
    final MergeOutput out = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS).merge(x, 7, D, w, 1,
        new MergeOutput());
    assertEquals(1, out.count());
    assertArrayEquals(new int[7], out.assignmentCopy());
    MergeFixtures.assertConvention(out, x, 7, D, w, false);
  }

  @Test
  void merge_pairs_mergeTheMostSimilarFirst() {
    // Tokens 0..3: 0 and 1 nearly equal, 2 and 3 far apart. One round to 3 tokens merges 0 into 1.
    final float[] x = new float[4 * 2];
    x[0] = 1f;
    x[2] = 0.999f;
    x[3] = 0.0447f;
    x[4] = -1f;
    x[7] = 1f;
    final MergeOutput out = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS).merge(x, 4, 2, null, 3,
        new MergeOutput());
    assertArrayEquals(new int[] {0, 0, 1, 2}, out.assignmentCopy());
    assertEquals(2f, out.weights()[0]);
  }

  @Test
  void merge_identicalVectors_deterministicTieBreak() {
    final float[] x = new float[8 * D];
    for (int i = 0; i < 8; i++) {
      x[i * D] = 1f;
    }
    final MergeOutput out = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS).merge(x, 8, D, null, 6,
        new MergeOutput());
    // All scores tie: A tokens 0 and 2 (smallest indices) go first, each to b = 1 (smallest b).
    assertArrayEquals(new int[] {0, 0, 0, 1, 2, 3, 4, 5}, out.assignmentCopy());
    assertEquals(3f, out.weights()[0]);
    MergeFixtures.assertConvention(out, x, 8, D, null, false);
  }

  @Test
  void mergeClip_defaults_sixteenPerFrame() {
    final SplittableRandom rnd = new SplittableRandom(3);
    final int p = 49;
    final float[] x = MergeFixtures.driftingFrames(rnd, 4, p, D, 0.5);
    final MergeOutput out = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS).mergeClip(x, 4, p, D, null,
        new MergeOutput());
    assertEquals(64, out.count());
    MergeFixtures.assertConvention(out, x, 4 * p, D, null, false);
    final MergeOutput partial = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS).mergeClip(
        Arrays.copyOf(x, 2 * p * D), 2, p, D, null, new MergeOutput());
    assertEquals(32, partial.count());
    final MergeOutput tiny = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS).mergeClip(
        Arrays.copyOf(x, 4 * 9 * D), 4, 9, D, null, new MergeOutput());
    assertEquals(36, tiny.count(), "fewer tokens than the target: nothing merges");
  }

  @Test
  void merge_matchesNaiveReference_seeded() {
    for (int seed = 0; seed < 80; seed++) {
      final SplittableRandom rnd = new SplittableRandom(100 + seed);
      final int n = 1 + rnd.nextInt(120);
      final int d = 1 + rnd.nextInt(20);
      final int target = 1 + rnd.nextInt(n);
      final float[] x = rnd.nextBoolean() ? MergeFixtures.unitVectors(rnd, n, d)
          : MergeFixtures.driftingFrames(rnd, 1 + rnd.nextInt(4), n, d, 0.4);
      final int rows = x.length / d;
      final float[] w = rnd.nextBoolean() ? null : MergeFixtures.integerWeights(rnd, rows, 6);
      final int t = Math.min(target, rows);
      final float[] copy = x.clone();
      final MergeOutput out = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS).merge(x, rows, d, w, t,
          new MergeOutput());
      final String ctx = "seed " + seed + " n " + rows + " d " + d + " t " + t;
      assertArrayEquals(copy, x, "input modified, " + ctx);
      assertEquals(t, out.count(), ctx);
      MergeFixtures.assertConvention(out, x, rows, d, w, false);
      final Naive ref = naive(x, rows, d, w, t);
      assertArrayEquals(ref.assignment, out.assignmentCopy(), ctx);
      assertArrayEquals(ref.embeddings, out.embeddingsCopy(), ctx);
      assertArrayEquals(ref.weights, out.weightsCopy(), ctx);
    }
  }

  @Test
  void merge_largerSizesAndRemainders_matchesNaiveReference() {
    // Larger n than the seeded test (its n stays under 120), odd sizes and d % 4 != 0, so the
    // transposed product's vector loop, its tails and the dimension remainder meet the reference.
    final int[][] cases = {{300, 37, 20}, {135, 8, 64}, {517, 13, 1}, {258, 5, 100}};
    for (int c = 0; c < cases.length; c++) {
      final SplittableRandom rnd = new SplittableRandom(900 + c);
      final int n = cases[c][0];
      final int d = cases[c][1];
      final int t = cases[c][2];
      final float[] x = c % 2 == 0 ? MergeFixtures.unitVectors(rnd, n, d) : MergeFixtures.driftingFrames(rnd, 1, n, d,
          0.4);
      final float[] w = c == 1 ? MergeFixtures.integerWeights(rnd, n, 6) : null;
      final MergeOutput out = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS).merge(x, n, d, w, t,
          new MergeOutput());
      final String ctx = "n " + n + " d " + d + " t " + t;
      final Naive ref = naive(x, n, d, w, t);
      assertArrayEquals(ref.assignment, out.assignmentCopy(), ctx);
      assertArrayEquals(ref.embeddings, out.embeddingsCopy(), ctx);
      assertArrayEquals(ref.weights, out.weightsCopy(), ctx);
    }
  }

  @Test
  void merge_reusedMergerAndOutput_sameBits() {
    final BipartiteMerger merger = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS);
    final MergeOutput out = new MergeOutput();
    final float[] big = MergeFixtures.unitVectors(new SplittableRandom(4), 300, 24);
    final float[] small = MergeFixtures.driftingFrames(new SplittableRandom(5), 4, 20, D, 0.4);
    final MergeOutput fresh = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS).merge(small, 80, D, null, 13,
        new MergeOutput());
    merger.merge(big, 300, 24, null, 7, out);
    merger.merge(small, 80, D, null, 13, out);
    assertArrayEquals(fresh.assignmentCopy(), out.assignmentCopy());
    assertArrayEquals(fresh.embeddingsCopy(), out.embeddingsCopy());
    assertArrayEquals(fresh.weightsCopy(), out.weightsCopy());
  }

  @Test
  void merge_badInputs_rejectedWithValues() {
    final BipartiteMerger m = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS);
    final float[] x = MergeFixtures.unitVectors(new SplittableRandom(6), 10, D);
    final IllegalArgumentException t0 = assertThrows(IllegalArgumentException.class,
        () -> m.merge(x, 10, D, null, 0, new MergeOutput()));
    assertTrue(t0.getMessage().contains("was 0"), t0.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.merge(x, 10, D, null, 11, new MergeOutput()));
    final IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
        () -> m.merge(x, 11, D, null, 5, new MergeOutput()));
    assertTrue(len.getMessage().contains("160") && len.getMessage().contains("176"), len.getMessage());
    final float[] inf = x.clone();
    inf[3 * D + 2] = Float.POSITIVE_INFINITY;
    final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> m.merge(inf, 10, D, null, 5, new MergeOutput()));
    assertTrue(bad.getMessage().contains("token 3") && bad.getMessage().contains("Infinity"), bad.getMessage());
    final float[] w = new float[10];
    Arrays.fill(w, 1f);
    w[9] = -2f;
    final IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
        () -> m.merge(x, 10, D, w, 5, new MergeOutput()));
    assertTrue(neg.getMessage().contains("-2.0"), neg.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.mergeClip(x, 5, 2, D, null, new MergeOutput()));
    assertThrows(IllegalArgumentException.class, () -> new BipartiteMerger.Config(0, 16));
  }

  private record Naive(int[] assignment, float[] embeddings, float[] weights) {}

  private static final class Tok {
    float[] v;
    float w;
    final List<Integer> members = new ArrayList<>();
  }

  /** ToMe rounds on a list of token objects, as the spec reads; shares the norm and the
   * similarity summation order (Vectors.dot4Step). */
  private static Naive naive(final float[] x, final int n, final int d, final float[] weights, final int t) {
    List<Tok> toks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final Tok tok = new Tok();
      tok.v = Arrays.copyOfRange(x, i * d, i * d + d);
      tok.w = MergeFixtures.weight(weights, i);
      tok.members.add(i);
      toks.add(tok);
    }
    while (toks.size() > t) {
      final int size = toks.size();
      final int r = Math.min(size - t, (size + 1) / 2);
      final List<float[]> units = new ArrayList<>();
      for (final Tok tok : toks) {
        final float inv = Vectors.inverseNorm(Vectors.dot(tok.v, 0, tok.v, 0, d));
        final float[] u = new float[d];
        for (int k = 0; k < d; k++) {
          u[k] = tok.v[k] * inv;
        }
        units.add(u);
      }
      final List<int[]> choices = new ArrayList<>(); // {a, b}
      final List<Float> scores = new ArrayList<>();
      for (int a = 0; a < size; a += 2) {
        int best = -1;
        float bestS = Float.NEGATIVE_INFINITY;
        for (int b = 1; b < size; b += 2) {
          final float s = Vectors.dot4Step(units.get(a), 0, units.get(b), 0, d);
          if (s > bestS) {
            bestS = s;
            best = b;
          }
        }
        choices.add(new int[] {a, best});
        scores.add(bestS);
      }
      final List<Integer> orderA = new ArrayList<>();
      for (int i = 0; i < choices.size(); i++) {
        orderA.add(i);
      }
      orderA.sort(Comparator.<Integer>comparingDouble(i -> -scores.get(i)).thenComparingInt(i -> i));
      final int[] into = new int[size];
      Arrays.fill(into, -1);
      for (int q = 0; q < r; q++) {
        final int[] c = choices.get(orderA.get(q));
        into[c[0]] = c[1];
      }
      final boolean[] scaled = new boolean[size];
      for (int a = 0; a < size; a += 2) {
        if (into[a] < 0) {
          continue;
        }
        final Tok src = toks.get(a);
        final Tok dst = toks.get(into[a]);
        if (!scaled[into[a]]) {
          scaled[into[a]] = true;
          for (int k = 0; k < d; k++) {
            dst.v[k] *= dst.w;
          }
        }
        for (int k = 0; k < d; k++) {
          dst.v[k] += src.w * src.v[k];
        }
        dst.w += src.w;
        dst.members.addAll(src.members);
      }
      final List<Tok> next = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        if (into[i] >= 0) {
          continue;
        }
        final Tok tok = toks.get(i);
        if (scaled[i]) {
          for (int k = 0; k < d; k++) {
            tok.v[k] /= tok.w;
          }
        }
        next.add(tok);
      }
      next.sort(Comparator.comparingInt(tok -> tok.members.stream().mapToInt(Integer::intValue).min().orElseThrow()));
      toks = next;
    }
    final int[] assignment = new int[n];
    final float[] emb = new float[toks.size() * d];
    final float[] w = new float[toks.size()];
    for (int j = 0; j < toks.size(); j++) {
      for (final int i : toks.get(j).members) {
        assignment[i] = j;
      }
      System.arraycopy(toks.get(j).v, 0, emb, j * d, d);
      w[j] = toks.get(j).w;
    }
    return new Naive(assignment, emb, w);
  }
}
