package io.vidctx.plugins;

import io.vidctx.ingest.kafka.Topics;
import io.vidctx.plugins.errors.DeadLetterHandler;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams settings that the vidctx stages need; callers add or override the rest. */
public final class VidctxStreams {
  /**
   * Records a poll hands a Streams thread. Each frame may take tens of ms to encode; 100 of them stay
   * far inside the 5 minute {@code max.poll.interval.ms} unless one frame takes over 3 s (the encode
   * stage warns well before that).
   */
  public static final int MAX_POLL_RECORDS = 100;

  private VidctxStreams() {}

  /**
   * Settings for running {@link VidctxTopology} (or stages in a topology of one's own):
   *
   * <ul>
   *   <li>{@code processing.guarantee=exactly_once_v2}: a frame changes its stream's memory exactly
   *       once, across crashes and rebalances;
   *   <li>{@link DeadLetterHandler} for processing and deserialization errors, writing to the
   *       configured dead-letter topic;
   *   <li>{@code max.poll.records} = {@value #MAX_POLL_RECORDS};
   *   <li>producer {@code max.request.size} large enough to dead-letter a 10 MB frame record;
   *   <li>{@code state.dir} as given.
   * </ul>
   */
  public static Properties properties(final VidctxConfig config, final String bootstrapServers,
      final String applicationId, final Path stateDir) {
    final Properties p = new Properties();
    p.putAll(config.originals());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
        config.getString(VidctxConfig.DEAD_LETTER_TOPIC_CONFIG));
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), MAX_POLL_RECORDS);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        Topics.FRAME_TOPIC_MAX_MESSAGE_BYTES + 1024 * 1024);
    return p;
  }
}
