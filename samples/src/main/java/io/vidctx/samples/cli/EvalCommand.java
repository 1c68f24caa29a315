package io.vidctx.samples.cli;

import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.encoder.ocr.OcrModels;
import io.vidctx.encoder.TextEncoder;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.VisionSpec;
import io.vidctx.encoder.onnx.OnnxTextEncoder;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.qa.Answerer;
import io.vidctx.qa.eval.EvalFiles;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.Outcome;
import io.vidctx.qa.eval.RunInfo;
import io.vidctx.qa.eval.bench.BenchmarkReader;
import io.vidctx.qa.eval.bench.Benchmarks;
import io.vidctx.qa.eval.manifest.Manifest;
import io.vidctx.qa.eval.report.Aggregates;
import io.vidctx.qa.eval.report.ComparedRun;
import io.vidctx.qa.eval.report.MethodStats;
import io.vidctx.qa.eval.report.Tally;
import io.vidctx.qa.eval.report.HtmlReport;
import io.vidctx.qa.eval.run.EvalConfig;
import io.vidctx.qa.eval.run.EvalRunner;
import io.vidctx.qa.eval.run.ResultLog;
import io.vidctx.qa.eval.run.RunInfoFile;
import io.vidctx.tokencompress.CompressorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx eval}: a manifest or a benchmark through the pipeline and the baselines, with a report. */
@Command(
    name = "eval",
    header = "Evaluate long-video QA on a manifest or a benchmark: accuracy, grounding, needle recall, cost.",
    description = {
      "Answers every item of MANIFEST (JSONL, e.g. from 'vidctx niah make') or of a benchmark's local copy"
          + " (--benchmark egoschema|mlvu|videomme|longvideobench|nextqa --data DIR) with each method of"
          + " --baseline: ours (compressed memory + query-aware selection), uniform (evenly spaced whole frames)"
          + " and none (every patch token, then the same selection); the baselines get the token count ours kept.",
      "Results are appended to <out>/results.jsonl as they come, so a rerun with the same --out resumes and"
          + " only does what is missing; compressed memories and encoded haystacks are cached in <out>/cache and"
          + " shared by every question about the same video. At the end <out>/report.html (one self-contained"
          + " file with charts) is written and a summary printed.",
      "Answers come from the built-in embedding answerer (needs a CLIP text tower for multiple choice; image"
          + " queries work with the built-in encoder) or from --vlm, any OpenAI-compatible endpoint. Questions"
          + " the answerer cannot handle are counted as unanswerable, replies that cannot be parsed as parse"
          + " failures: both apart, never guessed."
    },
    showDefaultValues = true,
    footer = {"", "Exit code 0 when every item ran, 1 when some failed (see results.jsonl), 2 for bad arguments.",
      "See 'vidctx help <command>' for the options of another command."})
public final class EvalCommand implements Callable<Integer> {

  @Parameters(arity = "0..1", paramLabel = "<manifest>", description = "A JSONL manifest.")
  @Nullable Path manifest;

  @Option(names = "--benchmark", paramLabel = "<name>",
      description = "Read a benchmark instead: egoschema, mlvu, videomme, longvideobench or nextqa (needs --data).")
  @Nullable String benchmark;

  @Option(names = "--data", paramLabel = "<dir>", description = "The benchmark's local folder (annotations + videos).")
  @Nullable Path data;

  @Option(names = "--out", paramLabel = "<dir>", required = true,
      description = "Run folder: results.jsonl, run.json, cache/, report.html. Reuse it to resume.")
  Path out;

  @Option(names = "--baseline", paramLabel = "<methods>", defaultValue = "ours", split = ",",
      description = "Methods to run, comma-separated: ours, uniform, none.")
  List<String> methods;

  @Option(names = "--budget", paramLabel = "<tokens>", defaultValue = "4096",
      description = "Most tokens in any context (the answering model's visual context).")
  int budget;

  @Option(names = "--fps", paramLabel = "<fps>", defaultValue = "1",
      description = "Sampling rate of ordinary videos (haystack files carry their own).")
  double fps;

  @Option(names = "--limit", paramLabel = "<n>", defaultValue = "0", description = "Only the first n items (0 = all).")
  int limit;

  @Option(names = "--report-only", description = "Write the report from results.jsonl in --out without running.")
  boolean reportOnly;

