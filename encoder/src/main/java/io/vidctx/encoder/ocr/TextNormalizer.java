package io.vidctx.encoder.ocr;

import java.text.Normalizer;

/**
 * The form text is compared in: accents stripped (NFKD, combining marks dropped, so "Café" and
 * "CAFE" agree), lower case, letters and digits only. OCR adds and drops spaces ("THE RULES" read as
 * "THERULES"), so {@link #compact} drops them altogether; {@link #words} keeps them for splitting a
 * question into words.
 */
public final class TextNormalizer {
  private TextNormalizer() {}

  /** Letters and digits of {@code text}, accent-free and lower case, words separated by one space. */
  public static String words(final String text) {
    final String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    final StringBuilder b = new StringBuilder(decomposed.length());
    boolean space = true;
    for (int i = 0; i < decomposed.length(); ) {
      final int cp = decomposed.codePointAt(i);
      i += Character.charCount(cp);
      final int type = Character.getType(cp);
      if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
          || type == Character.COMBINING_SPACING_MARK) {
        continue;
      }
      if (Character.isLetterOrDigit(cp)) {
        b.appendCodePoint(Character.toLowerCase(cp));
        space = false;
      } else if (!space) {
        b.append(' ');
        space = true;
      }
    }
    final int n = b.length();
    return n > 0 && b.charAt(n - 1) == ' ' ? b.substring(0, n - 1) : b.toString();
  }

  /** {@link #words} without the spaces. */
  public static String compact(final String text) {
    return words(text).replace(" ", "");
  }
}
