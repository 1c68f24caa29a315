package io.vidctx.tokencompress.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.SyntheticStreams;
import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.VideoMemory;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Selection on a synthetic memory of ten 20-second scenes: relevance, budget, coverage, time range, bad input. */
class QueryAwareSelectorTest {
  private static VideoMemory memory;
  private static final QueryAwareSelector SELECTOR = new QueryAwareSelector();

  @BeforeAll
  static void build() {
    memory = HierarchicalCompressor.compressAll(SyntheticStreams.stream(5, 400, 40), CompressorConfig.DEFAULTS);
    assertEquals(10, memory.segments().size(), "fixture: one segment per scene");
  }

  /** The embedding of memory token {@code i}: a query that matches it exactly. */
  private static float[] tokenVector(final int i) {
    final float[] v = new float[memory.dim()];
    memory.tokens().copyEmbedding(i, v, 0);
    return v;
  }

  private static void checkShape(final Selection s, final SelectionQuery q) {
    final int[] idx = s.memoryIndex();
    assertTrue(s.size() <= q.tokenBudget(), "size " + s.size() + " within the budget " + q.tokenBudget());
    assertEquals(idx.length, new HashSet<>(Arrays.stream(idx).boxed().toList()).size(), "no token twice");
    for (int i = 1; i < idx.length; i++) {
      assertTrue(idx[i] > idx[i - 1], "memory order = time order");
    }
    final TokenBlock t = s.tokens();
    assertTrue(t.isTimeOrdered());
    final TokenBlock all = memory.tokens();
    for (int i = 0; i < idx.length; i++) {
      assertEquals(all.startPts(idx[i]), t.startPts(i));
      assertEquals(all.weight(idx[i]), t.weight(i));
      assertEquals(s.segment()[i], segmentOf(idx[i]));
    }
    assertEquals(s.size(), s.stats().kept());
  }

  private static int segmentOf(final int token) {
    for (int s = 0; s < memory.segments().size(); s++) {
      final var g = memory.segments().get(s);
      if (token >= g.firstToken() && token < g.firstToken() + g.tokenCount()) {
        return s;
      }
    }
    throw new AssertionError("token " + token + " in no segment");
  }

  private static Set<Integer> segmentsOf(final Selection s) {
    return new HashSet<>(Arrays.stream(s.segment()).boxed().toList());
  }

  @Test
  void shouldFindTheMatchingTokenAndKeepLessForAPeakedQuery() {
    final int target = memory.segments().get(6).firstToken() + 3;
    final SelectionQuery q = new SelectionQuery(new float[][] {tokenVector(target)}, null, 10_000);
    final Selection s = SELECTOR.select(memory, q);
    checkShape(s, q);
    final int at = Arrays.binarySearch(s.memoryIndex(), target);
    assertTrue(at >= 0, "the token equal to the query is selected");
    assertEquals(1f, s.similarity()[at], 1e-5f);
    float best = -2;
    for (final float x : s.relevance()) {
      best = Math.max(best, x);
    }
    assertEquals(best, s.relevance()[at], "it has the highest relevance");
    assertEquals(SelectionStats.Mode.QUERY, s.stats().mode());
    assertTrue(s.segments().get(6).bestSimilarity() > 0.99f);
    for (final SegmentScore g : s.segments()) {
      assertTrue(g.selected() >= 1, "coverage quota: " + g);
    }

    final Selection flat = SELECTOR.select(memory, SelectionQuery.coverage(null, 10_000));
    assertTrue(s.stats().entropy() < flat.stats().entropy());
    assertTrue(s.stats().ratio() < flat.stats().ratio(),
        "peaked " + s.stats().ratio() + " keeps a smaller share than flat " + flat.stats().ratio());
    assertTrue(s.size() < flat.size());
    assertEquals(Math.max(10, (int) Math.ceil(s.stats().ratio() * memory.tokenCount())), s.size());
  }

  @Test
  void shouldRepresentEverySegmentForAFlatQuestion() {
    // Coverage only (no vectors), and a random direction that matches nothing in particular.
    final float[] random = SyntheticStreams.gaussian(new Random(9), memory.dim());
    for (final SelectionQuery q : new SelectionQuery[] {SelectionQuery.coverage(null, 10_000),
        new SelectionQuery(new float[][] {random}, null, 10_000), SelectionQuery.coverage(null, 12)}) {
      final Selection s = SELECTOR.select(memory, q);
      checkShape(s, q);
      assertEquals(10, segmentsOf(s).size(), "every segment represented: " + s);
      assertTrue(s.stats().entropy() > 0.7, "flat relevance: entropy " + s.stats().entropy());
    }
    final Selection coverage = SELECTOR.select(memory, SelectionQuery.coverage(null, 10_000));
    assertEquals(SelectionStats.Mode.COVERAGE, coverage.stats().mode());
    final double rho = SelectorConfig.DEFAULTS.ratio(1, 1.0 / memory.tokenCount());
    assertEquals((int) Math.ceil(rho * memory.tokenCount()), coverage.size());
  }

