package io.vidctx.qa.eval.report;

import static io.vidctx.qa.eval.report.Fmt.esc;

import io.vidctx.qa.eval.EvalFiles;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.eval.Outcome;
import io.vidctx.qa.eval.RunInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The evaluation report as one self-contained HTML file: inline CSS, charts as inline SVG, no
 * script, no font, image or style sheet fetched from anywhere, so it opens the same offline, from a
 * mail or from an archive years later. All text from the run (questions, answers, settings) is
 * escaped.
 *
 * <p>Sections: the run's header, a summary table per method, the needle heatmap (length x depth) per
 * method, tokens against accuracy, time per stage, accuracy per task, and a timeline strip per failed
 * item. Metric definitions: {@link Tally}, {@link NeedleStats}, {@link Efficiency}, {@link CurvePoint}.
 */
public final class HtmlReport {

  /** Timelines drawn at most; a long run with a weak method would otherwise give a page of megabytes. */
  public static final int MAX_TIMELINES = 200;

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private static final String CSS = """
      :root{--fg:#1f2328;--muted:#57606a;--line:#d8dee4;--panel:#f6f8fa;--accent:#0969da}
      *{box-sizing:border-box}
      html{-webkit-text-size-adjust:100%}
      body{margin:0;color:var(--fg);background:#fff;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,\
      "Helvetica Neue",Arial,"Noto Sans","Liberation Sans","DejaVu Sans",sans-serif}
      main{max-width:1180px;margin:0 auto;padding:28px 24px 64px}
      header h1{font-size:26px;line-height:1.25;margin:0 0 2px;overflow-wrap:anywhere}
      .sub{color:var(--muted);margin:0}
      h2{font-size:19px;margin:44px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line)}
      h3{font-size:15px;margin:0 0 6px}
      p{margin:6px 0}
      nav.toc{display:flex;flex-wrap:wrap;gap:2px 18px;margin:14px 0 0;font-size:14px}
      nav.toc a{color:var(--accent);text-decoration:none;white-space:nowrap}
      nav.toc a:hover{text-decoration:underline}
      dl.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px 24px;margin:20px 0 0}
      dl.meta div{min-width:0}
      dl.meta dt{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
      dl.meta dd{margin:0;font-weight:600;overflow-wrap:anywhere}
      details.settings{margin:14px 0 0;font-size:14px}
      details.settings summary{cursor:pointer;color:var(--muted)}
      .table-wrap{overflow-x:auto;margin:8px 0}
      table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:14px}
      th,td{padding:7px 12px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
      th:first-child,td:first-child{text-align:left}
      thead th{font-size:12px;font-weight:600;color:var(--muted);background:var(--panel);vertical-align:bottom}
      td.kv{text-align:left;white-space:normal;overflow-wrap:anywhere}
      td small,th small{color:var(--muted);font-weight:400}
      .swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:7px;vertical-align:-1px}
      .legend{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px;color:var(--muted);margin:6px 0 0}
      .legend .scale{display:inline-block;width:160px;height:11px;border-radius:2px;vertical-align:-1px;margin:0 6px;\
      background:linear-gradient(90deg,#d73027,#fc8d59,#fee08b,#d9ef8b,#91cf60,#1a9850)}
      .heatmaps{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:18px 28px;margin-top:10px}
      figure{margin:0;min-width:0}
      figcaption{font-size:14px;margin:0 0 6px}
      figcaption .mean{color:var(--muted);font-weight:400}
      svg.chart{display:block;width:100%;height:auto;overflow:visible}
      svg.chart text{font-family:inherit;font-size:12px;fill:var(--fg)}
      svg.chart text.tick,svg.chart text.point-label{fill:var(--muted);font-size:11px}
      svg.chart text.axis-title{fill:var(--muted);font-size:12px}
      svg.chart text.cell-value{font-size:14px;font-weight:600;fill:inherit}
      svg.chart text.cell-n{font-size:10px;fill:inherit;opacity:.85}
      svg.chart text.row-label{font-weight:600}
      svg.chart text.needle-label{fill:#8a5a00;font-size:11px}
      svg.heatmap rect.cell:hover{stroke:#1f2328;stroke-width:1.5}
      .note{color:var(--muted);font-size:14px}
      .nowrap{white-space:nowrap}
      h3.table-title{margin:18px 0 0;font-size:14px;color:var(--muted);font-weight:600}
      .failure{border:1px solid var(--line);border-radius:8px;padding:12px 14px 6px;margin:12px 0}
      .failure h3{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline;font-size:14px}
      .failure h3 code{font-size:13px;overflow-wrap:anywhere}
      .failure .question{margin:2px 0 4px;overflow-wrap:anywhere}
      .failure .facts{font-size:13px;color:var(--muted);margin:0 0 4px;overflow-wrap:anywhere}
      .failure .facts b{color:var(--fg);font-weight:600}
      .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:11px;font-weight:700;\
      letter-spacing:.03em;color:#fff}
      .badge.wrong{background:#cf222e}.badge.parse_failure{background:#9a6700}.badge.error{background:#57606a}
      .badge.correct{background:#1a7f37}.badge.ungrounded{background:#8250df}
      .badge.unscored,.badge.unanswerable{background:#6e7781}
      footer{margin-top:48px;font-size:12px;color:var(--muted)}
      @media (max-width:600px){main{padding:18px 14px 48px}.heatmaps{grid-template-columns:minmax(0,1fr)}}
      @media print{main{max-width:none}.failure{break-inside:avoid}}
      """;

