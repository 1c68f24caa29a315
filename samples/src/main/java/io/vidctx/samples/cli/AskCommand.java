package io.vidctx.samples.cli;

import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.TextEncoder;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.VisionSpec;
import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.encoder.ocr.OcrModels;
import io.vidctx.encoder.onnx.OnnxTextEncoder;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.qa.Answer;
import io.vidctx.qa.AnswerException;
import io.vidctx.qa.Answerer;
import io.vidctx.qa.ContextBuilder;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.Question;
import io.vidctx.qa.VideoContext;
import io.vidctx.qa.export.ContextExporter;
import io.vidctx.qa.export.MemoryFile;
import io.vidctx.qa.frames.KeyframeGrabber;
import io.vidctx.qa.query.EncodedQuery;
import io.vidctx.qa.query.QueryEncoder;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.select.QueryAwareSelector;
import io.vidctx.tokencompress.select.TimeRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx ask}: decode, encode, compress, select and answer one question about a video. */
@Command(
    name = "ask",
    header = "Ask a question about a video: decode -> encode -> compress -> select -> answer.",
    description = {
      "Builds the compressed memory of <video> (or reads it with --memory), turns the question into query"
          + " vectors (its text through a CLIP text tower when --model has one; --image FILE through the vision"
          + " encoder), selects the tokens that matter within --budget, and answers:",
      "  * by default with the built-in embedding answerer: --choices picks an option (needs a CLIP text"
          + " tower), and an open question asked with --image (or a CLIP text tower) answers when the content"
          + " appears;",
      "  * with --vlm URL, by any OpenAI-compatible chat endpoint (vLLM, llama.cpp server, Ollama, TGI), which"
          + " is shown the keyframes with their timestamps.",
      "--ocr reads on-screen text (PP-OCRv4) on scene cuts and changed frames: the question's options, quoted"
          + " strings and words are matched against it, the selection follows the moments the text was on screen,"
          + " the built-in answerer picks the option (or answers a short question) the text says, and --vlm is"
          + " sent the text lines with their times.",
      "The built-in encoder has no text tower: a text-only question without --ocr then gets a coverage-only"
          + " selection (the whole timeline) and says so. --export DIR writes the context (context.json,"
          + " tokens.npy, keyframes/*.jpg) for Python stacks.",
      "",
      "Usage with a memory file: vidctx compress VIDEO --out M.vmem; vidctx ask --memory M.vmem \"QUESTION\"."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class AskCommand implements Callable<Integer> {

  @Parameters(arity = "1..2", paramLabel = "<video> <question>",
      description = "The video (file or URL) and the question; with --memory only the question (a video given"
          + " too is used for keyframe images).")
  List<String> args;

  @Option(names = "--memory", paramLabel = "<file>", description = "Answer from this memory file ('vidctx compress').")
  @Nullable Path memoryFile;

  @Option(names = "--choices", paramLabel = "<a|b|c>", description = "Multiple-choice options separated by '|'.")
  @Nullable String choices;

  @Option(names = "--image", paramLabel = "<file>", description = "An example picture of what to look for.")
  @Nullable Path image;

  @Option(names = "--budget", paramLabel = "<tokens>", defaultValue = "4096",
      description = "Most tokens the context may hold (the answering model's visual context).")
  int budget;

  @Option(names = "--between", paramLabel = "<start,end>", converter = TimeRangeConverter.class,
      description = "Only this part of the video, e.g. 00:05,00:12.")
  @Nullable TimeRange between;

  @Option(names = "--last", paramLabel = "<duration>", converter = TimeRangeConverter.Duration.class,
      description = "Only the last part of the video, e.g. 10m, 90s, 1h.")
  @Nullable Long last;

  @Option(names = "--keyframes", paramLabel = "<n>", defaultValue = "" + ContextBuilder.DEFAULT_KEYFRAMES,
      description = "Keyframes in the context (shown to --vlm, written by --export).")
  int keyframes;

  @Option(names = "--export", paramLabel = "<dir>", description = "Write the context here (JSON, .npy, keyframes).")
  @Nullable Path export;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Mixin VlmMixin vlm;

  @Mixin OcrMixin ocr;

  @Mixin CompressionMixin compression;

  @Mixin DecodeRangeMixin range;

  @Mixin RuntimeMixin runtimeOptions;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /** Time spent per step, in seconds, in pipeline order. */
  public record Summary(String video, @Nullable String memoryFile, String model, String question, List<String> choices,
      String queryKind, List<String> notes, @Nullable String answer, @Nullable String letter,
      @Nullable Double confidence, @Nullable String answerStatus, @Nullable String answerer,
      List<String> evidence, @Nullable String error, long frames, long patchTokens, int memoryTokens,
      int selectedTokens, double selectionRatio, double reduction, Map<String, Double> seconds,
      @Nullable String exportDir, @Nullable OcrSummary ocr, List<OnScreen> texts) {}

  /** What OCR did: frames seen and read, text boxes recognised, text tokens in the memory. */
  public record OcrSummary(long frames, long framesRead, long textBoxes, int memoryTextTokens, double detectSeconds,
      double recognizeSeconds) {}

  /** A text token in the context: what, when, and whether it matched the question. */
  public record OnScreen(String text, String start, String end, float score, boolean matched) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    final Inputs in = inputs();
    final Question question = question(in.questionText());
    if (budget < 1) {
      throw CliException.invalidInput("--budget must be >= 1 token, was " + budget);
    }
    if (keyframes < 1) {
      throw CliException.invalidInput("--keyframes must be >= 1, was " + keyframes);
    }
    if (between != null && last != null) {
      throw CliException.invalidInput("--between and --last exclude each other: give one");
    }
    if (image != null && !Files.isRegularFile(image)) {
      throw CliException.invalidInput("--image " + image + " does not exist or is not a file");
    }
    final Map<String, Double> seconds = new LinkedHashMap<>();
    final long t0 = System.nanoTime();
    final RuntimeOptions runtime = runtimeOptions.toOptions();
    final ModelSetup.Loaded loaded = ModelSetup.load(compression.model, compression.modelsDir, term);
    final Path modelDir = loaded.dir();
    final ModelManifest manifest = loaded.manifest();
    final VisionSpec vision = loaded.vision();
    final CompressorConfig config = compression.config();
    if (in.memory() != null && !in.memory().model().equals(manifest.name())) {
      throw CliException.invalidInput("memory file " + memoryFile + " was encoded with model '" + in.memory().model()
          + "', not '" + manifest.name() + "': pass --model for that model (queries must share its space)");
    }
    if (ocr.enabled && in.memory() != null) {
      throw CliException.invalidInput("--ocr reads the frames while the memory is built, and --memory gives one"
          + " built already: build it with 'vidctx compress VIDEO --ocr --out FILE' (its text tokens are then in it)"
          + " and ask it with --memory, without --ocr");
    }
    if (vlm.enabled() && in.video() == null) {
      throw CliException.invalidInput("--vlm needs keyframe images from the video: give the video too ('vidctx ask"
          + " VIDEO \"QUESTION\" --memory FILE')");
    }

    final OcrModels ocrModels = ocr.enabled ? ocr.resolveModels() : null;
    try (OnnxVisionEncoder encoder = OnnxVisionEncoder.open(modelDir, runtime);
        TextEncoder text = manifest.text() == null ? null : OnnxTextEncoder.open(modelDir, runtime);
        OcrEngine ocrEngine = ocr.open(ocrModels, runtime)) {
      // The query first: a bad picture fails before the video is decoded.
      final long tq = System.nanoTime();
      final EncodedQuery query;
      try {
        query = new QueryEncoder(encoder, text, config).encode(question.text(), image);
      } catch (final IllegalArgumentException e) {
        throw CliException.invalidInput(e.getMessage());
      }
      final long queryNanos = System.nanoTime() - tq;

      // 1. The memory: built now, or read from --memory.
      final VideoMemory memory;
      String decodeError = null;
      MemoryBuilding.OcrCost ocrCost = null;
      if (in.memory() != null) {
        memory = in.memory().memory();
        seconds.put("load", (System.nanoTime() - t0) / 1e9);
      } else {
        final var options = range.toOptions(compression.streamId(in.video()));
        final MemoryBuilding.Built built = MemoryBuilding.build(term, in.video(), ocrEngine != null
            ? ModelSetup.fitForOcr(in.video(), options) : ModelSetup.fitToModel(in.video(), options, vision), encoder,
            runtime.batchSize(), config, ocrEngine == null ? null : new MemoryBuilding.Ocr(ocrEngine, ocr.schedule()));
        memory = built.memory();
        decodeError = built.error();
        ocrCost = built.ocr();
        seconds.put("decode", built.decodeNanos() / 1e9);
        seconds.put("encode", built.encodeNanos() / 1e9);
        if (ocrCost != null) {
          seconds.put("ocr", ocrCost.nanos() / 1e9);
        }
        seconds.put("compress", built.compressNanos() / 1e9);
      }
      if (memory.tokenCount() == 0) {
        throw CliException.invalidInput("the memory holds no tokens: the video had no decodable frames");
      }
      final Question asked = question.withRange(timeRange(memory));

      // 2. Selection and keyframes.
      seconds.put("query", queryNanos / 1e9);
      VideoContext context;
      try {
        context = new ContextBuilder(new QueryAwareSelector(), keyframes).build(memory, manifest.name(), asked, query,
            budget);
      } catch (final IllegalArgumentException e) {
        throw CliException.invalidInput(e.getMessage());
      }
      context = context.withTextRead(ocrEngine != null || !memory.texts().isEmpty());
      seconds.put("select", context.selection().stats().nanos() / 1e9);
      for (final String note : context.notes()) {
        term.note("note: %s", note);
      }
      if ((vlm.enabled() || export != null) && in.video() != null) {
        final long tk = System.nanoTime();
        context = context.withKeyframes(new KeyframeGrabber(in.video(), 768, 85).grab(context.keyframes()));
        seconds.put("keyframes", (System.nanoTime() - tk) / 1e9);
      }

      // 3. Answer (a failure is reported, the context still exported).
      Answer answer = null;
      String error = null;
      final long ta = System.nanoTime();
      try (Answerer answerer = vlm.answerer(text)) {
        answer = answerer.answer(asked, context);
      } catch (final AnswerException e) {
        error = e.getMessage();
      }
      seconds.put("answer", (System.nanoTime() - ta) / 1e9);
      if (export != null) {
        try {
          ContextExporter.export(context, answer, in.video(), export);
        } catch (final IOException e) {
          throw new UncheckedIOException("cannot export to " + export + ": " + e.getMessage(), e);
        }
      }
      seconds.put("total", (System.nanoTime() - t0) / 1e9);
      final Summary s = summary(in, manifest.name(), asked, context, answer, error, memory, seconds, ocrCost);
      report(term, s);
      if (decodeError != null) {
        term.err().println("vidctx ask: " + decodeError + " (answered from the frames before it)");
        term.err().flush();
      }
      if (error != null) {
        term.err().println("vidctx ask: no answer: " + error);
        term.err().flush();
        return ExitCode.ERROR;
      }
      return decodeError != null ? ExitCode.ERROR : ExitCode.OK;
    }
  }

  private record Inputs(@Nullable String video, String questionText, @Nullable MemoryFile memory) {}

  private Inputs inputs() {
    if (memoryFile != null) {
      final MemoryFile mf;
      try {
        mf = MemoryFile.read(memoryFile);
      } catch (final IOException e) {
        throw CliException.invalidInput(e.getMessage());
      }
      if (args.size() == 2) {
        return new Inputs(args.get(0), args.get(1), mf);
      }
      // The video the memory was built from, when it is still there: keyframe images come from it.
      final String recorded = mf.video();
      final boolean present = recorded.contains("://") || Files.isRegularFile(Path.of(recorded));
      return new Inputs(present ? recorded : null, args.get(0), mf);
    }
    if (args.size() != 2) {
      throw CliException.invalidInput("give the video and the question (vidctx ask VIDEO \"QUESTION\"), or --memory"
          + " FILE and the question");
    }
    return new Inputs(args.get(0), args.get(1), null);
  }

  private Question question(final String text) {
    final List<String> options = choices == null ? List.of()
        : Arrays.stream(choices.split("\\|", -1)).map(String::strip).toList();
    try {
      return new Question(text, options, null);
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput(e.getMessage());
    }
  }

  private @Nullable TimeRange timeRange(final VideoMemory memory) {
    if (between != null) {
      return between;
    }
    if (last != null) {
      final long end = memory.segments().get(memory.segments().size() - 1).endPts();
      return TimeRange.last(last, end);
    }
    return null;
  }

  private Summary summary(final Inputs in, final String model, final Question q, final VideoContext ctx,
      final @Nullable Answer a, final @Nullable String error, final VideoMemory memory,
      final Map<String, Double> seconds, final MemoryBuilding.@Nullable OcrCost ocrCost) {
    final List<String> evidence = new ArrayList<>();
    if (a != null) {
      for (final EvidenceRange e : a.evidence()) {
        evidence.add(TimeRange.format(e.startMicros()) + "-" + TimeRange.format(e.endMicros()));
      }
    }
    return new Summary(in.video() == null ? "" : in.video(), memoryFile == null ? null : memoryFile.toString(), model,
        q.text(), q.choices(), ctx.queryKind().name(), ctx.notes(), a == null ? null : a.text(),
        a == null || a.choice() < 0 ? null : a.letter(),
        a == null || Double.isNaN(a.confidence()) ? null : a.confidence(), a == null ? null : a.status().name(),
        a == null ? null : a.answerer(), evidence, error, memory.framesIn(), memory.patchTokensIn(),
        memory.tokenCount(), ctx.selection().size(), ctx.selection().stats().ratio(), ctx.selection().reduction(),
        seconds, export == null ? null : export.toString(), ocrCost == null ? null
            : new OcrSummary(ocrCost.frames(), ocrCost.read(), ocrCost.crops(), ocrCost.textTokens(),
                ocrCost.detectNanos() / 1e9, ocrCost.recognizeNanos() / 1e9),
        ctx.texts().stream().map(h -> new OnScreen(h.token().text(), TimeRange.format(h.token().startMicros()),
            TimeRange.format(h.token().endMicros()), h.score(), h.matched())).toList());
  }

  private void report(final Terminal term, final Summary out) {
    if (json) {
      Json.print(term.out(), out);
      return;
    }
    if (out.answer() != null) {
      final String conf = out.confidence() == null ? "" : " (confidence " + Units.f2(out.confidence()) + ")";
      term.println("answer: %s%s%s", out.letter() == null ? "" : out.letter() + ". ", out.answer(), conf);
      if ("PARSE_FAILURE".equals(out.answerStatus())) {
        term.println("  the model's reply could not be parsed; it is shown as received");
      }
      if (!out.evidence().isEmpty()) {
        term.println("evidence: %s", String.join(", ", out.evidence()));
      }
    } else {
      term.println("answer: none (%s)", out.error());
    }
    final List<String> matched = out.texts().stream().filter(OnScreen::matched)
        .map(t -> t.start() + "-" + t.end() + " \"" + t.text() + "\"").toList();
    if (!matched.isEmpty()) {
      term.println("on-screen text matched: %s", String.join(", ", matched));
    }
    if (out.ocr() != null) {
      term.println("ocr: %d of %d frames read, %d text boxes, %d text tokens in memory, %d in the context",
          out.ocr().framesRead(), out.ocr().frames(), out.ocr().textBoxes(), out.ocr().memoryTextTokens(),
          out.texts().size());
    }
    term.println("tokens: %d frames -> %d patch tokens -> %d in memory -> %d selected (%s of the memory; %s"
            + " reduction); query: %s",
        out.frames(), out.patchTokens(), out.memoryTokens(), out.selectedTokens(),
        Units.percent((double) out.selectedTokens() / Math.max(1, out.memoryTokens())), Units.percent(out.reduction()),
        out.queryKind().toLowerCase(java.util.Locale.ROOT));
    final List<String> parts = new ArrayList<>();
    for (final Map.Entry<String, Double> e : out.seconds().entrySet()) {
      parts.add(e.getKey() + " " + Units.seconds((long) (e.getValue() * 1e9)));
    }
    term.println("time: %s", String.join(", ", parts));
    if (out.exportDir() != null) {
      term.println("context written to %s", out.exportDir());
    }
  }
}