  @Test
  void shouldSpreadTheQuotaWhenTheBudgetIsBelowTheSegmentCount() {
    final Selection s = SELECTOR.select(memory, SelectionQuery.coverage(null, 4));
    assertEquals(4, s.size());
    final int[] segs = s.segment();
    assertEquals(4, segmentsOf(s).size(), "four different segments");
    assertTrue(segs[0] <= 2 && segs[3] >= 7, "spread over the timeline: " + Arrays.toString(segs));
    final Selection one = SELECTOR.select(memory, new SelectionQuery(new float[][] {tokenVector(0)}, null, 1));
    assertEquals(1, one.size());
  }

  @Test
  void shouldNeverSelectOutsideTheTimeRange() {
    final TimeRange range = new TimeRange(45_000_000, 110_000_000);
    final int target = memory.segments().get(9).firstToken();
    for (final SelectionQuery q : new SelectionQuery[] {SelectionQuery.coverage(range, 10_000),
        new SelectionQuery(new float[][] {tokenVector(target)}, range, 10_000),
        new SelectionQuery(new float[][] {tokenVector(target)}, range, 3)}) {
      final Selection s = SELECTOR.select(memory, q);
      checkShape(s, q);
      assertTrue(s.size() > 0);
      final TokenBlock t = s.tokens();
      for (int i = 0; i < t.size(); i++) {
        assertTrue(range.contains(t.midPts(i)), "token " + i + " at " + t.startPts(i) + ".." + t.endPts(i));
      }
      for (final SegmentScore g : s.segments()) {
        if (g.endPts() < range.startMicros() || g.startPts() > range.endMicros()) {
          assertEquals(0, g.candidates(), g.toString());
          assertEquals(0, g.selected(), g.toString());
        }
      }
      assertTrue(s.stats().candidates() < memory.tokenCount());
    }
    // A range inside one long token's span: tokens whose span touches it, nothing else.
    final TimeRange narrow = new TimeRange(20_250_000, 20_300_000);
    final Selection s = SELECTOR.select(memory, SelectionQuery.coverage(narrow, 100));
    final TokenBlock t = s.tokens();
    for (int i = 0; i < t.size(); i++) {
      assertTrue(narrow.overlaps(t.startPts(i), t.endPts(i)));
    }
  }