  private HtmlReport() {
  }

  /** The report, dated now. */
  public static String render(final RunInfo info, final List<EvalItem> items, final List<ItemResult> results) {
    return render(info, items, results, Instant.now());
  }

  /** The report, dated {@code generated} (a fixed date gives byte-identical reports). */
  public static String render(final RunInfo info, final List<EvalItem> items, final List<ItemResult> results,
      final Instant generated) {
    return render(info, items, results, List.of(), generated);
  }

  /**
   * The report with a budget sweep: {@code compared} are other runs over the same items (at other
   * token budgets), drawn with this one as one tokens-vs-accuracy point per run and method.
   */
  public static String render(final RunInfo info, final List<EvalItem> items, final List<ItemResult> results,
      final List<ComparedRun> compared, final Instant generated) {
    final Aggregates a = Aggregates.of(info.methods(), items, results);
    final StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc("vidctx report \u2014 " + info.name())).append("</title>\n")
        .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
    header(b, info, a, generated, !compared.isEmpty());
    summary(b, a);
    heatmaps(b, a);
    tokens(b, a, info);
    if (!compared.isEmpty()) {
      sweep(b, info, a, items, compared);
    }
    stages(b, a);
    tasks(b, a);
    failures(b, a);
    b.append("<footer>Generated by vidctx ").append(esc(DATE.format(generated)))
        .append(". Self-contained: nothing on this page is loaded from elsewhere.</footer>\n");
    return b.append("</main>\n</body>\n</html>\n").toString();
  }

  /** Writes the report with a budget sweep (dated now) as UTF-8, creating the folder. */
  public static void write(final Path file, final RunInfo info, final List<EvalItem> items,
      final List<ItemResult> results, final List<ComparedRun> compared) throws IOException {
    EvalFiles.writeAtomically(file, render(info, items, results, compared, Instant.now()));
  }

  /** Writes the report (dated now) as UTF-8, creating the folder. */
  public static void write(final Path file, final RunInfo info, final List<EvalItem> items,
      final List<ItemResult> results) throws IOException {
    write(file, info, items, results, List.of());
  }

  private static void header(final StringBuilder b, final RunInfo info, final Aggregates a, final Instant generated,
      final boolean sweep) {
    b.append("<header>\n<h1>").append(esc(info.name())).append("</h1>\n<p class=\"sub\">vidctx evaluation report</p>\n")
        .append("<nav class=\"toc\"><a href=\"#summary\">Summary</a><a href=\"#niah\">Needle grid</a>")
        .append("<a href=\"#tokens\">Tokens vs accuracy</a>").append(sweep ? "<a href=\"#sweep\">Budget sweep</a>" : "")
        .append("<a href=\"#stages\">Time per stage</a>")
        .append("<a href=\"#tasks\">Per task</a><a href=\"#failures\">Failures</a></nav>\n<dl class=\"meta\">");
    meta(b, "Model", esc(info.model()));
    meta(b, "Answerer", esc(info.answerer()));
    meta(b, "Sampling", esc(Fmt.num(info.fps()) + " fps"));
    meta(b, "Token budget", esc(Fmt.num(info.budget())));
    final StringBuilder methods = new StringBuilder();
    for (final Method m : a.methods()) {
      methods.append("<span class=\"nowrap\">").append(swatch(m)).append(esc(m.id())).append("</span> ");
    }
    meta(b, "Methods", methods.toString().strip());
    meta(b, "Items", esc(Fmt.num(a.items()) + (a.orphanResults() > 0 ? " (+" + a.orphanResults()
        + " results for unknown items)" : "")));
    meta(b, "Date", esc(DATE.format(generated)));
    b.append("</dl>\n");
    if (!info.settings().isEmpty()) {
      b.append("<details class=\"settings\" open><summary>Settings</summary><div class=\"table-wrap\"><table><tbody>");
      new TreeMap<>(info.settings()).forEach((k, v) -> b.append("<tr><td>").append(esc(k))
          .append("</td><td class=\"kv\">").append(esc(v)).append("</td></tr>"));
      b.append("</tbody></table></div></details>\n");
    }
    b.append("</header>\n");
  }

  private static void meta(final StringBuilder b, final String key, final String html) {
    b.append("<div><dt>").append(key).append("</dt><dd>").append(html).append("</dd></div>");
  }

  private static String swatch(final Method m) {
    return "<span class=\"swatch\" style=\"background:" + Charts.methodColour(m) + "\"></span>";
  }

  private static void summary(final StringBuilder b, final Aggregates a) {
    b.append("<section id=\"summary\">\n<h2>Summary</h2>\n");
    b.append("<p class=\"note\">Accuracy = correct / (correct + wrong + parse failures): a reply that names no ")
        .append("option counts as wrong and is also shown apart. Unscored, unanswerable and failed items are left ")
        .append("out of accuracy and counted apart. Grounding = answers naming a time inside the needle, among ")
        .append("needle answers that name a time. Hit rate, coverage and purity: needle recall of the context ")
        .append("(model-free, from token provenance). Reduction = 1 \u2212 kept / patch tokens, pooled.</p>\n");
    b.append("<h3 class=\"table-title\">Answers</h3><div class=\"table-wrap\"><table class=\"summary answers\">")
        .append("<thead><tr><th>Method</th><th>Results</th><th>Accuracy</th><th>Parse failures</th>")
        .append("<th>Unscored</th><th>Unanswerable</th><th>Errors</th><th>Grounding</th></tr></thead><tbody>\n");
    for (final Method m : a.methods()) {
      final MethodStats s = a.stats(m);
      final Tally t = s.tally();
      final NeedleStats n = s.needle();
      methodCell(b, m);
      b.append("<td>").append(t.n()).append(s.missing() > 0 ? " <small>(" + s.missing() + " missing)</small>" : "")
          .append("</td>");
      b.append("<td><b>").append(Fmt.pct(t.accuracy(), 1)).append("</b> <small>").append(t.correct()).append('/')
          .append(t.scored()).append("</small></td>");
      b.append("<td>").append(t.parseFailures()).append(t.parseFailures() > 0 ? " <small>("
          + Fmt.pct(t.parseFailureRate(), 1) + ")</small>" : "").append("</td>");
      b.append("<td>").append(t.unscored()).append("</td><td>").append(t.unanswerable()).append("</td><td>")
          .append(t.errors()).append("</td>");
      b.append("<td>").append(Fmt.pct(n.groundingAccuracy(), 1)).append(n.timed() > 0 ? " <small>" + n.grounded()
          + "/" + n.timed() + "</small>" : "").append("</td></tr>\n");
    }
    b.append("</tbody></table></div>\n");
    b.append("<h3 class=\"table-title\">Context and cost</h3><div class=\"table-wrap\"><table class=\"summary cost\">")
        .append("<thead><tr><th>Method</th><th>Hit rate</th><th>Coverage</th><th>Purity</th>")
        .append("<th>Tokens in \u2192 kept</th><th>Reduction</th><th>Time / item</th><th>Peak heap</th></tr></thead>")
        .append("<tbody>\n");
    for (final Method m : a.methods()) {
      final NeedleStats n = a.stats(m).needle();
      final Efficiency e = a.stats(m).efficiency();
      methodCell(b, m);
      b.append("<td>").append(Fmt.pct(n.hitRate(), 1)).append(n.recalled() > 0 ? " <small>" + n.hits() + "/"
          + n.recalled() + "</small>" : "").append("</td><td>").append(Fmt.pct(n.meanCoverage(), 1))
          .append("</td><td>").append(Fmt.pct(n.meanPurity(), 1)).append("</td>");
      b.append("<td>").append(Fmt.num(e.meanPatchTokens())).append(" \u2192 ").append(Fmt.num(e.meanKeptTokens()))
          .append("</td><td>").append(Fmt.pct(e.reduction(), 1)).append("</td><td>")
          .append(Fmt.ms(e.meanTotalMillis())).append("</td><td>").append(Fmt.bytes(e.peakHeapBytes()))
          .append("</td></tr>\n");
    }
    b.append("</tbody></table></div>\n");
    int untimed = 0;
    for (final Method m : a.methods()) {
      untimed += a.stats(m).needle().untimed();
    }
    if (untimed > 0) {
      b.append("<p class=\"note\">").append(untimed)
          .append(" answers to needle items named no time; they are not in the grounding ratio.</p>\n");
    }
    b.append("</section>\n");
  }

  private static void methodCell(final StringBuilder b, final Method m) {
    b.append("<tr data-method=\"").append(esc(m.id())).append("\"><td>").append(swatch(m)).append("<b>")
        .append(esc(m.id())).append("</b></td>");
  }

  private static void heatmaps(final StringBuilder b, final Aggregates a) {
    b.append("<section id=\"niah\">\n<h2>Needle in a haystack: accuracy by length \u00d7 depth</h2>\n");
    final NiahGrid grid = a.grid();
    if (grid.isEmpty()) {
      b.append("<p class=\"note\">No needle items in this run, so there is no length \u00d7 depth grid.</p>\n")
          .append("</section>\n");
      return;
    }
    b.append("<p class=\"note\">Rows: haystack length (without the needle); columns: share of the haystack in front ")
        .append("of the needle. Each cell: accuracy and number of results; hover for the counts.</p>\n")
        .append("<div class=\"legend\"><span>0%<span class=\"scale\"></span>100%</span>")
        .append("<span><span class=\"swatch\" style=\"background:#eef1f4\"></span>nothing scored</span></div>\n")
        .append("<div class=\"heatmaps\">\n");
    for (final Method m : a.methods()) {
      Tally total = Tally.EMPTY;
      for (final NiahGrid.Cell c : grid.cells()) {
        if (c.method() == m) {
          total = sum(total, c.tally());
        }
      }
      b.append("<figure><figcaption>").append(swatch(m)).append("<b>").append(esc(m.id()))
          .append("</b> <span class=\"mean\">mean ").append(Fmt.pct(total.accuracy(), 1)).append(" of ")
          .append(total.scored()).append("</span></figcaption>").append(Charts.heatmap(m, grid))
          .append("</figure>\n");
    }
    b.append("</div>\n</section>\n");
  }

  private static Tally sum(final Tally x, final Tally y) {
    return new Tally(x.n() + y.n(), x.correct() + y.correct(), x.wrong() + y.wrong(), x.unscored() + y.unscored(),
        x.parseFailures() + y.parseFailures(), x.unanswerable() + y.unanswerable(), x.errors() + y.errors());
  }

  /** The budget sweep: one point per run and method, runs ordered by budget. */
  private static void sweep(final StringBuilder b, final RunInfo info, final Aggregates current,
      final List<EvalItem> items, final List<ComparedRun> compared) {
    final List<CurvePoint> points = new java.util.ArrayList<>();
    final List<Method> methods = new java.util.ArrayList<>(info.methods());
    final List<Integer> budgets = new java.util.ArrayList<>();
    // This run's aggregates are made already; the compared runs' are made here.
    addSweepPoints(points, methods, budgets, info, current);
    for (final ComparedRun run : compared) {
      addSweepPoints(points, methods, budgets, run.info(), Aggregates.of(run.info().methods(), items, run.results()));
    }
    b.append("<section id=\"sweep\">\n<h2>Token budget sweep</h2>\n");
    b.append("<p class=\"note\">The same items at ").append(budgets.size()).append(" token budgets (")
        .append(esc(budgets.stream().sorted().map(Fmt::num).collect(java.util.stream.Collectors.joining(", "))))
        .append("): x = mean tokens handed to the answerer, y = accuracy over all scored items of the run.</p>\n");
    b.append(Charts.tokensAccuracy(methods, points,
        "Accuracy against mean kept tokens per item, one series per method, one point per token budget"));
    methodLegend(b, methods);
  }

  /** The methods' colour legend, closing the section. */
  private static void methodLegend(final StringBuilder b, final List<Method> methods) {
    b.append("<div class=\"legend\">");
    for (final Method m : methods) {
      b.append("<span>").append(swatch(m)).append(esc(m.id())).append("</span>");
    }
    b.append("</div>\n</section>\n");
  }

  /** One point per method of a run at its budget; methods not seen yet join the legend. */
  private static void addSweepPoints(final List<CurvePoint> points, final List<Method> methods,
      final List<Integer> budgets, final RunInfo run, final Aggregates a) {
    budgets.add(run.budget());
    for (final Method m : run.methods()) {
      if (!methods.contains(m)) {
        methods.add(m);
      }
      final MethodStats s = a.stats(m);
      points.add(new CurvePoint(m, "budget " + Fmt.num(run.budget()), run.budget(), true,
          s.efficiency().meanKeptTokens(), s.tally()));
    }
  }

  private static void tokens(final StringBuilder b, final Aggregates a, final RunInfo info) {
    b.append("<section id=\"tokens\">\n<h2>Tokens vs accuracy</h2>\n");
    final boolean any = a.curve().stream()
        .anyMatch(p -> !Double.isNaN(p.tally().accuracy()) && !Double.isNaN(p.meanKeptTokens()));
    if (!any) {
      b.append("<p class=\"note\">No scored results, so there is nothing to plot.</p>\n</section>\n");
      return;
    }
    b.append("<p class=\"note\">One point per method and video length (haystack length for needle items, ")
        .append("otherwise &lt;2m, 2\u201315m, 15\u201360m, \u22651h): x = mean tokens handed to the answerer, ")
        .append("y = accuracy. All points share the run's budget of ").append(esc(Fmt.num(info.budget())))
        .append(" tokens; short videos do not fill it.</p>\n");
    b.append(Charts.tokensAccuracy(a.methods(), a.curve()));
    methodLegend(b, a.methods());
  }

  private static void stages(final StringBuilder b, final Aggregates a) {
    b.append("<section id=\"stages\">\n<h2>Time per stage</h2>\n");
    final boolean any = a.methods().stream().anyMatch(m -> a.stats(m).efficiency().meanTotalMillis() > 0);
    if (!any) {
      b.append("<p class=\"note\">No stage times were recorded.</p>\n</section>\n");
      return;
    }
    b.append("<p class=\"note\">Mean milliseconds per item (failed items left out). Each item is charged what its video cost from scratch: a cached memory or haystack counts at the cost it had when it was made (uniform sampling: decode and encode of its sampled frames only).</p>\n")
        .append(Charts.stageTimes(a.methods(), a.byMethod(), a.stages())).append("<div class=\"legend\">");
    for (final String s : a.stages()) {
      b.append("<span><span class=\"swatch\" style=\"background:").append(Charts.stageColour(s, a.stages()))
          .append("\"></span>").append(esc(s)).append("</span>");
    }
    b.append("</div>\n</section>\n");
  }

  private static void tasks(final StringBuilder b, final Aggregates a) {
    b.append("<section id=\"tasks\">\n<h2>Accuracy per task</h2>\n");
    if (a.tasks().isEmpty() || a.tasks().equals(List.of(Aggregates.NO_TASK))) {
      b.append("<p class=\"note\">The items name no task.</p>\n</section>\n");
      return;
    }
    b.append("<div class=\"table-wrap\"><table class=\"tasks\"><thead><tr><th>Task</th>");
    for (final Method m : a.methods()) {
      b.append("<th>").append(swatch(m)).append(esc(m.id())).append("</th>");
    }
    b.append("</tr></thead><tbody>\n");
    for (final String task : a.tasks()) {
      b.append("<tr><td>").append(esc(task)).append("</td>");
      for (final Method m : a.methods()) {
        final Tally t = a.task(task, m);
        b.append("<td>").append(Fmt.pct(t.accuracy(), 1)).append(" <small>").append(t.correct()).append('/')
            .append(t.scored()).append("</small></td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody></table></div>\n</section>\n");
  }

  private static void failures(final StringBuilder b, final Aggregates a) {
    final List<Failure> all = a.failures();
    b.append("<section id=\"failures\">\n<h2>Failed items</h2>\n");
    if (all.isEmpty()) {
      b.append("<p class=\"note\">No item was answered wrong, unparseable, failed or ungrounded.</p>\n</section>\n");
      return;
    }
    b.append("<p class=\"note\">").append(all.size()).append(" results answered wrong, unparseable, failed, or with a ")
        .append("time outside the needle. Strip: the whole video; <span class=\"swatch\" style=\"background:")
        .append(Charts.NEEDLE_COLOUR).append("\"></span>needle interval, bars: where the selected tokens fell ")
        .append("(height = tokens), <span class=\"swatch\" style=\"background:").append(Charts.ANSWER_COLOUR)
        .append("\"></span>the answer's time.</p>\n");
    final int shown = Math.min(all.size(), MAX_TIMELINES);
    for (int i = 0; i < shown; i++) {
      failure(b, all.get(i));
    }
    if (all.size() > shown) {
      b.append("<p class=\"note omitted\">").append(all.size() - shown)
          .append(" more failed results not shown (at most ")
          .append(MAX_TIMELINES).append(" timelines).</p>\n");
    }
    b.append("</section>\n");
  }

  private static void failure(final StringBuilder b, final Failure f) {
    final ItemResult r = f.result();
    final EvalItem item = f.item();
    final boolean ungrounded = r.outcome() == Outcome.CORRECT || r.outcome() == Outcome.UNSCORED;
    final String badge = ungrounded ? "ungrounded" : r.outcome().name().toLowerCase(Locale.ROOT);
    b.append("<div class=\"failure\" data-method=\"").append(esc(r.method().id())).append("\"><h3><code>")
        .append(esc(r.itemId())).append("</code><span>").append(swatch(r.method())).append(esc(r.method().id()))
        .append("</span><span class=\"badge ").append(badge).append("\">")
        .append(esc(badge.replace('_', ' ').toUpperCase(Locale.ROOT))).append("</span></h3>\n");
    if (item != null) {
      b.append("<p class=\"question\">").append(esc(Fmt.clip(item.question(), 400))).append("</p>\n");
    }
    b.append("<p class=\"facts\"><b>answer</b> ").append(esc(Fmt.clip(answer(r, item), 200)))
        .append(" \u00b7 <b>expected</b> ").append(esc(Fmt.clip(expected(item), 200)));
    final NeedleTruth needle = item == null ? null : item.needle();
    if (needle != null) {
      b.append(" \u00b7 <b>needle</b> ").append(esc(Fmt.time(needle.startMicros()) + "\u2013"
          + Fmt.time(needle.endMicros())));
    }
    if (r.atMicros() >= 0) {
      b.append(" \u00b7 <b>answer time</b> ").append(esc(Fmt.time(r.atMicros())));
    }
    if (r.keptTokens() > 0) {
      b.append(" \u00b7 <b>kept</b> ").append(esc(Fmt.num(r.keptTokens()))).append(" tokens");
    }
    if (r.error() != null) {
      b.append(" \u00b7 <b>error</b> ").append(esc(Fmt.clip(r.error(), 300)));
    }
    b.append("</p>\n");
    if (Charts.timelineMicros(f) > 0) {
      b.append(Charts.timeline(f)).append('\n');
    } else {
      b.append("<p class=\"note\">No time line: nothing of the video was measured.</p>\n");
    }
    b.append("</div>\n");
  }

  private static String answer(final ItemResult r, final @Nullable EvalItem item) {
    if (r.choice() >= 0) {
      final String letter = String.valueOf((char) ('A' + Math.min(r.choice(), 25)));
      return item != null && r.choice() < item.options().size() ? letter + ". " + item.options().get(r.choice())
          : letter;
    }
    return r.answer() == null ? Fmt.NONE : r.answer();
  }

  private static String expected(final @Nullable EvalItem item) {
    if (item == null) {
      return "(item not in the manifest)";
    }
    if (item.answerIndex() >= 0) {
      return (char) ('A' + Math.min(item.answerIndex(), 25)) + ". " + item.options().get(item.answerIndex());
    }
    if (item.answer() != null) {
      return item.answer();
    }
    return item.needle() != null ? "a time inside the needle" : "(not published)";
  }
}
