package io.vidctx.qa;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An answerer's reply.
 *
 * @param status whether it is an answer, or a reply that could not be parsed (never guessed)
 * @param text the answer as text: the chosen option's text, a time, or the model's free text
 * @param choice index of the chosen option, or -1 (open question, or a parse failure)
 * @param confidence in [0, 1]; NaN when the answerer cannot tell (an external model's letter)
 * @param evidence stretches of the video the answer rests on, in time order
 * @param answerer which answerer replied (its {@link Answerer#name()})
 * @param raw the external model's reply as received, or null for a built-in answerer
 * @param nanos time the answer took
 * @param atMicros for a temporal grounding, the time the answer names (-1 otherwise)
 */
public record Answer(Status status, String text, int choice, double confidence, List<EvidenceRange> evidence,
    String answerer, @Nullable String raw, long nanos, long atMicros) {

  /** Whether the reply could be used. */
  public enum Status {
    /** An answer. */
    ANSWERED,
    /** The external model replied, but not in a form that names an option or answers: reported, not guessed. */
    PARSE_FAILURE
  }

  /** An answer that names no single time (multiple choice, free text). */
  public Answer(final Status status, final String text, final int choice, final double confidence,
      final List<EvidenceRange> evidence, final String answerer, final @Nullable String raw, final long nanos) {
    this(status, text, choice, confidence, evidence, answerer, raw, nanos, -1);
  }

  public Answer {
    evidence = List.copyOf(evidence);
    if (!(confidence >= 0 && confidence <= 1) && !Double.isNaN(confidence)) {
      throw new IllegalArgumentException("confidence must be in [0, 1] or NaN, was " + confidence);
    }
  }

  /** The same answer with another time taken. */
  public Answer withNanos(final long n) {
    return new Answer(status, text, choice, confidence, evidence, answerer, raw, n, atMicros);
  }

  /** The chosen option's letter, or empty. */
  public String letter() {
    return choice >= 0 ? String.valueOf(Question.letter(choice)) : "";
  }
}
