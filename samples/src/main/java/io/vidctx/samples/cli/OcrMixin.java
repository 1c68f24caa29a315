package io.vidctx.samples.cli;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.ocr.OcrConfig;
import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.encoder.ocr.OcrModels;
import io.vidctx.encoder.ocr.OcrSchedule;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The on-screen text options of commands that build memories: --ocr, --ocr-models, --ocr-min-gap,
 * --ocr-classify.
 */
final class OcrMixin {

  @Option(names = "--ocr", description = "Read on-screen text (PP-OCRv4) on scene cuts and changed frames, and match"
      + " the question against it: text tokens with their times join the memory and the context.")
  boolean enabled;

  @Option(names = "--ocr-models", paramLabel = "<dir>", description = "Folder with the PP-OCRv4 ONNX models (default:"
      + " $VIDCTX_OCR_MODELS, else the shared data folder's models/ppocr-v4).")
  @Nullable Path models;

  @Option(names = "--ocr-min-gap", paramLabel = "<duration>", defaultValue = "2s",
      converter = OcrCommand.GapConverter.class,
      description = "With --ocr: a changed frame within a shot is read at most this often (scene cuts are read at"
          + " once; 0 reads every changed frame).")
  long minGapMicros;

  @Option(names = "--ocr-classify", description = "With --ocr: run PP-OCR's orientation classifier"
      + " (ch_ppocr_mobile_v2.0_cls_infer.onnx, next to the other models) on every text box and read the boxes it"
      + " finds upside down turned around. Off by default: video text is level, and it costs time per box.")
  boolean classify;

  /** The model files, checked; exit code 2 when missing. */
  OcrModels resolveModels() {
    return OcrModelFolder.models(models);
  }

  /** The engine's settings: the defaults, with the orientation classifier when --ocr-classify is given. */
  OcrConfig config() {
    return OcrConfig.DEFAULTS.withClassify(classify);
  }

  /**
   * The engine over {@code models} (null: none) with {@link #config}; models that do not load (a classifier
   * --ocr-classify needs and the folder lacks included) are exit code 2.
   */
  @Nullable OcrEngine open(final @Nullable OcrModels models, final RuntimeOptions runtime) {
    if (models == null) {
      return null;
    }
    try {
      return OcrEngine.open(models, config(), runtime);
    } catch (final EncoderException e) {
      throw CliException.invalidInput(e.getMessage());
    }
  }

  OcrSchedule.Config schedule() {
    final OcrSchedule.Config d = OcrSchedule.Config.DEFAULTS;
    return new OcrSchedule.Config(d.changeThreshold(), d.cutThreshold(), minGapMicros);
  }
}
