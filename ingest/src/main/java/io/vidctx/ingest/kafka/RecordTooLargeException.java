package io.vidctx.ingest.kafka;

import io.vidctx.ingest.IngestException;

/**
 * A frame's record is larger than the publisher may send. Nothing was sent for it; the message
 * gives the size, the limit and what to change.
 */
public final class RecordTooLargeException extends IngestException {
  private static final long serialVersionUID = 1L;
  private final long recordBytes;
  private final long limitBytes;

  public RecordTooLargeException(final String message, final long recordBytes, final long limitBytes) {
    super(message);
    this.recordBytes = recordBytes;
    this.limitBytes = limitBytes;
  }

  /** Size of the refused record in bytes (an upper bound of what it takes on the wire). */
  public long recordBytes() {
    return recordBytes;
  }

  /** The limit it exceeded. */
  public long limitBytes() {
    return limitBytes;
  }
}
