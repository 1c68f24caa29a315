package io.vidctx.qa.eval.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.RunInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a realistic report in headless Chromium and checks through the DevTools Protocol what a
 * person would see: every chart there and drawn at a real size, no console error, no request
 * leaving the file, no sideways scrolling on a desktop or a phone. Leaves the report and a
 * full-page screenshot in {@code target/} to look at. Needs Debian's {@code chromium} (CI installs
 * it; elsewhere the test is skipped without it).
 */
class HtmlReportBrowserTest {

  private static final Path OUT = Path.of("target");
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void shouldShowEveryChartInChromiumWithoutConsoleErrors() throws IOException {
    final Path chromium = requireChromium();
    final RunInfo info = ReportFixtures.run();
    final List<EvalItem> items = ReportFixtures.items();
    final List<ItemResult> results = ReportFixtures.results(items);
    final Aggregates a = Aggregates.of(info.methods(), items, results);
    final long timelines = a.failures().stream().limit(HtmlReport.MAX_TIMELINES)
        .filter(f -> Charts.timelineMicros(f) > 0).count();
    assertTrue(timelines >= 10, "the fixture should fail some items: " + timelines);
    final Path report = dir.resolve("report.html");
    Files.writeString(report, HtmlReport.render(info, items, results, Instant.parse("2025-01-01T12:00:00Z")),
        StandardCharsets.UTF_8);

    final long started = System.nanoTime();
    try (HeadlessChromium browser = HeadlessChromium.launch(chromium, dir.resolve("chromium"))) {
      final String page = browser.openPage();
      for (final String domain : List.of("Runtime", "Log", "Page", "Network")) {
        browser.send(page, domain + ".enable", browser.params());
      }
      viewport(browser, page, 1280, 900);
      final int mark = browser.eventCount();
      final JsonNode nav = browser.send(page, "Page.navigate", browser.params().put("url", report.toUri().toString()));
      assertFalse(nav.has("errorText"), "navigation failed: " + nav);
      browser.awaitEvent(page, "Page.loadEventFired", mark);

      final JsonNode counts = browser.evaluate(page, """
          ({charts: document.querySelectorAll('svg.chart').length,
            heatmaps: document.querySelectorAll('svg.chart.heatmap').length,
            cells: document.querySelectorAll('svg.heatmap rect.cell').length,
            curves: document.querySelectorAll('svg.chart.tokens-accuracy').length,
            points: document.querySelectorAll('svg.tokens-accuracy .point').length,
            stages: document.querySelectorAll('svg.chart.stage-times').length,
            segments: document.querySelectorAll('svg.stage-times rect.segment').length,
            timelines: document.querySelectorAll('svg.chart.timeline').length,
            hidden: Array.from(document.querySelectorAll('svg.chart')).filter(e => {
              const r = e.getBoundingClientRect();
              return !(r.width > 50 && r.height > 20) || getComputedStyle(e).visibility !== 'visible';
            }).length,
            narrowest: Math.min(...Array.from(document.querySelectorAll('svg.chart'))
              .map(e => e.getBoundingClientRect().width)),
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            title: document.title})
          """);
      final int methods = info.methods().size();
      assertEquals(methods, counts.path("heatmaps").asInt(), "one heatmap per method: " + counts);
      assertEquals(methods * ReportFixtures.LENGTHS.size() * ReportFixtures.DEPTHS.size(),
          counts.path("cells").asInt(), "a cell per method, length and depth: " + counts);
      assertEquals(1, counts.path("curves").asInt(), counts.toString());
      assertEquals(1, counts.path("stages").asInt(), counts.toString());
      assertEquals(timelines, counts.path("timelines").asLong(), counts.toString());
      assertEquals(methods + 2 + timelines, counts.path("charts").asLong(), counts.toString());
      // 2 needle lengths and the multiple-choice items' class, per method.
      assertEquals(methods * 3, counts.path("points").asInt(), counts.toString());
      assertTrue(counts.path("segments").asInt() >= methods * 5, counts.toString());
      assertEquals(0, counts.path("hidden").asInt(), "every chart drawn at a visible size: " + counts);
      assertTrue(counts.path("narrowest").asDouble() >= 300, "charts too small at 1280 px: " + counts);
      assertTrue(counts.path("overflow").asInt() <= 0, "page scrolls sideways at 1280 px: " + counts);
      assertEquals("vidctx report \u2014 niah-grid-demo", counts.path("title").asText());

      screenshot(browser, page, OUT.resolve("report-screenshot.png"));

      // A phone: the page reflows (tables scroll in their own box), charts shrink to fit.
      viewport(browser, page, 390, 844);
      final JsonNode phone = browser.evaluate(page, """
          ({overflow: document.documentElement.scrollWidth - window.innerWidth,
            sticking: Array.from(document.querySelectorAll('body *'))
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                && !e.closest('.table-wrap'))
              .slice(0, 5).map(e => e.tagName + '.' + (e.className.baseVal ?? e.className)),
            widest: Math.max(...Array.from(document.querySelectorAll('svg.chart'))
              .map(e => e.getBoundingClientRect().right))})
          """);
      assertTrue(phone.path("overflow").asInt() <= 0, "page scrolls sideways at 390 px: " + phone);
      assertTrue(phone.path("widest").asDouble() <= 390, "a chart sticks out at 390 px: " + phone);

      final List<String> problems = new ArrayList<>();
      for (final JsonNode e : browser.events(page, "Runtime.consoleAPICalled")) {
        if ("error".equals(e.path("params").path("type").asText())) {
          problems.add("console.error: " + e.path("params").path("args"));
        }
      }
      for (final JsonNode e : browser.events(page, "Runtime.exceptionThrown")) {
        problems.add("exception: " + e.path("params").path("exceptionDetails"));
      }
      for (final JsonNode e : browser.events(page, "Log.entryAdded")) {
        if ("error".equals(e.path("params").path("entry").path("level").asText())) {
          problems.add("log: " + e.path("params").path("entry"));
        }
      }
      for (final JsonNode e : browser.events(page, "Network.requestWillBeSent")) {
        final String url = e.path("params").path("request").path("url").asText();
        if (!url.startsWith("file:") && !url.startsWith("data:")) {
          problems.add("request to " + url);
        }
      }
      assertEquals(List.of(), problems, "the page must load cleanly and fetch nothing");
    }
    System.out.printf("HtmlReportBrowserTest: chromium session took %.1f s%n", (System.nanoTime() - started) / 1e9);
    Files.copy(report, OUT.resolve("report-sample.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static Path requireChromium() {
    final Path chromium = HeadlessChromium.executable();
    if (chromium == null) {
      final String message = "chromium not found at " + (System.getenv("CHROMIUM") != null ? "$CHROMIUM="
          + System.getenv("CHROMIUM") : HeadlessChromium.DEFAULT) + ": apt-get install chromium to run this test";
      if ("true".equals(System.getenv("CI"))) {
        fail(message + " (CI must have it: .ci/run installs it)");
      }
      Assumptions.abort(message);
    }
    return chromium;
  }

  private static void viewport(final HeadlessChromium browser, final String page, final int width, final int height)
      throws IOException {
    browser.send(page, "Emulation.setDeviceMetricsOverride", browser.params().put("width", width)
        .put("height", height).put("deviceScaleFactor", 1).put("mobile", false));
  }

  /** A PNG of the whole page, not only the viewport. */
  private static void screenshot(final HeadlessChromium browser, final String page, final Path file)
      throws IOException {
    final JsonNode size = browser.send(page, "Page.getLayoutMetrics", browser.params()).path("cssContentSize");
    final var params = browser.params().put("format", "png").put("captureBeyondViewport", true);
    params.putObject("clip").put("x", 0).put("y", 0).put("width", size.path("width").asDouble())
        .put("height", size.path("height").asDouble()).put("scale", 1);
    final byte[] png = Base64.getDecoder().decode(browser.send(page, "Page.captureScreenshot", params)
        .path("data").asText());
    assertArrayEquals(PNG, Arrays.copyOf(png, PNG.length), "a PNG");
    assertTrue(png.length > 20_000, "a screenshot of a page with charts is not tiny: " + png.length + " bytes");
    Files.createDirectories(file.getParent());
    Files.write(file, png);
  }
}
