package io.vidctx.qa.eval.report;

import static io.vidctx.qa.eval.report.ReportFixtures.SECOND;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.Outcome;
import io.vidctx.qa.eval.RunInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  private static final Instant DATE = Instant.parse("2025-03-04T05:06:07Z");

  @TempDir
  Path dir;

  @Test
  void shouldContainTheHeaderAndEverySection() {
    final String html = demo();

    for (final String section : List.of("summary", "niah", "tokens", "stages", "tasks", "failures")) {
      assertTrue(html.contains("<section id=\"" + section + "\">"), "section " + section);
    }
    for (final String value : List.of("<h1>niah-grid-demo</h1>", "builtin", "embedding", "1 fps", "2,048",
        "2025-03-04 05:06 UTC", "tr=0.92 tome=0.5 stc=0.8", "<dd>24</dd>")) {
      assertTrue(html.contains(value), "header shows " + value);
    }
    assertEquals(1, count(html, "class=\"chart tokens-accuracy\""));
    assertEquals(1, count(html, "class=\"chart stage-times\""));
    assertTrue(count(html, "class=\"chart timeline\"") >= 10, "a timeline per failed item");
    assertTrue(html.contains("<td>niah-photo</td>") && html.contains("<td>object &amp; order</td>"), "task rows");
    assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"));
  }

  @Test
  void shouldDrawOneHeatmapPerMethodWithACellPerLengthAndDepth() {
    final String html = demo();

    assertEquals(3, count(html, "class=\"chart heatmap\""));
    assertEquals(3 * 2 * 5, count(html, "<rect class=\"cell\""));
    assertTrue(html.contains("aria-label=\"Accuracy of uniform by haystack length (rows) and needle depth (columns)\""));
    assertEquals(3 + 1 + 1 + count(html, "class=\"chart timeline\""), count(html, "<svg class=\"chart "));
    assertEquals(count(html, "<svg"), count(html, "</svg>"));
    assertFalse(html.contains("NaN") || html.contains("Infinity"), "no broken number in a chart");
  }

  @Test
  void shouldShowAccuracyWithParseFailuresApart() {
    final List<EvalItem> items = List.of(AggregatesTest.choice("a"), AggregatesTest.choice("b"),
        AggregatesTest.choice("c"), AggregatesTest.choice("d"));
    final List<ItemResult> results = List.of(AggregatesTest.result("a", Method.OURS, Outcome.CORRECT),
        AggregatesTest.result("b", Method.OURS, Outcome.PARSE_FAILURE),
        AggregatesTest.result("c", Method.OURS, Outcome.UNANSWERABLE),
        ItemResult.error("d", Method.OURS, "decoder gave up"));

    final String html = HtmlReport.render(info(List.of(Method.OURS)), items, results, DATE);

    assertTrue(html.contains("<b>50.0%</b> <small>1/2</small>"), "1 of 2 scored: the parse failure counts");
    assertTrue(html.contains("<td>1 <small>(50.0%)</small></td>"), "parse failures and their rate apart");
    assertTrue(html.contains("decoder gave up"), "the error is shown with its failed item");
  }

  @Test
  void shouldEscapeEveryTextFromTheRun() {
    final String evil = "<script>alert('x')</script>";
    final EvalItem item = EvalItem.choice("id\"<b>", "v.mp4", "Who " + evil + " & why?", List.of("<i>a</i>", "b"), 0)
        .withTask("<task>");
    final ItemResult r = AggregatesTest.result("id\"<b>", Method.OURS, Outcome.WRONG);
    final RunInfo info = new RunInfo("<img src=x onerror=alert(1)>", "m<", "a>", 1, 10, List.of(Method.OURS),
        Map.of("k<", "v\"" + evil));

    final String html = HtmlReport.render(info, List.of(item), List.of(r), DATE);

    assertFalse(html.toLowerCase(java.util.Locale.ROOT).contains("<script"), "no script tag gets through");
    assertFalse(html.contains("<img"), html);
    assertFalse(html.contains("<i>a</i>"));
    assertFalse(html.contains("<task>"));
    assertTrue(html.contains("Who &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; why?"));
    assertTrue(html.contains("<code>id&quot;&lt;b&gt;</code>"));
    assertTrue(html.contains("<b>expected</b> A. &lt;i&gt;a&lt;/i&gt;"));
    assertTrue(html.contains("<title>vidctx report \u2014 &lt;img src=x onerror=alert(1)&gt;</title>"));
  }

  @Test
  void shouldReferenceNothingOutsideThePage() {
    final String html = demo();

    final Matcher refs = Pattern.compile("(?i)\\b(src|href|xlink:href|action|poster|srcset)\\s*=\\s*\"([^\"]*)\"")
        .matcher(html);
    int links = 0;
    while (refs.find()) {
      assertTrue(refs.group(1).equalsIgnoreCase("href") && refs.group(2).startsWith("#"),
          "only links within the page: " + refs.group());
      links++;
    }
    assertEquals(6, links, "the table of contents");
    assertFalse(html.contains("http://") || html.contains("https://"), "no URL at all, not even a namespace");
    assertFalse(html.contains("url(") || html.contains("@import") || html.contains("<link")
        || html.contains("<script"), "no style sheet, font, image or script fetched");
  }

  @Test
  void shouldWriteWellFormedSvg() throws Exception {
    final String html = demo();

    final Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
    final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    int n = 0;
    while (svg.find()) {
      final byte[] xml = svg.group().getBytes(StandardCharsets.UTF_8);
      assertDoesNotThrow(() -> factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)),
          () -> "not well-formed: " + svg.group().substring(0, Math.min(300, svg.group().length())));
      n++;
    }
    assertTrue(n > 10, "charts found: " + n);
  }

  @Test
  void shouldNoteTheMissingGridWithoutNeedleItems() {
    final List<EvalItem> items = List.of(AggregatesTest.choice("a"), AggregatesTest.choice("b"));
    final List<ItemResult> results = List.of(AggregatesTest.result("a", Method.OURS, Outcome.CORRECT),
        AggregatesTest.result("b", Method.OURS, Outcome.WRONG));

    final String html = HtmlReport.render(info(List.of(Method.OURS)), items, results, DATE);

    assertEquals(0, count(html, "chart heatmap"));
    assertTrue(html.contains("No needle items in this run"));
    assertEquals(1, count(html, "class=\"chart tokens-accuracy\""), "multiple choice still has a point");
    assertTrue(html.contains("The items name no task."));
  }

  @Test
  void shouldRenderEmptyAndAllErrorRunsWithoutCharts() {
    final RunInfo info = info(List.of(Method.OURS, Method.UNIFORM));
    final String empty = HtmlReport.render(info, List.of(), List.of(), DATE);
    assertEquals(0, count(empty, "<svg"));
    assertTrue(empty.contains("No scored results") && empty.contains("No stage times were recorded")
        && empty.contains("No item was answered wrong"), empty);

    final List<EvalItem> items = List.of(AggregatesTest.needleItem("n", 300 * SECOND, 0.5));
    final List<ItemResult> errors = List.of(ItemResult.error("n", Method.OURS, "gone"),
        ItemResult.error("n", Method.UNIFORM, "gone too"));
    final String failed = HtmlReport.render(info, items, errors, DATE);
    assertEquals(2, count(failed, "class=\"chart heatmap\""), "the grid shows its empty cells");
    assertEquals(0, count(failed, "chart tokens-accuracy") + count(failed, "chart stage-times"));
    assertEquals(2, count(failed, "class=\"chart timeline\""), "the needle gives the strip its length");
    assertEquals(2, count(failed, "<b>error</b>"));
  }

  @Test
  void shouldDrawTheOtherMethodsWhenOneOnlyFailed() {
    final List<EvalItem> items = ReportFixtures.items();
    final List<ItemResult> results = new ArrayList<>();
    for (final ItemResult r : ReportFixtures.results(items)) {
      results.add(r.method() == Method.UNIFORM ? ItemResult.error(r.itemId(), r.method(), "model not loaded") : r);
    }

    final String html = HtmlReport.render(ReportFixtures.run(), items, results, DATE);

    assertEquals(1, count(html, "class=\"chart stage-times\""));
    assertEquals(2, count(html, "<g class=\"bar\" data-method=\"ours\">") + count(html,
        "<g class=\"bar\" data-method=\"none\">"));
    assertEquals(0, count(html, "<g class=\"series\" data-method=\"uniform\">"), "nothing of uniform to plot");
    assertFalse(html.contains("NaN") || html.contains("Infinity"), "no broken number in a chart");
  }

  @Test
  void shouldCapTheTimelines() {
    final List<EvalItem> items = new ArrayList<>();
    final List<ItemResult> results = new ArrayList<>();
    for (int i = 0; i < HtmlReport.MAX_TIMELINES + 37; i++) {
      items.add(AggregatesTest.choice("q" + i));
      results.add(AggregatesTest.result("q" + i, Method.NONE, Outcome.WRONG));
    }

    final String html = HtmlReport.render(info(List.of(Method.NONE)), items, results, DATE);

    assertEquals(HtmlReport.MAX_TIMELINES, count(html, "class=\"chart timeline\""));
    assertTrue(html.contains("37 more failed results not shown"));
  }

  @Test
  void shouldRenderTheSameBytesForTheSameInput() {
    assertEquals(demo(), demo());
  }

  @Test
  void shouldWriteUtf8CreatingTheFolder() throws IOException {
    final Path file = dir.resolve("out/report.html");
    final List<EvalItem> items = List.of(AggregatesTest.choice("a"));

    HtmlReport.write(file, new RunInfo("\u00e9t\u00e9 \u2014 \u590f", "builtin", "embedding", 1, 512,
        List.of(Method.OURS), Map.of()), items, List.of());

    final String html = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(html.contains("<meta charset=\"utf-8\">"));
    assertTrue(html.contains("<h1>\u00e9t\u00e9 \u2014 \u590f</h1>"));
    assertTrue(html.contains("<td>0 <small>(1 missing)</small></td>"), "the item has no result yet");
  }

  @Test
  void shouldDrawABudgetSweepOfComparedRuns() {
    final List<EvalItem> items = List.of(AggregatesTest.choice("a"), AggregatesTest.choice("b"));
    final RunInfo big = new RunInfo("t", "builtin", "embedding", 1, 4096, List.of(Method.OURS), Map.of());
    final RunInfo small = new RunInfo("t", "builtin", "embedding", 1, 1024, List.of(Method.OURS), Map.of());
    final List<ItemResult> bigResults = List.of(AggregatesTest.measured("a", 196_000, 2000, Map.of(), 1),
        AggregatesTest.measured("b", 196_000, 2100, Map.of(), 1));
    final List<ItemResult> smallResults = List.of(AggregatesTest.measured("a", 196_000, 900, Map.of(), 1),
        AggregatesTest.result("b", Method.OURS, Outcome.WRONG));
    final String plain = HtmlReport.render(big, items, bigResults, DATE);
    final String html = HtmlReport.render(big, items, bigResults, List.of(new ComparedRun(small, smallResults)), DATE);
    assertFalse(plain.contains("id=\"sweep\"") || plain.contains("href=\"#sweep\""));
    assertTrue(html.contains("href=\"#sweep\""), "linked from the contents");
    assertTrue(html.contains("id=\"sweep\""), "sweep section");
    assertEquals(count(plain, "class=\"chart tokens-accuracy") + 1, count(html, "class=\"chart tokens-accuracy"));
    final String sweep = html.substring(html.indexOf("id=\"sweep\""));
    assertTrue(sweep.contains("budget 1,024") && sweep.contains("budget 4,096"), "points labelled by budget");
    assertTrue(sweep.contains("ours, budget 1,024: 50.0% (1 of 2)"), "the small run's accuracy");
  }

  // ------------------------------------------------------------------ helpers

  private static String demo() {
    final List<EvalItem> items = ReportFixtures.items();
    return HtmlReport.render(ReportFixtures.run(), items, ReportFixtures.results(items), DATE);
  }

  private static RunInfo info(final List<Method> methods) {
    return new RunInfo("t", "builtin", "embedding", 1, 512, methods, Map.of());
  }

  private static int count(final String s, final String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }
}
