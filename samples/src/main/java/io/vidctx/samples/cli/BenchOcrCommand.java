package io.vidctx.samples.cli;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.ocr.OcrConfig;
import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.encoder.ocr.OcrModels;
import io.vidctx.encoder.ocr.OcrReading;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx bench ocr}: where OCR's time goes on real frames, detection against recognition. */
@Command(
    name = "ocr",
    header = "Time PP-OCRv4 detection and recognition per frame of a video.",
    description = {
      "Decodes <video> scaled to --height (width keeping the aspect ratio, even) at --fps, from --start, and"
          + " runs OCR on each of --frames frames after one warm-up frame that is not counted. Prints detection"
          + " ms per frame (mean, p50, p95; pre- and post-processing included), recognition ms per crop (all"
          + " recognition time / all text boxes, cropping included), crops per frame, total ms per frame and"
          + " how many frames showed text. With --classify the orientation classifier runs on every crop and its"
          + " time counts as recognition time.",
      "The models: --ocr-models DIR, else $VIDCTX_OCR_MODELS, else the shared data folder's models/ppocr-v4."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx bench help <command>' for the options of another benchmark."})
public final class BenchOcrCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<video>", description = "Video file or URL.")
  String video;

  @Option(names = "--height", paramLabel = "<px>", defaultValue = "720", description = "Frame height OCR sees.")
  int height;

  @Option(names = "--fps", paramLabel = "<fps>", defaultValue = "1", description = "Frames per second to decode.")
  double fps;

  @Option(names = "--start", paramLabel = "<time>", converter = TimeConverter.class, defaultValue = "0",
      description = "Where to start (seconds, MM:SS or HH:MM:SS.mmm).")
  long startMicros;

  @Option(names = "--frames", paramLabel = "<n>", defaultValue = "30",
      description = "Frames to time (after the warm-up).")
  int frames;

  @Option(names = "--ocr-models", paramLabel = "<dir>", description = "Folder with the PP-OCRv4 ONNX models.")
  @Nullable Path models;

  @Option(names = "--classify", description = "Run the orientation classifier (ch_ppocr_mobile_v2.0_cls_infer.onnx)"
      + " on every crop before recognition; its time is part of the recognition figures.")
  boolean classify;

  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  @Mixin RuntimeMixin runtimeOptions;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /**
   * What {@code --json} prints. Millisecond figures are wall time; {@code recognizeMsPerCrop} is null when
   * no frame had a text box.
   */
  public record Report(String video, int width, int height, double fps, int frames, int framesWithText,
      double detectMsMean, double detectMsP50, double detectMsP95, @Nullable Double recognizeMsPerCrop,
      double cropsPerFrame, double totalMsPerFrame) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    if (height < 32) {
      throw CliException.invalidInput("--height must be >= 32 (OCR's detector works in steps of 32 px), was " + height);
    }
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw CliException.invalidInput("--fps must be > 0, was " + fps);
    }
    if (frames < 1) {
      throw CliException.invalidInput("--frames must be >= 1, was " + frames);
    }
    final OcrModels m = OcrModelFolder.models(models);
    final int width = ModelSetup.evenWidthAt(video, height);
    final DecodeOptions decode;
    try {
      decode = new DecodeOptions(Units.stem(video), fps, startMicros, -1, frames + 1L, width, height);
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput(e.getMessage());
    }
    final List<OcrReading> readings = new ArrayList<>();
    int w = width;
    try (OcrEngine ocr = OcrEngine.open(m, OcrConfig.DEFAULTS.withClassify(classify), runtimeOptions.toOptions());
        VideoFileSource source = Decoding.open(video, decode);
        Progress bar = term.progress("bench ocr", frames + 1L, "fr")) {
      boolean warm = false;
      for (Optional<VideoFrame> next = source.next(); next.isPresent(); next = source.next()) {
        final VideoFrame f = next.get();
        w = f.width();
        final OcrReading r = ocr.readTimed(f.width(), f.height(), f.rgb());
        if (warm) {
          readings.add(r);
        }
        warm = true;
        bar.step();
      }
    } catch (final EncoderException e) {
      throw CliException.invalidInput(e.getMessage());
    }
    if (readings.isEmpty()) {
      throw CliException.invalidInput(video + " gave no frame after the warm-up from "
          + TimeConverter.format(startMicros) + " at " + fps + " fps: pick an earlier --start or a higher --fps");
    }
    final Report r = report(w, readings);
    if (json) {
      Json.print(term.out(), r);
      return ExitCode.OK;
    }
    term.println("%s at %dx%d, %s fps: %d frames timed after 1 warm-up, %d with text", Units.stem(video), r.width(),
        r.height(), Units.f1(r.fps()), r.frames(), r.framesWithText());
    new TextTable("WHAT", "MEAN", "P50", "P95")
        .row("detection ms/frame", Units.f1(r.detectMsMean()), Units.f1(r.detectMsP50()), Units.f1(r.detectMsP95()))
        .row("recognition ms/crop", r.recognizeMsPerCrop() == null ? "-" : Units.f2(r.recognizeMsPerCrop()), "-", "-")
        .row("crops/frame", Units.f1(r.cropsPerFrame()), "-", "-")
        .row("total ms/frame", Units.f1(r.totalMsPerFrame()), "-", "-")
        .print(term.out());
    return ExitCode.OK;
  }

  private Report report(final int width, final List<OcrReading> readings) {
    final int n = readings.size();
    final double[] detect = new double[n];
    long recognizeNanos = 0;
    long totalNanos = 0;
    long crops = 0;
    int withText = 0;
    for (int i = 0; i < n; i++) {
      final OcrReading r = readings.get(i);
      detect[i] = r.detectNanos() / 1e6;
      recognizeNanos += r.recognizeNanos();
      totalNanos += r.detectNanos() + r.recognizeNanos();
      crops += r.crops();
      withText += r.lines().isEmpty() ? 0 : 1;
    }
    Arrays.sort(detect);
    return new Report(video, width, height, fps, n, withText, Arrays.stream(detect).average().orElse(0),
        percentile(detect, 0.5), percentile(detect, 0.95), crops == 0 ? null : recognizeNanos / 1e6 / crops,
        (double) crops / n, totalNanos / 1e6 / n);
  }

  /** Nearest rank of a sorted, non-empty array. */
  private static double percentile(final double[] sorted, final double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
