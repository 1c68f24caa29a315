package io.vidctx.qa;

/**
 * An answerer cannot answer this kind of question with what it has (a text question for an encoder
 * without a text tower, an open question without anything to match): a property of the question and
 * the model, so asking again will not help. Other {@link AnswerException}s (an endpoint down, a
 * timeout) may well pass on a retry.
 */
public class UnanswerableException extends AnswerException {
  private static final long serialVersionUID = 1L;

  public UnanswerableException(final String message) {
    super(message);
  }
}
