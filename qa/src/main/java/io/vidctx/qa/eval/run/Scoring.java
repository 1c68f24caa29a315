package io.vidctx.qa.eval.run;

import io.vidctx.encoder.ocr.TextNormalizer;
import io.vidctx.qa.Answer;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.eval.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * How an answer is scored against an item (ANCHORS E1/E2): multiple choice by the chosen option; a
 * needle question without options by the answer's time inside the needle interval; an open question
 * by normalised exact match. A reply that could not be parsed is its own outcome, never a guess.
 */
public final class Scoring {
  private Scoring() {}

  /** The outcome of {@code answer} for {@code item}. */
  public static Outcome outcome(final EvalItem item, final Answer answer) {
    if (answer.status() == Answer.Status.PARSE_FAILURE) {
      return Outcome.PARSE_FAILURE;
    }
    if (item.isMultipleChoice()) {
      if (item.answerIndex() < 0) {
        return Outcome.UNSCORED;
      }
      return answer.choice() == item.answerIndex() ? Outcome.CORRECT : Outcome.WRONG;
    }
    final NeedleTruth needle = item.needle();
    if (needle != null && item.answer() == null) {
      final long at = time(answer);
      return at >= 0 && needle.contains(at) ? Outcome.CORRECT : Outcome.WRONG;
    }
    if (item.answer() == null) {
      return Outcome.UNSCORED;
    }
    return normalise(answer.text()).equals(normalise(item.answer())) ? Outcome.CORRECT : Outcome.WRONG;
  }

  /**
   * Temporal grounding for a needle item: whether the time the answer rests on lies in the needle
   * interval; null without a needle or when the answer names no time.
   */
  public static @Nullable Boolean grounded(final EvalItem item, final Answer answer) {
    final NeedleTruth needle = item.needle();
    if (needle == null || answer.status() != Answer.Status.ANSWERED) {
      return null;
    }
    final long at = time(answer);
    return at < 0 ? null : needle.contains(at);
  }

  /** The time an answer names: its grounding time, else the middle of its strongest evidence, else -1. */
  static long time(final Answer answer) {
    if (answer.atMicros() >= 0) {
      return answer.atMicros();
    }
    EvidenceRange best = null;
    for (final EvidenceRange e : answer.evidence()) {
      if (best == null || e.score() > best.score()) {
        best = e;
      }
    }
    return best == null ? -1 : best.midMicros();
  }

  /**
   * Lower case, accents removed, punctuation and parentheses dropped, whitespace collapsed: "(B) The
   * Cat." and "b the cat" compare equal.
   */
  public static String normalise(final String s) {
    return TextNormalizer.words(s);
  }
}
