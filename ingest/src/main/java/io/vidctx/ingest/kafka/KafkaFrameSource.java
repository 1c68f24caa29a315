package io.vidctx.ingest.kafka;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.VideoFrame;
import java.util.Optional;

/**
 * Frames from a Kafka topic in the {@link FrameWireFormat}. Each stream's frames come in the order
 * they were written (one stream = one key = one partition). A malformed record is reported with its
 * topic/partition/offset, counted, sent to the dead-letter topic when one is configured, and skipped;
 * it never ends the source. SKELETON: the ingest-kafka work fills this in.
 */
public final class KafkaFrameSource implements FrameSource {

  public KafkaFrameSource(final KafkaSourceConfig config) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public Optional<VideoFrame> next() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Records skipped as malformed so far. */
  public long malformedRecords() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public String describe() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public void close() {}
}
