package io.vidctx.qa;

import io.vidctx.tokencompress.select.TimeRange;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A question about a video: its text, optional multiple-choice options and an optional time range.
 *
 * @param text the question, not blank
 * @param choices the options of a multiple-choice question (labelled A, B, C ... in that order), or
 *     empty for an open question; at most 26, none blank
 * @param range the part of the video the question is about, or null for all of it
 */
public record Question(String text, List<String> choices, @Nullable TimeRange range) {

  public Question {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the question is empty: ask something (\"what happens after the cut?\")");
    }
    choices = List.copyOf(choices);
    if (choices.size() > 26) {
      throw new IllegalArgumentException("at most 26 choices (A-Z), got " + choices.size());
    }
    if (choices.size() == 1) {
      throw new IllegalArgumentException("a multiple-choice question needs at least 2 choices, got 1: "
          + choices.get(0));
    }
    for (int i = 0; i < choices.size(); i++) {
      if (choices.get(i).isBlank()) {
        throw new IllegalArgumentException("choice " + letter(i) + " is empty");
      }
    }
    text = text.strip();
  }

  public static Question open(final String text) {
    return new Question(text, List.of(), null);
  }

  public static Question choice(final String text, final List<String> choices) {
    return new Question(text, choices, null);
  }

  public Question withRange(final @Nullable TimeRange r) {
    return new Question(text, choices, r);
  }

  public boolean isMultipleChoice() {
    return !choices.isEmpty();
  }

  /** The letter of option {@code i}: A for 0. */
  public static char letter(final int i) {
    return (char) ('A' + i);
  }
}