  @Option(names = "--compare", paramLabel = "<dir>",
      description = "Another run folder over the same items (e.g. another --budget); repeatable. The report adds"
          + " a token budget sweep: accuracy against tokens kept, one point per run and method.")
  List<Path> compare = new ArrayList<>();

  @Option(names = "--cache", paramLabel = "<dir>",
      description = "Cache folder for memories and encoded haystacks (default <out>/cache); runs of one manifest at"
          + " other budgets can share one.")
  @Nullable Path cache;

  @Option(names = "--keyframes", paramLabel = "<n>", defaultValue = "8",
      description = "Keyframes per context (shown to --vlm).")
  int keyframes;

  @Mixin VlmMixin vlm;

  @Mixin OcrMixin ocr;

  @Mixin ModelMixin model;

  @Mixin RuntimeMixin runtimeOptions;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(false);
    final Path results = out.resolve("results.jsonl");
    if (reportOnly) {
      try {
        final RunInfo info = RunInfoFile.read(out.resolve("run.json"));
        final List<EvalItem> items = Manifest.read(out.resolve("items.jsonl")).items();
        final List<ItemResult> all = readResults(results);
        return report(term, info, items, all, (int) all.stream().filter(r -> r.outcome() == Outcome.ERROR).count());
      } catch (final IOException | RuntimeException e) {
        throw CliException.invalidInput("--report-only: " + e.getMessage());
      }
    }
    final List<Method> chosen = methods();
    if (budget < 1) {
      throw CliException.invalidInput("--budget must be >= 1 token, was " + budget);
    }
    if (!(fps > 0 && fps <= 60)) {
      throw CliException.invalidInput("--fps must be in (0, 60], was " + fps);
    }
    if (limit < 0 || keyframes < 1) {
      throw CliException.invalidInput("--limit must be >= 0 and --keyframes >= 1");
    }
    final Source src = source();
    List<EvalItem> items = src.items();
    if (limit > 0 && items.size() > limit) {
      items = items.subList(0, limit);
    }
    if (items.isEmpty()) {
      throw CliException.invalidInput(src.name() + " holds no items");
    }
    final RuntimeOptions runtime = runtimeOptions.toOptions();
    final CompressorConfig compressor = model.config();
    final ModelSetup.Loaded loaded = ModelSetup.load(model.model, model.modelsDir, term);
    final ModelManifest mm = loaded.manifest();
    final VisionSpec vision = loaded.vision();
    final EvalConfig config = new EvalConfig(fps, budget, chosen, compressor, runtime.batchSize(), keyframes,
        vlm.enabled());
    final long t0 = System.nanoTime();
    final OcrModels ocrModels = ocr.enabled ? ocr.resolveModels() : null;
    try (OnnxVisionEncoder encoder = OnnxVisionEncoder.open(loaded.dir(), runtime);
        TextEncoder text = mm.text() == null ? null : OnnxTextEncoder.open(loaded.dir(), runtime);
        OcrEngine ocrEngine = ocr.open(ocrModels, runtime);
        Answerer answerer = vlm.answerer(text);
        ResultLog log = ResultLog.open(results)) {
      if (log.repaired() != null) {
        term.note("%s", log.repaired());
      }
      final Map<String, String> settings = new LinkedHashMap<>();
      settings.put("compressor", compressor.toString());
      settings.put("memory budget", String.valueOf(model.memoryBudget));
      settings.put("device", runtime.device().toString());
      if (vlm.enabled()) {
        settings.put("vlm", vlm.url + " (" + vlm.model + ")");
      }
      final EvalRunner.Ocr reading = ocrModels == null ? null
          : new EvalRunner.Ocr(ocrEngine, ocrKey(ocrModels, ocr.classify), ocr.schedule());
      if (reading != null) {
        settings.put("ocr", "PP-OCRv4" + (ocr.classify ? " with orientation classifier" : "") + ", schedule "
            + reading.schedule());
      }
      final RunInfo info = sameSettings(out.resolve("run.json"),
          new RunInfo(src.name(), mm.name(), answerer.name(), fps, budget, config.methods(), settings), log);
      RunInfoFile.write(out.resolve("run.json"), info);
      Manifest.write(out.resolve("items.jsonl"), items);
      final long pending = items.stream().mapToLong(i -> config.methods().stream().filter(m -> !log.isDone(i.id(), m))
          .count()).sum();
      if (pending < (long) items.size() * config.methods().size()) {
        term.note("resuming: %d of %d results already in %s", (long) items.size() * config.methods().size() - pending,
            (long) items.size() * config.methods().size(), results);
      }
      final EvalRunner.Summary summary;
      try (Progress bar = term.progress("eval", pending, "results")) {
        final long[] done = {0};
        final EvalRunner runner = new EvalRunner(config, encoder, text, mm.name(), modelKey(loaded.dir(), mm.name()),
            answerer, cache != null ? cache : out.resolve("cache"),
            (video, defaults) -> reading != null ? ModelSetup.fitForOcr(video, defaults)
                : ModelSetup.fitToModel(video, defaults, vision), new EvalRunner.Listener() {
              @Override
              public void note(final String message) {
                term.note("%s", message);
              }

              @Override
              public void result(final EvalItem item, final ItemResult r) {
                bar.stepTo(++done[0]);
                if (r.outcome() == Outcome.ERROR) {
                  term.note("%s (%s): %s", item.id(), r.method().id(), r.error());
                } else {
                  term.detail("%s (%s): %s", item.id(), r.method().id(), r.outcome());
                }
              }
            }, reading);
        summary = runner.run(items, src.base(), log);
      }
      term.note("ran %d results (%d items already done) in %s; %d failed", summary.results(), summary.skipped(),
          Units.seconds(System.nanoTime() - t0), summary.failed());
      final List<ItemResult> all = log.results();
      return report(term, info, items, all, (int) all.stream().filter(r -> r.outcome() == Outcome.ERROR).count());
    } catch (final IOException e) {
      throw new UncheckedIOException("evaluation in " + out + ": " + e.getMessage(), e);
    }
  }

  private int report(final Terminal term, final RunInfo info, final List<EvalItem> items,
      final List<ItemResult> results, final int failed) {
    final Path html = out.resolve("report.html");
    final List<ComparedRun> others = new ArrayList<>();
    for (final Path dir : compare) {
      try {
        others.add(new ComparedRun(RunInfoFile.read(dir.resolve("run.json")),
            ResultLog.readAll(dir.resolve("results.jsonl"))));
      } catch (final IOException e) {
        throw CliException.invalidInput("--compare " + dir + ": " + e.getMessage());
      }
    }
    try {
      HtmlReport.write(html, info, items, results, others);
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot write " + html + ": " + e.getMessage(), e);
    }
    printSummary(term, info, items, results);
    term.println("report: %s", html.toAbsolutePath());
    return failed > 0 ? ExitCode.ERROR : ExitCode.OK;
  }

  /**
   * One line per method, from the report's own aggregates (so the table and the report agree):
   * accuracy over scored items (parse failures count as wrong and are also shown apart), grounding,
   * needle hit rate, unanswerable and failed items apart, tokens, reduction, cost per item.
   */
  static void printSummary(final Terminal term, final RunInfo info, final List<EvalItem> items,
      final List<ItemResult> results) {
    final Aggregates agg = Aggregates.of(info.methods(), items, results);
    final TextTable table = new TextTable("method", "items", "accuracy", "grounded", "needle hit", "parse fail",
        "unanswerable", "errors", "tokens kept", "reduction", "cost s");
    for (final Method m : info.methods()) {
      final MethodStats s = agg.stats(m);
      final Tally t = s.tally();
      table.row(m.id(), String.valueOf(t.n()),
          t.scored() == 0 ? "-" : Units.percent(t.accuracy()) + " (" + t.correct() + "/" + t.scored() + ")",
          s.needle().timed() == 0 ? "-" : Units.percent(s.needle().groundingAccuracy()),
          s.needle().recalled() == 0 ? "-" : Units.percent(s.needle().hitRate()), String.valueOf(t.parseFailures()),
          String.valueOf(t.unanswerable()), String.valueOf(t.errors()),
          String.valueOf(Math.round(s.efficiency().meanKeptTokens())), Units.percent(s.efficiency().reduction()),
          Units.f2(s.efficiency().meanTotalMillis() / 1000));
    }
    table.print(term.out());
    term.out().flush();
  }

  /**
   * The run's description: a folder that already holds results must have been run with the same
   * model, answerer, sampling, budget and compression (else its results would be mixed with new ones
   * under the new settings); more methods may be added.
   */
  private static RunInfo sameSettings(final Path runJson, final RunInfo now, final ResultLog log) throws IOException {
    if (!Files.isRegularFile(runJson) || log.results().isEmpty()) {
      return now;
    }
    final RunInfo before = RunInfoFile.read(runJson);
    final List<String> changed = new ArrayList<>();
    if (!before.model().equals(now.model())) {
      changed.add("model " + before.model() + " -> " + now.model());
    }
    if (!before.answerer().equals(now.answerer())) {
      changed.add("answerer " + before.answerer() + " -> " + now.answerer());
    }
    if (before.fps() != now.fps()) {
      changed.add("fps " + before.fps() + " -> " + now.fps());
    }
    if (before.budget() != now.budget()) {
      changed.add("budget " + before.budget() + " -> " + now.budget());
    }
    for (final String key : List.of("compressor", "memory budget", "ocr")) {
      if (!java.util.Objects.equals(before.settings().get(key), now.settings().get(key))) {
        changed.add(key + " " + before.settings().getOrDefault(key, "off") + " -> "
            + now.settings().getOrDefault(key, "off"));
      }
    }
    if (!changed.isEmpty()) {
      throw CliException.invalidInput(runJson.getParent() + " holds results made with other settings ("
          + String.join(", ", changed) + "): use a new --out, or the settings of that run");
    }
    final List<Method> methods = new ArrayList<>(before.methods());
    now.methods().stream().filter(m -> !methods.contains(m)).forEach(methods::add);
    return new RunInfo(now.name(), now.model(), now.answerer(), now.fps(), now.budget(),
        methods.stream().sorted().toList(), now.settings());
  }

  /**
   * What identifies the OCR models in cache keys: their files' identities, and with --ocr-classify "|cls" and
   * the classifier's identity (it changes what is read).
   */
  private static String ocrKey(final OcrModels m, final boolean classify) {
    final String key = "ppocr-v4|" + EvalFiles.identity(m.detector()) + "|" + EvalFiles.identity(m.recognizer())
        + "|" + EvalFiles.identity(m.dictionary());
    return !classify ? key
        : key + "|cls" + (m.classifier() == null ? "" : "|" + EvalFiles.identity(m.classifier()));
  }

  /** The model's name plus its ONNX files' identities: two exports with one name never share a cache. */
  private static String modelKey(final Path dir, final String name) {
    final StringBuilder b = new StringBuilder(name);
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted()
          .forEach(p -> b.append('|').append(EvalFiles.identity(p)));
    } catch (final IOException e) {
      b.append("|unlisted");
    }
    return b.toString();
  }

  private List<Method> methods() {
    final List<Method> list = new ArrayList<>();
    for (final String s : methods) {
      try {
        final Method m = Method.parse(s);
        if (!list.contains(m)) {
          list.add(m);
        }
      } catch (final IllegalArgumentException e) {
        throw CliException.invalidInput("--baseline: " + e.getMessage());
      }
    }
    return list;
  }

  /** Where the items come from, and the folder their relative paths are resolved against. */
  private record Source(String name, List<EvalItem> items, Path base) {}

  private Source source() {
    if ((manifest == null) == (benchmark == null)) {
      throw CliException.invalidInput("give a manifest (vidctx eval MANIFEST --out DIR) or --benchmark NAME --data DIR,"
          + " not both");
    }
    if (manifest != null) {
      if (data != null) {
        throw CliException.invalidInput("--data goes with --benchmark; a manifest names its own videos");
      }
      try {
        final Manifest m = Manifest.read(manifest);
        return new Source(manifest.getFileName().toString(), m.items(), m.folder());
      } catch (final RuntimeException e) {
        throw CliException.invalidInput(e.getMessage());
      }
    }
    if (data == null) {
      throw CliException.invalidInput("--benchmark " + benchmark + " needs --data DIR: the benchmark's local folder");
    }
    if (!Files.isDirectory(data)) {
      throw CliException.invalidInput("--data " + data + " is not a folder");
    }
    try {
      final BenchmarkReader reader = Benchmarks.byName(benchmark);
      return new Source(reader.name(), reader.read(data), data.toAbsolutePath());
    } catch (final IOException | RuntimeException e) {
      // BenchmarkException and unknown names: the user's data or argument, not our bug.
      throw CliException.invalidInput(e.getMessage());
    }
  }

  private static List<ItemResult> readResults(final Path file) {
    if (!Files.isRegularFile(file)) {
      throw CliException.invalidInput("no results in " + file + ": run 'vidctx eval' with this --out first");
    }
    try {
      return ResultLog.readAll(file);
    } catch (final IOException e) {
      throw CliException.invalidInput(e.getMessage());
    }
  }
}
