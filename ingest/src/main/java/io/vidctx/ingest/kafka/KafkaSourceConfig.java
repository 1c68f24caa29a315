package io.vidctx.ingest.kafka;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link KafkaFrameSource}.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param topic topic to read frames from
 * @param groupId consumer group; null reads every partition from the beginning without a group
 * @param streamId deliver only this stream's frames; null delivers all streams
 * @param idleTimeout end the source after this long without a record (bounded reads, tests, CLI);
 *     {@link Duration#ZERO} never ends (live)
 * @param maxFrames end after this many delivered frames; -1 for no limit
 * @param deadLetterTopic where malformed records are copied with the reason in headers; null only
 *     logs and skips them
 * @param consumerOverrides extra consumer properties, applied last
 */
public record KafkaSourceConfig(
    String bootstrapServers,
    String topic,
    @Nullable String groupId,
    @Nullable String streamId,
    Duration idleTimeout,
    long maxFrames,
    @Nullable String deadLetterTopic,
    Map<String, Object> consumerOverrides) {

  public KafkaSourceConfig {
    java.util.Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    java.util.Objects.requireNonNull(topic, "topic");
    java.util.Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (topic.isBlank()) {
      throw new IllegalArgumentException("topic must not be blank");
    }
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must be >= 0 (ZERO = never end), was " + idleTimeout);
    }
    if (maxFrames < -1) {
      throw new IllegalArgumentException("maxFrames must be -1 (no limit) or >= 0, was " + maxFrames);
    }
    if (topic.equals(deadLetterTopic)) {
      throw new IllegalArgumentException("the dead-letter topic must differ from the frame topic '" + topic + "'");
    }
    consumerOverrides = Map.copyOf(consumerOverrides);
  }

  /** All streams of {@link FrameWireFormat#DEFAULT_TOPIC} from the beginning, ending after 5 s idle. */
  public static KafkaSourceConfig defaults(final String bootstrapServers) {
    return new KafkaSourceConfig(
        bootstrapServers, FrameWireFormat.DEFAULT_TOPIC, null, null, Duration.ofSeconds(5), -1, null, Map.of());
  }

  public KafkaSourceConfig withTopic(final String t) {
    return new KafkaSourceConfig(bootstrapServers, t, groupId, streamId, idleTimeout, maxFrames, deadLetterTopic,
        consumerOverrides);
  }

  public KafkaSourceConfig withGroupId(final @Nullable String g) {
    return new KafkaSourceConfig(bootstrapServers, topic, g, streamId, idleTimeout, maxFrames, deadLetterTopic,
        consumerOverrides);
  }

  public KafkaSourceConfig withStreamId(final @Nullable String s) {
    return new KafkaSourceConfig(bootstrapServers, topic, groupId, s, idleTimeout, maxFrames, deadLetterTopic,
        consumerOverrides);
  }

  public KafkaSourceConfig withIdleTimeout(final Duration d) {
    return new KafkaSourceConfig(bootstrapServers, topic, groupId, streamId, d, maxFrames, deadLetterTopic,
        consumerOverrides);
  }

  public KafkaSourceConfig withMaxFrames(final long n) {
    return new KafkaSourceConfig(bootstrapServers, topic, groupId, streamId, idleTimeout, n, deadLetterTopic,
        consumerOverrides);
  }

  public KafkaSourceConfig withDeadLetterTopic(final @Nullable String t) {
    return new KafkaSourceConfig(bootstrapServers, topic, groupId, streamId, idleTimeout, maxFrames, t,
        consumerOverrides);
  }

  public KafkaSourceConfig withConsumerOverrides(final Map<String, Object> overrides) {
    return new KafkaSourceConfig(bootstrapServers, topic, groupId, streamId, idleTimeout, maxFrames, deadLetterTopic,
        overrides);
  }
}