  @Test
  void shouldRefuseBadQueriesClearly() {
    final IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
        () -> SELECTOR.select(memory, SelectionQuery.coverage(new TimeRange(900_000_000, 960_000_000), 10)));
    assertTrue(outside.getMessage().contains("outside the video"), outside.getMessage());
    assertTrue(outside.getMessage().contains("0:15:00.000-0:16:00.000"), outside.getMessage());
    final IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
        () -> SELECTOR.select(memory, new SelectionQuery(new float[][] {new float[] {1, 2, 3}}, null, 10)));
    assertTrue(dim.getMessage().contains("dim 3") && dim.getMessage().contains("dim 16"), dim.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SelectionQuery.coverage(null, 0));
    assertThrows(IllegalArgumentException.class, () -> SelectionQuery.coverage(null, -5));
    assertThrows(IllegalArgumentException.class, () -> new SelectionQuery(new float[][] {new float[16]}, null, 5));
    assertThrows(IllegalArgumentException.class,
        () -> new SelectionQuery(new float[][] {{Float.NaN, 1}}, null, 5));
    assertThrows(IllegalArgumentException.class, () -> new TimeRange(10, 5));
    assertThrows(IllegalArgumentException.class, () -> new SelectorConfig(0, 0.5, 4, -2, -2, 0, 0.05, 1, 10, 0.5, 0.1, 32));
  }

  @Test
  void shouldScoreOnlyTheBestSegmentsCoarseToFine() {
    // The query is scene 3's weight-averaged embedding: its descriptor, exactly.
    final var seg = memory.segments().get(3);
    final float[] q = new float[memory.dim()];
    final TokenBlock all = memory.tokens();
    for (int i = seg.firstToken(); i < seg.firstToken() + seg.tokenCount(); i++) {
      for (int k = 0; k < q.length; k++) {
        q[k] += all.weight(i) * all.embeddings()[i * q.length + k];
      }
    }
    final SelectionQuery query = new SelectionQuery(new float[][] {q}, null, 3);
    final QueryAwareSelector coarse = new QueryAwareSelector(SelectorConfig.DEFAULTS.withFineCandidates(20));
    final Selection s = coarse.select(memory, query);
    checkShape(s, query);
    assertEquals(seg.tokenCount(), s.stats().scored(), "only scene 3 scored one by one: " + s.stats());
    assertEquals(1f, s.segments().get(3).descriptorSimilarity(), 1e-5f);
    assertEquals(3, s.size());
    assertTrue(segmentsOf(s).contains(3), "the best segment's best token fills the relevance half");
    assertEquals(2, s.stats().quota(), "the quota takes half, rounded up, on evenly spaced segments");

    final Selection full = SELECTOR.select(memory, query);
    assertEquals(memory.tokenCount(), full.stats().scored());
  }

  @Test
  void shouldBeAPureFunctionOfMemoryAndQuery() {
    final float[][] q = {tokenVector(5), tokenVector(77)};
    final SelectionQuery query = new SelectionQuery(q, null, 50);
    final Selection a = SELECTOR.select(memory, query);
    final Selection b = new QueryAwareSelector().select(SelectionIndex.of(memory), query);
    assertArrayEquals(a.memoryIndex(), b.memoryIndex());
    assertArrayEquals(a.relevance(), b.relevance());
    assertTrue(Arrays.binarySearch(a.memoryIndex(), 5) >= 0 && Arrays.binarySearch(a.memoryIndex(), 77) >= 0,
        "each query vector finds its token");
  }

  @Test
  void shouldSelectNothingFromAnEmptyMemory() {
    final VideoMemory empty = HierarchicalCompressor.compressAll(java.util.List.of(), CompressorConfig.DEFAULTS);
    final Selection s = SELECTOR.select(empty, SelectionQuery.coverage(null, 10));
    assertEquals(0, s.size());
  }

  @Test
  void shouldOrderKeysByDescendingScoreThenIndex() {
    final Random r = new Random(3);
    final float[] scores = new float[500];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = switch (i % 7) {
        case 0 -> 0f;
        case 1 -> -0f;
        case 2 -> -r.nextFloat() * 1e6f;
        case 3 -> Float.MIN_VALUE;
        case 4 -> scores[Math.max(0, i - 3)];
        default -> r.nextFloat();
      };
    }
    final long[] keys = IntStream.range(0, scores.length).mapToLong(i -> QueryAwareSelector.key(scores[i], i))
        .toArray();
    Arrays.sort(keys);
    final Integer[] expected = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(expected, Comparator.<Integer>comparingDouble(i -> scores[i] == 0f ? 0f : scores[i]).reversed()
        .thenComparing(i -> i));
    for (int i = 0; i < keys.length; i++) {
      assertEquals(expected[i].intValue(), (int) keys[i], "rank " + i);
    }
  }

  @Test
  void shouldShareCoverageInProportionToWeightOnAnUncompressedStore() {
    // Every patch of 12 frames as a token (weight 1 each), one segment per frame: the uncompressed
    // comparison. Coverage-only with 60 tokens: 5 per frame, not the first frames' patches.
    final var frames = SyntheticStreams.stream(11, 12, 3);
    final TokenBlock all = new TokenBlock(SyntheticStreams.DIM, SyntheticStreams.GRID, SyntheticStreams.GRID, 0);
    final java.util.List<io.vidctx.tokencompress.MemorySegment> segs = new java.util.ArrayList<>();
    for (final var f : frames) {
      final int first = all.size();
      all.appendAll(TokenBlock.ofFrame(f));
      final int n = all.size() - first;
      segs.add(new io.vidctx.tokencompress.MemorySegment(f.index(), f.index(), f.ptsMicros(), f.ptsMicros(), first, n,
          n));
    }
    final SelectionIndex index = SelectionIndex.of(all, segs, all.size());
    final Selection s = new QueryAwareSelector(SelectorConfig.DEFAULTS.withFixedRatio(60.0 / all.size()))
        .select(index, SelectionQuery.coverage(null, 10_000));
    assertEquals(60, s.size());
    final int[] perFrame = new int[12];
    for (final int g : s.segment()) {
      perFrame[g]++;
    }
    for (final int c : perFrame) {
      assertEquals(5, c, Arrays.toString(perFrame));
    }
  }
}
