package io.vidctx.ingest.kafka;

import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import java.util.Map;

/**
 * Settings of a {@link FramePublisher}.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param topic topic to write frames to
 * @param format picture encoding of record values
 * @param jpegQuality 1..100, used for JPEG
 * @param maxRecordBytes records larger than this are refused with a clear error before they reach
 *     the broker (the broker's default limit is about 1 MB)
 * @param producerOverrides extra producer properties, applied last
 */
public record PublisherConfig(
    String bootstrapServers,
    String topic,
    ImageFormat format,
    int jpegQuality,
    int maxRecordBytes,
    Map<String, Object> producerOverrides) {

  public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;

  public PublisherConfig {
    producerOverrides = Map.copyOf(producerOverrides);
  }

  /** JPEG at the default quality to {@link FrameWireFormat#DEFAULT_TOPIC}. */
  public static PublisherConfig defaults(final String bootstrapServers) {
    return new PublisherConfig(
        bootstrapServers,
        FrameWireFormat.DEFAULT_TOPIC,
        ImageFormat.JPEG,
        ImageCodec.DEFAULT_JPEG_QUALITY,
        DEFAULT_MAX_RECORD_BYTES,
        Map.of());
  }

  public PublisherConfig withTopic(final String t) {
    return new PublisherConfig(bootstrapServers, t, format, jpegQuality, maxRecordBytes, producerOverrides);
  }

  public PublisherConfig withFormat(final ImageFormat f) {
    return new PublisherConfig(bootstrapServers, topic, f, jpegQuality, maxRecordBytes, producerOverrides);
  }
}
