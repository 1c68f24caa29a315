package io.vidctx.ingest.kafka;

import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link FramePublisher}.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param topic topic to write frames to
 * @param format picture encoding of record values
 * @param jpegQuality 1..100, used for JPEG
 * @param maxRecordBytes records larger than this are refused with a clear error before they reach
 *     the broker (the broker's default limit is about 1 MB), or travel by reference when {@code
 *     claimCheckDir} is set
 * @param producerOverrides extra producer properties, applied last
 * @param claimCheckDir where the picture of a frame over {@code maxRecordBytes} is written, the
 *     record carrying only its {@code file:} URI ({@link FrameWireFormat#HEADER_REF}); null refuses
 *     such frames. Every consumer must see this folder under the same absolute path (a shared or
 *     network file system when they run elsewhere); the files are never deleted by vidctx, so keep
 *     them at least as long as the topic keeps its records.
 */
public record PublisherConfig(
    String bootstrapServers,
    String topic,
    ImageFormat format,
    int jpegQuality,
    int maxRecordBytes,
    Map<String, Object> producerOverrides,
    @Nullable Path claimCheckDir) {

  public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;

  public PublisherConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(format, "format");
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
    // Absolute: the URI in the record must mean the same file to every consumer.
    claimCheckDir = claimCheckDir == null ? null : claimCheckDir.toAbsolutePath().normalize();
  }

  /** Without a claim-check folder: frames over {@code maxRecordBytes} are refused. */
  public PublisherConfig(final String bootstrapServers, final String topic, final ImageFormat format,
      final int jpegQuality, final int maxRecordBytes, final Map<String, Object> producerOverrides) {
    this(bootstrapServers, topic, format, jpegQuality, maxRecordBytes, producerOverrides, null);
  }

  /** JPEG at the default quality to {@link FrameWireFormat#DEFAULT_TOPIC}, no claim check. */
  public static PublisherConfig defaults(final String bootstrapServers) {
    return new PublisherConfig(
        bootstrapServers,
        FrameWireFormat.DEFAULT_TOPIC,
        ImageFormat.JPEG,
        ImageCodec.DEFAULT_JPEG_QUALITY,
        DEFAULT_MAX_RECORD_BYTES,
        Map.of(),
        null);
  }

  public PublisherConfig withTopic(final String t) {
    return new PublisherConfig(bootstrapServers, t, format, jpegQuality, maxRecordBytes, producerOverrides,
        claimCheckDir);
  }

  public PublisherConfig withFormat(final ImageFormat f) {
    return new PublisherConfig(bootstrapServers, topic, f, jpegQuality, maxRecordBytes, producerOverrides,
        claimCheckDir);
  }

  public PublisherConfig withJpegQuality(final int q) {
    return new PublisherConfig(bootstrapServers, topic, format, q, maxRecordBytes, producerOverrides, claimCheckDir);
  }

  public PublisherConfig withMaxRecordBytes(final int max) {
    return new PublisherConfig(bootstrapServers, topic, format, jpegQuality, max, producerOverrides, claimCheckDir);
  }

  public PublisherConfig withProducerOverrides(final Map<String, Object> overrides) {
    return new PublisherConfig(bootstrapServers, topic, format, jpegQuality, maxRecordBytes, overrides,
        claimCheckDir);
  }

  /** Frames over {@code maxRecordBytes} travel by reference through files in {@code dir}; null refuses them. */
  public PublisherConfig withClaimCheckDir(final @Nullable Path dir) {
    return new PublisherConfig(bootstrapServers, topic, format, jpegQuality, maxRecordBytes, producerOverrides, dir);
  }
}
