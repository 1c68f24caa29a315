package io.vidctx.plugins.errors;

/**
 * A record a stage cannot process because of the record itself (corrupt picture, missing header,
 * wrong token width, a query for a stream nobody has seen). {@link DeadLetterHandler} sends the
 * source record to the dead-letter topic with {@link #stage()} and the message as the reason, and
 * processing goes on with the next record.
 */
public final class StageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String stage;

  public StageException(final String stage, final String reason) {
    super(reason);
    this.stage = stage;
  }

  public StageException(final String stage, final String reason, final Throwable cause) {
    super(reason, cause);
    this.stage = stage;
  }

  /** The stage that refused the record: encode, compress, query, or the source's deserializer. */
  public String stage() {
    return stage;
  }
}
