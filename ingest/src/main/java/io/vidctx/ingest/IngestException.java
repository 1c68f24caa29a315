package io.vidctx.ingest;

/**
 * The one unchecked exception type of the ingest module. Subclasses say what kind of problem it is,
 * so callers (and the {@code vidctx} command's exit codes) can react; the message always names the
 * input and says what the user can do about it.
 */
public class IngestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IngestException(final String message) {
    super(message);
  }

  public IngestException(final String message, final Throwable cause) {
    super(message, cause);
  }

  /** The input does not exist or cannot be opened for reading (missing file, permissions). */
  public static class SourceNotFoundException extends IngestException {
    private static final long serialVersionUID = 1L;

    public SourceNotFoundException(final String message) {
      super(message);
    }

    public SourceNotFoundException(final String message, final Throwable cause) {
      super(message, cause);
    }
  }

  /** The input exists but is not something we can read: unknown URL scheme, not a video, no video stream, empty file. */
  public static class UnsupportedSourceException extends IngestException {
    private static final long serialVersionUID = 1L;

    public UnsupportedSourceException(final String message) {
      super(message);
    }

    public UnsupportedSourceException(final String message, final Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The input broke off or became unreadable part-way (truncated file, dropped stream). Frames
   * before {@link #positionMicros()} were delivered.
   */
  public static class CorruptVideoException extends IngestException {
    private static final long serialVersionUID = 1L;
    private final long positionMicros;
    private final long framesDelivered;

    public CorruptVideoException(final String message, final long positionMicros, final long framesDelivered) {
      super(message);
      this.positionMicros = positionMicros;
      this.framesDelivered = framesDelivered;
    }

    public CorruptVideoException(
        final String message, final long positionMicros, final long framesDelivered, final Throwable cause) {
      super(message, cause);
      this.positionMicros = positionMicros;
      this.framesDelivered = framesDelivered;
    }

    /** Presentation time (microseconds) of the last good position; -1 when nothing was readable. */
    public long positionMicros() {
      return positionMicros;
    }

    /** Frames delivered before the failure. */
    public long framesDelivered() {
      return framesDelivered;
    }
  }

  /** A Kafka record that does not follow the frame wire format (missing headers, undecodable image). */
  public static class MalformedRecordException extends IngestException {
    private static final long serialVersionUID = 1L;

    public MalformedRecordException(final String message) {
      super(message);
    }

    public MalformedRecordException(final String message, final Throwable cause) {
      super(message, cause);
    }
  }
}
