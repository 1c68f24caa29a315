package io.vidctx.samples.cli;

import io.vidctx.encoder.ocr.OcrModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Where the commands that run OCR find the PP-OCRv4 models: --ocr-models, $VIDCTX_OCR_MODELS, the shared folder. */
final class OcrModelFolder {
  private OcrModelFolder() {}

  /**
   * The model folder: {@code given} (the --ocr-models option) if set, else $VIDCTX_OCR_MODELS, else the
   * shared data folder's models/ppocr-v4.
   *
   * @throws CliException exit code 2 when none is given and the shared folder has no models
   */
  static Path resolve(final @Nullable Path given) {
    if (given != null) {
      return given;
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

  /** The model files in {@link #resolve}'s folder; a folder without them is exit code 2. */
  static OcrModels models(final @Nullable Path given) {
    try {
      return OcrModels.in(resolve(given));
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput(e.getMessage() + " (pass --ocr-models DIR)");
    }
  }
}
