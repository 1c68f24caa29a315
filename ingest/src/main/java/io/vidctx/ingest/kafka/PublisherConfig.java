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
    java.util.Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    java.util.Objects.requireNonNull(topic, "topic");
    java.util.Objects.requireNonNull(format, "format");
    if (topic.isBlank()) {
      throw new IllegalArgumentException("topic must not be blank");
    }
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new IllegalArgumentException("JPEG quality must be in 1..100, was " + jpegQuality);
    }
    if (maxRecordBytes < 1024) {
      throw new IllegalArgumentException("maxRecordBytes must be at least 1024, was " + maxRecordBytes);
    }
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

  public PublisherConfig withJpegQuality(final int q) {
    return new PublisherConfig(bootstrapServers, topic, format, q, maxRecordBytes, producerOverrides);
  }

  public PublisherConfig withMaxRecordBytes(final int max) {
    return new PublisherConfig(bootstrapServers, topic, format, jpegQuality, max, producerOverrides);
  }

  public PublisherConfig withProducerOverrides(final Map<String, Object> overrides) {
    return new PublisherConfig(bootstrapServers, topic, format, jpegQuality, maxRecordBytes, overrides);
  }
}
