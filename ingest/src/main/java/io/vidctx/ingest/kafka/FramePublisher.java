package io.vidctx.ingest.kafka;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.VideoFrame;
import java.util.function.LongConsumer;

/**
 * Writes frames to a Kafka topic in the {@link FrameWireFormat}. Owns its producer: use it in
 * try-with-resources. SKELETON: the ingest-kafka work fills this in.
 */
public final class FramePublisher implements AutoCloseable {

  public FramePublisher(final PublisherConfig config) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /**
   * Encodes and sends one frame asynchronously.
   *
   * @throws io.vidctx.ingest.IngestException when the encoded record exceeds the configured
   *     maximum (the message says the size, the limit and what to change) or the producer failed
   */
  public void send(final VideoFrame frame) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Sends an already-encoded frame asynchronously (same size check as {@link #send}). */
  public void sendEncoded(final EncodedFrame frame) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /**
   * Drains {@code source} into the topic and waits until every record is acknowledged.
   *
   * @param onFrame called with the count of frames sent so far (for progress bars)
   */
  public PublishResult publish(final FrameSource source, final LongConsumer onFrame) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Blocks until everything sent so far is acknowledged; rethrows the first send failure. */
  public void flush() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public void close() {}
}
