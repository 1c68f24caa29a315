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
    consumerOverrides = Map.copyOf(consumerOverrides);
  }

  /** All streams of {@link FrameWireFormat#DEFAULT_TOPIC} from the beginning, ending after 5 s idle. */
  public static KafkaSourceConfig defaults(final String bootstrapServers) {
    return new KafkaSourceConfig(
        bootstrapServers, FrameWireFormat.DEFAULT_TOPIC, null, null, Duration.ofSeconds(5), -1, null, Map.of());
  }
}
