package io.vidctx.encoder.ocr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Greedy CTC decoding of a recogniser's per-step class probabilities: arg-max per step, repeats
 * collapsed, the blank (class 0) dropped. Class k >= 1 is line k of the dictionary; the class after
 * the dictionary's last line is a space (PaddleOCR's {@code use_space_char}). Immutable.
 */
public final class CtcDecoder {
  private final String[] symbols;

  /** A decoder over these symbols (class k is {@code dictionary.get(k - 1)}; one more class is a space). */
  public CtcDecoder(final List<String> dictionary) {
    if (dictionary.isEmpty()) {
      throw new IllegalArgumentException("the character dictionary is empty");
    }
    this.symbols = new String[dictionary.size() + 2];
    symbols[0] = "";
    for (int i = 0; i < dictionary.size(); i++) {
      symbols[i + 1] = dictionary.get(i);
    }
    symbols[dictionary.size() + 1] = " ";
  }

  /**
   * Reads a dictionary file: one character per line, UTF-8.
   *
   * @throws IOException a missing or empty file, naming it
   */
  public static CtcDecoder read(final Path dictionary) throws IOException {
    if (!Files.isRegularFile(dictionary)) {
      throw new IOException("OCR character dictionary not found: " + dictionary
          + " (ppocr_keys_v1.txt belongs beside the recognition model)");
    }
    final List<String> lines = Files.readAllLines(dictionary, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException("OCR character dictionary " + dictionary + " is empty");
    }
    return new CtcDecoder(lines);
  }

  /** Classes the recogniser must output: blank + dictionary + space. */
  public int classes() {
    return symbols.length;
  }

  /** A decoded line: its text and the mean probability of the characters kept (0 for no character). */
  public record Decoded(String text, float confidence) {}

  /**
   * Decodes one sequence of {@code steps} steps of {@link #classes()} probabilities each, starting at
   * {@code offset} of {@code probs}.
   */
  public Decoded decode(final float[] probs, final int offset, final int steps) {
    final int c = symbols.length;
    final StringBuilder text = new StringBuilder();
    double sum = 0;
    int kept = 0;
    int previous = -1;
    for (int t = 0; t < steps; t++) {
      final int base = offset + t * c;
      int best = 0;
      float bestP = probs[base];
      for (int k = 1; k < c; k++) {
        if (probs[base + k] > bestP) {
          bestP = probs[base + k];
          best = k;
        }
      }
      if (best != 0 && best != previous) {
        text.append(symbols[best]);
        sum += bestP;
        kept++;
      }
      previous = best;
    }
    return new Decoded(text.toString().strip(), kept == 0 ? 0f : (float) (sum / kept));
  }
}
