package io.vidctx.qa.eval.report;

import static io.vidctx.qa.eval.report.ReportFixtures.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.NeedleRecall;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.eval.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AggregatesTest {

  private static final double EPS = 1e-9;

  @Test
  void shouldCountParseFailuresAsWrongInAccuracyAndReportThemApart() {
    final List<EvalItem> items = new ArrayList<>();
    final List<ItemResult> results = new ArrayList<>();
    final Outcome[] outcomes = {Outcome.CORRECT, Outcome.CORRECT, Outcome.CORRECT, Outcome.CORRECT, Outcome.CORRECT,
        Outcome.CORRECT, Outcome.WRONG, Outcome.WRONG, Outcome.PARSE_FAILURE, Outcome.PARSE_FAILURE,
        Outcome.UNANSWERABLE, Outcome.ERROR, Outcome.UNSCORED};
    for (int i = 0; i < outcomes.length; i++) {
      items.add(choice("q" + i));
      results.add(result("q" + i, Method.OURS, outcomes[i]));
    }

    final Tally t = Aggregates.of(List.of(Method.OURS), items, results).stats(Method.OURS).tally();

    assertEquals(new Tally(13, 6, 2, 1, 2, 1, 1), t);
    assertEquals(10, t.scored(), "correct + wrong + parse failures");
    assertEquals(0.6, t.accuracy(), EPS, "6 of 10: parse failures count as wrong; the rest stays out");
    assertEquals(2 / 11.0, t.parseFailureRate(), EPS, "among all 11 replies, unscored included");
  }

  @Test
  void shouldGiveNaNAccuracyWhenNothingWasScored() {
    final Aggregates a = Aggregates.of(List.of(Method.NONE), List.of(choice("a"), choice("b")),
        List.of(ItemResult.error("a", Method.NONE, "boom"), result("b", Method.NONE, Outcome.UNANSWERABLE)));

    final MethodStats s = a.stats(Method.NONE);
    assertTrue(Double.isNaN(s.tally().accuracy()));
    assertEquals(1, s.tally().errors());
    assertEquals(1, s.tally().unanswerable());
    assertEquals(1, s.efficiency().measured(), "the unanswerable item was measured, the failed one not");
  }

  @Test
  void shouldPutNeedleResultsIntoLengthByDepthCells() {
    // 299.6 s and 300.4 s share the 5m row; depths 0.5 and 0.499 share the 50 % column.
    final EvalItem a = needleItem("a", 299_600_000L, 0.5);
    final EvalItem b = needleItem("b", 300_400_000L, 0.499);
    final EvalItem c = needleItem("c", 1200 * SECOND, 0.0);
    final EvalItem d = choice("d");
    final List<ItemResult> results = List.of(result("a", Method.OURS, Outcome.CORRECT),
        result("b", Method.OURS, Outcome.WRONG), result("c", Method.OURS, Outcome.CORRECT),
        result("d", Method.OURS, Outcome.WRONG), result("a", Method.UNIFORM, Outcome.PARSE_FAILURE),
        ItemResult.error("c", Method.UNIFORM, "no frames"));

    final NiahGrid g = Aggregates.of(List.of(Method.OURS, Method.UNIFORM), List.of(a, b, c, d), results).grid();

    final HaystackLength five = HaystackLength.of(300 * SECOND);
    final HaystackLength twenty = HaystackLength.of(1200 * SECOND);
    assertEquals(List.of(five, twenty), g.lengths());
    assertEquals(List.of("5m", "20m"), g.lengths().stream().map(HaystackLength::label).toList());
    assertEquals(List.of(0.0, 0.5), g.depths());
    assertEquals(new Tally(2, 1, 1, 0, 0, 0, 0), g.tally(Method.OURS, five, 0.5));
    assertEquals(0.5, g.tally(Method.OURS, five, 0.5).accuracy(), EPS);
    assertEquals(1.0, g.tally(Method.OURS, twenty, 0.0).accuracy(), EPS);
    assertEquals(new Tally(1, 0, 0, 0, 1, 0, 0), g.tally(Method.UNIFORM, five, 0.5));
    assertEquals(new Tally(1, 0, 0, 0, 0, 0, 1), g.tally(Method.UNIFORM, twenty, 0.0));
    assertSame(Tally.EMPTY, g.tally(Method.OURS, five, 0.0), "no item there");
    assertEquals(4, g.cells().size(), "ours and uniform at 5m/50% and 20m/0%; d has no needle");
  }

  @Test
  void shouldLabelHaystackLengthsInSecondsMinutesAndHours() {
    assertEquals("45s", HaystackLength.of(45_200_000L).label());
    assertEquals("89s", HaystackLength.of(89 * SECOND).label());
    assertEquals("2m", HaystackLength.of(90 * SECOND).label());
    assertEquals("5m", HaystackLength.of(299 * SECOND).label());
    assertEquals("1h", HaystackLength.of(3600 * SECOND).label());
    assertEquals("1h30m", HaystackLength.of(5400 * SECOND).label());
    assertEquals(300 * SECOND, HaystackLength.of(301 * SECOND).micros());
  }

  @Test
  void shouldComputeGroundingAmongAnswersThatNameATime() {
    final List<EvalItem> items = List.of(needleItem("a", 300 * SECOND, 0.1), needleItem("b", 300 * SECOND, 0.2),
        needleItem("c", 300 * SECOND, 0.3), needleItem("d", 300 * SECOND, 0.4), needleItem("e", 300 * SECOND, 0.5));
    final List<ItemResult> results = List.of(grounded("a", true), grounded("b", true), grounded("c", false),
        result("d", Method.OURS, Outcome.CORRECT), ItemResult.error("e", Method.OURS, "bad image"));

    final NeedleStats n = Aggregates.of(List.of(Method.OURS), items, results).stats(Method.OURS).needle();

    assertEquals(3, n.timed());
    assertEquals(2, n.grounded());
    assertEquals(2 / 3.0, n.groundingAccuracy(), EPS);
    assertEquals(1, n.untimed(), "d named no time; the error is not counted");
  }

  @Test
  void shouldAverageNeedleRecallOverResultsThatCarryIt() {
    final List<EvalItem> items = List.of(needleItem("a", 60 * SECOND, 0), needleItem("b", 60 * SECOND, 1),
        needleItem("c", 60 * SECOND, 0.5));
    final List<ItemResult> results = List.of(
        withRecall(result("a", Method.OURS, Outcome.CORRECT), new NeedleRecall(true, 0.6, 0.9, 4)),
        withRecall(result("b", Method.OURS, Outcome.WRONG), NeedleRecall.MISS),
        ItemResult.error("c", Method.OURS, "x"));

    final NeedleStats n = Aggregates.of(List.of(Method.OURS), items, results).stats(Method.OURS).needle();

    assertEquals(2, n.recalled());
    assertEquals(0.5, n.hitRate(), EPS);
    assertEquals(0.3, n.meanCoverage(), EPS);
    assertEquals(0.45, n.meanPurity(), EPS, "a miss has purity 0 and counts in the mean");
  }

  @Test
  void shouldPoolReductionAndCountCachedStagesAsZero() {
    final ItemResult a = measured("a", 1000, 100, Map.of("decode", 4_000_000L, "encode", 6_000_000L,
        "answer", 2_000_000L), 500);
    final ItemResult b = measured("b", 3000, 100, Map.of("answer", 4_000_000L, "rerank", 1_000_000L), 900);
    final ItemResult failed = new ItemResult("c", Method.OURS, Outcome.ERROR, null, -1, Double.NaN, -1, null, null,
        0, 0, 0, 0, 0, 0, Map.of("decode", 50_000_000L), List.of(), 2000, List.of(), "broken");

    final Aggregates agg = Aggregates.of(List.of(Method.OURS), List.of(choice("a"), choice("b"), choice("c")),
        List.of(a, b, failed));
    final Efficiency e = agg.stats(Method.OURS).efficiency();

    assertEquals(List.of("decode", "encode", "answer", "rerank"), agg.stages(), "pipeline order, unknown last");
    assertEquals(2, e.measured());
    assertEquals(2000, e.meanPatchTokens(), EPS);
    assertEquals(100, e.meanKeptTokens(), EPS);
    assertEquals(1 - 200 / 4000.0, e.reduction(), EPS, "pooled: 1 - sum kept / sum patch");
    assertEquals(2.0, e.meanStageMillis().get("decode"), EPS, "4 ms and a cached 0 ms; the error's 50 ms left out");
    assertEquals(3.0, e.meanStageMillis().get("answer"), EPS);
    assertEquals(6.0, e.totalStageMillis().get("answer"), EPS);
    assertEquals(8.5, e.meanTotalMillis(), EPS);
    assertEquals(2000, e.peakHeapBytes(), "the largest heap of any item, failed ones too");
    assertEquals(List.of("decode", "encode", "answer", "rerank"), List.copyOf(e.meanStageMillis().keySet()));
  }

  @Test
  void shouldHandleEmptyInput() {
    final Aggregates a = Aggregates.of(List.of(Method.OURS, Method.NONE), List.of(), List.of());

    assertEquals(List.of(Method.OURS, Method.NONE), a.methods());
    assertEquals(Tally.EMPTY, a.stats(Method.OURS).tally());
    assertTrue(Double.isNaN(a.stats(Method.OURS).tally().accuracy()));
    assertTrue(Double.isNaN(a.stats(Method.NONE).efficiency().reduction()));
    assertTrue(Double.isNaN(a.stats(Method.NONE).needle().groundingAccuracy()));
    assertTrue(a.grid().isEmpty());
    assertEquals(List.of(), a.curve());
    assertEquals(List.of(), a.failures());
    assertEquals(List.of(), a.tasks());
    assertEquals(List.of(), a.stages());
  }

  @Test
  void shouldLetTheLaterResultWinAndCountOrphansAndMissingItems() {
    final List<ItemResult> results = List.of(result("a", Method.OURS, Outcome.WRONG),
        result("a", Method.OURS, Outcome.CORRECT), result("ghost", Method.OURS, Outcome.WRONG),
        result("a", Method.UNIFORM, Outcome.CORRECT));

    final Aggregates agg = Aggregates.of(List.of(Method.OURS), List.of(choice("a"), choice("b")), results);

    assertEquals(List.of(Method.OURS, Method.UNIFORM), agg.methods(), "methods only the results name come after");
    assertEquals(new Tally(2, 1, 1, 0, 0, 0, 0), agg.stats(Method.OURS).tally(), "a (rerun, correct) and the ghost");
    assertEquals(1, agg.stats(Method.OURS).missing(), "b has no result");
    assertEquals(1, agg.stats(Method.UNIFORM).missing());
    assertEquals(1, agg.orphanResults());
    assertEquals(1, agg.failures().size());
    assertNull(agg.failures().get(0).item(), "the ghost's item is not in the manifest");
  }

  @Test
  void shouldListWrongUnparseableFailedAndUngroundedResults() {
    final List<EvalItem> items = List.of(choice("a"), choice("b"), choice("c"), choice("d"), choice("e"),
        needleItem("f", 120 * SECOND, 0.5), needleItem("g", 120 * SECOND, 0.5));
    final List<ItemResult> results = List.of(result("a", Method.OURS, Outcome.CORRECT),
        result("b", Method.OURS, Outcome.WRONG), result("c", Method.OURS, Outcome.PARSE_FAILURE),
        result("d", Method.OURS, Outcome.UNANSWERABLE), result("e", Method.OURS, Outcome.UNSCORED),
        copy(result("f", Method.OURS, Outcome.CORRECT), 90 * SECOND, false, null), grounded("g", true),
        ItemResult.error("a", Method.NONE, "x"));

    final List<Failure> failures = Aggregates.of(List.of(Method.OURS, Method.NONE), items, results).failures();

    assertEquals(List.of("b/ours", "c/ours", "f/ours", "a/none"),
        failures.stream().map(f -> f.result().itemId() + "/" + f.result().method().id()).toList(),
        "by method, then manifest order; f was right but named a time outside the needle");
    assertEquals("f", failures.get(2).item().id());
  }

  @Test
  void shouldGroupAccuracyByTask() {
    final List<EvalItem> items = List.of(choice("a").withTask("count"), choice("b").withTask("count"),
        choice("c"), choice("d").withTask("order"));
    final List<ItemResult> results = List.of(result("a", Method.OURS, Outcome.CORRECT),
        result("b", Method.OURS, Outcome.WRONG), result("c", Method.OURS, Outcome.CORRECT),
        result("d", Method.NONE, Outcome.CORRECT));

    final Aggregates agg = Aggregates.of(List.of(Method.OURS, Method.NONE), items, results);

    assertEquals(List.of("count", Aggregates.NO_TASK, "order"), agg.tasks(), "in order of first appearance");
    assertEquals(0.5, agg.task("count", Method.OURS).accuracy(), EPS);
    assertEquals(Tally.EMPTY, agg.task("count", Method.NONE));
    assertEquals(1, agg.task(Aggregates.NO_TASK, Method.OURS).correct());
    assertEquals(1.0, agg.task("order", Method.NONE).accuracy(), EPS);
  }

  @Test
  void shouldPlotOnePointPerMethodAndLengthWithMeanKeptTokens() {
    final List<EvalItem> items = List.of(needleItem("a", 300 * SECOND, 0), needleItem("b", 300 * SECOND, 1),
        needleItem("c", 1200 * SECOND, 0), choice("d"));
    final List<ItemResult> results = List.of(
        measured("a", 10_000, 1000, Map.of(), 0), measured("b", 10_000, 2000, Map.of(), 0),
        measured("c", 40_000, 3000, Map.of(), 0), measured("d", 5000, 500, Map.of(), 0));

    final List<CurvePoint> curve = Aggregates.of(List.of(Method.OURS), items, results).curve();

    assertEquals(List.of("<2m", "5m", "20m"), curve.stream().map(CurvePoint::group).toList());
    assertEquals(List.of(false, true, true), curve.stream().map(CurvePoint::needle).toList());
    assertEquals(1500, curve.get(1).meanKeptTokens(), EPS);
    assertEquals(2, curve.get(1).tally().n());
    assertEquals(3000, curve.get(2).meanKeptTokens(), EPS);
  }

  @Test
  void shouldRejectTwoItemsWithOneId() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Aggregates.of(List.of(Method.OURS), List.of(choice("x"), choice("x")), List.of()));
    assertTrue(e.getMessage().contains("'x'"), e.getMessage());
  }

  @Test
  void shouldKeepTallyCountsConsistent() {
    assertThrows(IllegalArgumentException.class, () -> new Tally(3, 1, 1, 0, 0, 0, 0));
    assertFalse(Double.isNaN(new Tally(1, 0, 0, 0, 1, 0, 0).accuracy()), "a lone parse failure is scored");
  }

  // ------------------------------------------------------------------ builders

  static EvalItem choice(final String id) {
    return EvalItem.choice(id, id + ".mp4", "Which one?", List.of("yes", "no"), 0);
  }

  static EvalItem needleItem(final String id, final long haystack, final double depth) {
    return ReportFixtures.needleItem(id, ReportFixtures.needle("cat", NeedleTruth.Kind.PHOTO, haystack, depth),
        "niah");
  }

  static ItemResult result(final String id, final Method m, final Outcome o) {
    return new ItemResult(id, m, o, o == Outcome.CORRECT ? "yes" : "no", o == Outcome.CORRECT ? 0 : 1, 0.5, -1, null,
        null, 10, 10 * SECOND, 1960, 400, 200, 1 - 200 / 1960.0, Map.of("answer", 1_000_000L), List.of(), 1 << 20,
        List.of(), null);
  }

  static ItemResult grounded(final String id, final boolean inside) {
    final ItemResult r = result(id, Method.OURS, inside ? Outcome.CORRECT : Outcome.WRONG);
    return copy(r, inside ? 1_000_000 : 5_000_000, inside, r.recall());
  }

  static ItemResult withRecall(final ItemResult r, final NeedleRecall recall) {
    return copy(r, r.atMicros(), r.grounded(), recall);
  }

  private static ItemResult copy(final ItemResult r, final long at, final @Nullable Boolean grounded,
      final @Nullable NeedleRecall recall) {
    return new ItemResult(r.itemId(), r.method(), r.outcome(), r.answer(), r.choice(), r.confidence(), at, grounded,
        recall, r.frames(), r.videoMicros(), r.patchTokens(), r.memoryTokens(), r.keptTokens(), r.reduction(),
        r.stageNanos(), r.cached(), r.peakHeapBytes(), r.runs(), r.error());
  }

  static ItemResult measured(final String id, final long patch, final int kept, final Map<String, Long> stages,
      final long heap) {
    return new ItemResult(id, Method.OURS, Outcome.CORRECT, "yes", 0, 0.5, -1, null, null, patch / 196,
        patch / 196 * SECOND, patch, kept * 2, kept, 1 - kept / (double) patch, new LinkedHashMap<>(stages),
        List.of(), heap, List.of(), null);
  }
}
