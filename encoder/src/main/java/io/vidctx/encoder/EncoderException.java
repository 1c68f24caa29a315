package io.vidctx.encoder;

/** The one unchecked exception type of the encoder module; messages name the model and the fix. */
public class EncoderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EncoderException(final String message) {
    super(message);
  }

  public EncoderException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
