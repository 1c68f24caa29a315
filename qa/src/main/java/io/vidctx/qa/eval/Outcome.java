package io.vidctx.qa.eval;

/** How one item fared with one method. Parse failures and unanswerable items are counted apart, never guessed. */
public enum Outcome {
  /** Answered and right. */
  CORRECT,
  /** Answered and wrong. */
  WRONG,
  /** Answered, but the item has no ground truth to score against (a hidden benchmark answer). */
  UNSCORED,
  /** An external model replied in a form that names no option or answer. */
  PARSE_FAILURE,
  /** The answerer cannot answer this kind of question with this model (for instance text with the built-in encoder). */
  UNANSWERABLE,
  /** The item failed: unreadable video, bad query image, ...; the message is in the result. */
  ERROR
}
