package io.vidctx.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.tokencompress.StageStats;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.select.SegmentScore;
import io.vidctx.tokencompress.select.TimeRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Contexts of a synthetic 8-scene memory: stats, coverage, time range, keyframes, bad input. */
class ContextBuilderTest {
  private static final List<float[]> BASES = QaFixtures.randomBases(1, 8, 16);
  private static final VideoMemory MEMORY = QaFixtures.memory(QaFixtures.scenes(2, BASES, 20));

  @Test
  void shouldAddASelectStageAndKeepTheMemoryStages() {
    final VideoContext c = QaFixtures.context(MEMORY, Question.open("what happens?"), QueryKind.COVERAGE, 500);
    assertEquals(List.of("filter", "segment", "spatial", "merge", "memory", "select", "total"),
        c.stats().stream().map(StageStats::stage).toList());
    final StageStats select = c.stats().get(5);
    assertEquals(MEMORY.tokenCount(), select.tokensIn());
    assertEquals(c.selection().size(), select.tokensOut());
    final StageStats total = c.stats().get(6);
    assertEquals(MEMORY.patchTokensIn(), total.tokensIn());
    assertEquals(c.selection().size(), total.tokensOut());
    assertEquals(MEMORY.segments().get(0).startPts(), c.videoStartMicros());
    assertEquals(QueryKind.COVERAGE, c.queryKind());
    assertEquals(0, c.queryVectors().length);
  }

  @Test
  void shouldRepresentEverySceneForAFlatQuestion() {
    final VideoContext c = QaFixtures.context(MEMORY, Question.open("summarise the video"), QueryKind.COVERAGE,
        10_000);
    assertEquals(8, c.segments().size());
    for (final SegmentScore s : c.segments()) {
      assertTrue(s.selected() >= 1, "scene without a token: " + s);
    }
  }

  @Test
  void shouldPlaceKeyframesOnTheMatchingScene() {
    final VideoContext c = QaFixtures.context(MEMORY, Question.open("when is scene 5?"), QueryKind.IMAGE, 10_000,
        BASES.get(5));
    final List<Keyframe> k = c.keyframes();
    assertTrue(!k.isEmpty() && k.size() <= ContextBuilder.DEFAULT_KEYFRAMES);
    for (int i = 1; i < k.size(); i++) {
      assertTrue(k.get(i).ptsMicros() > k.get(i - 1).ptsMicros(), "time order");
    }
    double shares = 0;
    Keyframe top = k.get(0);
    for (final Keyframe f : k) {
      shares += f.share();
      top = f.share() > top.share() ? f : top;
      assertTrue(!f.hasImage());
    }
    assertEquals(1.0, shares, 1e-9);
    final long start = 5 * 20 * QaFixtures.FRAME_MICROS;
    final long end = 6 * 20 * QaFixtures.FRAME_MICROS;
    assertTrue(top.ptsMicros() >= start && top.ptsMicros() < end, "the heaviest keyframe is in scene 5: " + k);
  }

  @Test
  void shouldHonourTheTimeRangeAndRefuseOneOutside() {
    final TimeRange range = new TimeRange(30_000_000, 50_000_000);
    final VideoContext c = QaFixtures.context(MEMORY, Question.open("what happens?").withRange(range),
        QueryKind.COVERAGE, 10_000);
    final var t = c.tokens();
    assertTrue(t.size() > 0);
    for (int i = 0; i < t.size(); i++) {
      assertTrue(range.contains(t.midPts(i)));
    }
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QaFixtures.context(MEMORY, Question.open("q").withRange(new TimeRange(200_000_000, 300_000_000)),
            QueryKind.COVERAGE, 100));
    assertTrue(e.getMessage().contains("outside the video"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> QaFixtures.context(MEMORY, Question.open("q"), QueryKind.COVERAGE, 0));
  }

  @Test
  void shouldRefuseEmptyQuestionsAndChoices() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Question.open("  ")).getMessage()
        .contains("empty"));
    assertThrows(IllegalArgumentException.class, () -> Question.choice("q", List.of("only one")));
    assertThrows(IllegalArgumentException.class, () -> Question.choice("q", List.of("a", " ")));
  }
}
