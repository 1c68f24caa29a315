package io.vidctx.qa;

/** No answer could be obtained; the message names the cause and what to check. */
public class AnswerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AnswerException(final String message) {
    super(message);
  }

  public AnswerException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
