package io.vidctx.samples.cli;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.ocr.OcrConfig;
import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.encoder.ocr.OcrModels;
import io.vidctx.encoder.ocr.OcrPass;
import io.vidctx.encoder.ocr.OcrSchedule;
import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.tokencompress.select.TimeRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx ocr}: the on-screen text of a video as a timeline. */
@Command(
    name = "ocr",
    header = "Print the on-screen text of a video as a timeline (PP-OCRv4).",
    description = {
      "Decodes <video> at --fps and reads the text (PP-OCRv4 detection + recognition on ONNX Runtime) of"
          + " the first frame, of every scene cut (--cut) and, within a shot, of a frame that changed (--change)"
          + " at most once every --min-gap; a frame not read keeps the last readings. The same text in"
          + " consecutive frames becomes one entry with its time span, box and confidence.",
      "The models: --ocr-models DIR (ch_PP-OCRv4_det_infer.onnx, ch_PP-OCRv4_rec_infer.onnx, ppocr_keys_v1.txt;"
          + " ch_ppocr_mobile_v2.0_cls_infer.onnx for --classify), else $VIDCTX_OCR_MODELS, else the shared data"
          + " folder's models/ppocr-v4."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class OcrCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<video>", description = "Video file or URL.")
  String video;

  @Option(names = "--ocr-models", paramLabel = "<dir>", description = "Folder with the PP-OCRv4 ONNX models.")
  @Nullable Path models;

  @Option(names = "--change", paramLabel = "<grey levels>", defaultValue = "4",
      description = "A frame changed when some 8x6 tile of its 64x36 grey thumbnail differs from the last frame"
          + " read by more than this on average; it is read once --min-gap has passed (0 = read every frame).")
  double change;

  @Option(names = "--cut", paramLabel = "<grey levels>", defaultValue = "24",
      description = "A frame whose thumbnail differs from the last frame read by at least this on average over"
          + " all tiles is a scene cut and is read at once.")
  double cut;

  @Option(names = "--min-gap", paramLabel = "<duration>", defaultValue = "2s", converter = GapConverter.class,
      description = "Least time between two changed (not cut) frames read, e.g. 2s, 500ms, 0.5 or 0.")
  long minGapMicros;

  @Option(names = "--classify", description = "Run PP-OCR's orientation classifier on every text box and read the"
      + " boxes it finds upside down turned around (off by default: video text is level, and it costs time).")
  boolean classify;

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
    final OcrPass pass = new OcrPass(scheduleConfig());
    final OcrModels m = OcrModelFolder.models(models);
    final RuntimeOptions runtime = runtimeOptions.toOptions();
    final long t0 = System.nanoTime();
    String damage = null;
    try (OcrEngine ocr = OcrEngine.open(m, OcrConfig.DEFAULTS.withClassify(classify), runtime);
        VideoFileSource source = Decoding.open(video, range.toOptions(Units.stem(video)));
        Progress bar = term.progress("ocr", source.expectedFrames().orElse(-1), "fr")) {
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
        pass.accept(f.ptsMicros(), f.width(), f.height(), f.rgb(), ocr);
        bar.stepTo(pass.frames());
      }
    } catch (final EncoderException e) {
      throw CliException.invalidInput(e.getMessage());
    }
    final List<Entry> entries = new ArrayList<>();
    final long frames = pass.frames();
    final long read = pass.read();
    for (final TextToken t : pass.finish()) {
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
      term.println("%d text entries from %d frames (%d read by OCR, the rest unchanged or inside --min-gap) in %s",
          entries.size(), frames, read, Units.seconds(System.nanoTime() - t0));
    }
    if (damage != null) {
      term.err().println("vidctx ocr: " + damage + " (the frames before it were read)");
      term.err().flush();
      return ExitCode.ERROR;
    }
    return ExitCode.OK;
  }

  private OcrSchedule.Config scheduleConfig() {
    if (!(change >= 0) || Double.isInfinite(change)) {
      throw CliException.invalidInput("--change must be >= 0 (0 reads every frame), was " + change);
    }
    if (!(cut >= 0) || Double.isInfinite(cut)) {
      throw CliException.invalidInput("--cut must be >= 0, was " + cut);
    }
    return change == 0 ? OcrSchedule.Config.EVERY_FRAME : new OcrSchedule.Config(change, cut, minGapMicros);
  }

  /** {@code --min-gap}: a duration as {@code --last} reads it (2s, 1.5m, 00:02), or 500ms; 0 is no gap. */
  static final class GapConverter implements ITypeConverter<Long> {
    private static final Pattern ZERO = Pattern.compile("0+(\\.0*)?\\s*(s|sec|ms|m|min|h|hr)?");
    private static final Pattern MILLIS = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*ms");

    @Override
    public Long convert(final String value) {
      final String v = value.trim().toLowerCase(Locale.ROOT);
      if (ZERO.matcher(v).matches()) {
        return 0L;
      }
      final Matcher ms = MILLIS.matcher(v);
      if (ms.matches()) {
        return Math.round(Double.parseDouble(ms.group(1)) * 1000);
      }
      return new TimeRangeConverter.Duration().convert(value);
    }
  }
}
