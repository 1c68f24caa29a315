package io.vidctx.qa.answer;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads an answer out of a chat model's reply text, following the multiple-choice protocol of the
 * benchmarks (ANCHORS.md E2: "parse the first standalone letter; count unparseable as wrong"). A
 * reply that does not clearly name an option yields an empty result, never a guess.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>A reasoning block ({@code <think>...</think>}) is dropped; a reply that is nothing but an
 *       unfinished reasoning block is empty.
 *   <li>A reply equal to one option's text (trimmed, case-insensitive) names that option.
 *   <li>Otherwise the first standalone capital letter decides: a letter A-Z with no letter or digit
 *       next to it ({@code B}, {@code (B)}, {@code B.}, {@code Answer: B}, {@code B) because}). "A"
 *       and "I" followed by a lower-case word are the article and the pronoun, not options; letters
 *       joined by '.', '-' or an apostrophe to a letter ({@code E.g.}, {@code U.S.}, {@code I'm},
 *       {@code X-ray}) are words. If that first letter lies outside the options ({@code E} with four
 *       options), the reply is unparseable: a later letter is not taken in its place.
 * </ol>
 * Lower-case letters never count: "a" and "b" are too often words.
 */
public final class ReplyParser {

  private ReplyParser() {}

  /**
   * The option a multiple-choice reply names: the option whose text the reply equals, else the
   * first standalone letter (see the class comment).
   *
   * @param options the options' texts, labelled A, B, C ... in order
   * @return the option's index, or empty when the reply names none
   */
  public static OptionalInt parseChoice(final String content, final List<String> options) {
    final String text = visibleText(content);
    final String folded = text.toLowerCase(Locale.ROOT);
    for (int i = 0; i < options.size(); i++) {
      if (!folded.isEmpty() && folded.equals(options.get(i).strip().toLowerCase(Locale.ROOT))) {
        return OptionalInt.of(i);
      }
    }
    return parseLetter(text, options.size());
  }

  /**
   * The option a multiple-choice reply names by its letter alone.
   *
   * @param options how many options there are (A .. A + options - 1)
   * @return the option's index, or empty when the first standalone letter is missing or out of range
   */
  public static OptionalInt parseChoice(final String content, final int options) {
    return parseLetter(visibleText(content), options);
  }

  /** The answer to an open question: the reply without reasoning block or surrounding space; empty when blank. */
  public static Optional<String> parseOpen(final String content) {
    final String text = visibleText(content);
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /**
   * The reply as the user would read it: without a reasoning block and surrounding white space.
   * Reasoning models (DeepSeek-R1 distills, Qwen3) may put option letters in their thoughts; only
   * what follows the last {@code </think>} is the answer. Some chat templates open the block in the
   * prompt, so the reply may hold the closing tag alone.
   */
  private static String visibleText(final String content) {
    String s = content;
    final int close = s.lastIndexOf("</think>");
    if (close >= 0) {
      s = s.substring(close + "</think>".length());
    } else if (s.stripLeading().startsWith("<think>")) {
      // Cut off by the token limit while still thinking: there is no answer yet.
      return "";
    }
    return s.strip();
  }

  private static OptionalInt parseLetter(final String text, final int options) {
    final int n = text.length();
    for (int i = 0; i < n; i++) {
      final char c = text.charAt(i);
      if (c < 'A' || c > 'Z') {
        continue;
      }
      final char prev = i > 0 ? text.charAt(i - 1) : ' ';
      final char next = i + 1 < n ? text.charAt(i + 1) : ' ';
      if (Character.isLetterOrDigit(prev) || Character.isLetterOrDigit(next)) {
        continue;
      }
      if (isJoiner(prev) && i >= 2 && Character.isLetter(text.charAt(i - 2))) {
        continue;
      }
      if (isJoiner(next) && i + 2 < n && Character.isLetter(text.charAt(i + 2))) {
        continue;
      }
      if ((c == 'A' || c == 'I') && startsLowerCaseWord(text, i + 1)) {
        continue;
      }
      final int index = c - 'A';
      return index < options ? OptionalInt.of(index) : OptionalInt.empty();
    }
    return OptionalInt.empty();
  }

  private static boolean isJoiner(final char c) {
    return c == '.' || c == '-' || c == '\'' || c == '\u2019';
  }

  /** Whether white space then a lower-case letter start at {@code from}: "A dog", "I think". */
  private static boolean startsLowerCaseWord(final String text, final int from) {
    int j = from;
    if (j >= text.length() || text.charAt(j) != ' ') {
      return false;
    }
    while (j < text.length() && text.charAt(j) == ' ') {
      j++;
    }
    return j < text.length() && Character.isLowerCase(text.charAt(j));
  }
}
