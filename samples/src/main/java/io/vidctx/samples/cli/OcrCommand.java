package io.vidctx.samples.cli;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.ocr.FrameChange;
import io.vidctx.encoder.ocr.OcrConfig;
import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.encoder.ocr.OcrModels;
import io.vidctx.encoder.ocr.TextLine;
import io.vidctx.encoder.ocr.TextTimeline;
import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.tokencompress.select.TimeRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx ocr}: the on-screen text of a video as a timeline. */
@Command(
    name = "ocr",
    header = "Print the on-screen text of a video as a timeline (PP-OCRv4).",
    description = {
      "Decodes <video> at --fps and reads the text in each frame that changed since the last one read"
          + " (PP-OCRv4 detection + recognition on ONNX Runtime), then merges the same text in consecutive"
          + " frames into one entry with its time span, box and confidence.",
      "The models: --ocr-models DIR (ch_PP-OCRv4_det_infer.onnx, ch_PP-OCRv4_rec_infer.onnx, ppocr_keys_v1.txt),"
          + " else $VIDCTX_OCR_MODELS, else the shared data folder's models/ppocr-v4."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class OcrCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<video>", description = "Video file or URL.")
  String video;

  @Option(names = "--ocr-models", paramLabel = "<dir>", description = "Folder with the PP-OCRv4 ONNX models.")
  @Nullable Path models;

  @Option(names = "--change", paramLabel = "<grey levels>", defaultValue = "4",
      description = "A frame is read again when some tile of its 64x36 grey thumbnail differs from the last frame"
          + " read by more than this on average (0 = read every frame).")
  double change;

  @Option(names = "--json", description = "Print the timeline as JSON.")
  boolean json;

  @Mixin DecodeRangeMixin range;

  @Mixin RuntimeMixin runtimeOptions;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /** One timeline entry, as printed. */
  public record Entry(String text, long startMicros, long endMicros, String start, String end, float confidence,
      int readings, int x0, int y0, int x1, int y1) {}

  /** The summary printed with {@code --json}. */
  public record Summary(String video, long frames, long framesRead, double seconds, List<Entry> text) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    if (change < 0) {
      throw CliException.invalidInput("--change must be >= 0, was " + change);
    }
    final OcrModels m;
    try {
      m = OcrModels.in(modelFolder());
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput(e.getMessage() + " (pass --ocr-models DIR)");
    }
    final RuntimeOptions runtime = runtimeOptions.toOptions();
    final long t0 = System.nanoTime();
    final TextTimeline timeline = new TextTimeline();
    final FrameChange changes = new FrameChange(change);
    long frames = 0;
    long read = 0;
    String damage = null;
    try (OcrEngine ocr = OcrEngine.open(m, OcrConfig.DEFAULTS, runtime);
        VideoFileSource source = Decoding.open(video, range.toOptions(Units.stem(video)));
        Progress bar = term.progress("ocr", source.expectedFrames().orElse(-1), "fr")) {
      List<TextLine> lines = List.of();
      while (true) {
        final Optional<VideoFrame> next;
        try {
          next = source.next();
        } catch (final IngestException.CorruptVideoException e) {
          damage = e.getMessage();
          break;
        }
        if (next.isEmpty()) {
          break;
        }
        final VideoFrame f = next.get();
        frames++;
        if (change == 0 || changes.changed(f.width(), f.height(), f.rgb())) {
          lines = ocr.read(f.width(), f.height(), f.rgb());
          read++;
        }
        timeline.accept(f.ptsMicros(), lines);
        bar.stepTo(frames);
      }
    } catch (final EncoderException e) {
      throw CliException.invalidInput(e.getMessage());
    }
    final List<Entry> entries = new ArrayList<>();
    for (final TextToken t : timeline.tokens()) {
      entries.add(new Entry(t.text(), t.startMicros(), t.endMicros(), TimeRange.format(t.startMicros()),
          TimeRange.format(t.endMicros()), t.confidence(), t.readings(), t.box().x0(), t.box().y0(), t.box().x1(),
          t.box().y1()));
    }
    final Summary s = new Summary(video, frames, read, (System.nanoTime() - t0) / 1e9, entries);
    if (json) {
      Json.print(term.out(), s);
    } else {
      for (final Entry e : entries) {
        term.println("%s - %s  %s  (confidence %s)", e.start(), e.end(), e.text(), Units.f2(e.confidence()));
      }
      term.println("%d text entries from %d frames (%d read by OCR, the rest unchanged) in %s", entries.size(), frames,
          read, Units.seconds(System.nanoTime() - t0));
    }
    if (damage != null) {
      term.err().println("vidctx ocr: " + damage + " (the frames before it were read)");
      term.err().flush();
      return ExitCode.ERROR;
    }
    return ExitCode.OK;
  }

  private Path modelFolder() {
    if (models != null) {
      return models;
    }
    final String env = System.getenv("VIDCTX_OCR_MODELS");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    final Path shared = SharedFolder.root(null).resolve("models/ppocr-v4");
    if (!Files.isDirectory(shared)) {
      throw CliException.invalidInput("no OCR models: pass --ocr-models DIR (PP-OCRv4 ONNX files), set"
          + " VIDCTX_OCR_MODELS, or run next to the shared data folder (" + shared.toAbsolutePath().normalize() + ")");
    }
    return shared;
  }
}
