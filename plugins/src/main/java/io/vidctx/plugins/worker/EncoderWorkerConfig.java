package io.vidctx.plugins.worker;

import io.vidctx.ingest.kafka.FrameWireFormat;
import io.vidctx.plugins.VidctxConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings of an {@link EncoderWorker}. Start from {@link #defaults} and change with the {@code
 * with...} methods.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param groupId consumer group of the workers (default {@value #DEFAULT_GROUP_ID}); workers in one
 *     group share the frames topic's partitions
 * @param framesTopic topic of frame records in the ingest wire format (default {@link
 *     FrameWireFormat#DEFAULT_TOPIC})
 * @param tokensTopic topic the tokens go to (default {@link VidctxConfig#DEFAULT_TOKENS_TOPIC}); give it
 *     as many partitions as the frames topic's consumers downstream expect (the queries topic)
 * @param deadLetterTopic topic of refused frame records (default {@link VidctxConfig#DEFAULT_DEAD_LETTER_TOPIC})
 * @param batchSize frames per poll, and so per model batch ({@code max.poll.records}), default
 *     {@value #DEFAULT_BATCH_SIZE}
 * @param pollTimeout longest wait of one poll for frames (default 500 ms)
 * @param transactionalIdPrefix each worker's producer gets {@code transactional.id} = prefix + "-" +
 *     a random UUID (default {@value #DEFAULT_TRANSACTIONAL_ID_PREFIX}); set {@code transactional.id}
 *     in {@code producerOverrides} to a stable, per-instance name (a pod name) to fence a crashed
 *     predecessor at once instead of after its {@code transaction.timeout.ms}
 * @param consumerOverrides extra consumer properties, applied last; the ones the worker's guarantees
 *     rest on ({@link #RESERVED_CONSUMER}) are refused
 * @param producerOverrides extra producer properties, applied last; {@link #RESERVED_PRODUCER} are
 *     refused
 */
public record EncoderWorkerConfig(
    String bootstrapServers,
    String groupId,
    String framesTopic,
    String tokensTopic,
    String deadLetterTopic,
    int batchSize,
    Duration pollTimeout,
    String transactionalIdPrefix,
    Map<String, Object> consumerOverrides,
    Map<String, Object> producerOverrides) {

  public static final String DEFAULT_GROUP_ID = "vidctx-encoder";
  public static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "vidctx-encoder";
  public static final int DEFAULT_BATCH_SIZE = 16;
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);

  /** Consumer settings the worker chooses itself: exactly-once reading and one batch per poll. */
  public static final List<String> RESERVED_CONSUMER = List.of(ConsumerConfig.GROUP_ID_CONFIG,
      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
      ConsumerConfig.MAX_POLL_RECORDS_CONFIG, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
      ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
  /** Producer settings the worker chooses itself: a transactional, idempotent producer of bytes. */
  public static final List<String> RESERVED_PRODUCER = List.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
      ProducerConfig.ACKS_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
      ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

  public EncoderWorkerConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    requireName(groupId, "groupId");
    requireName(framesTopic, "framesTopic");
    requireName(tokensTopic, "tokensTopic");
    requireName(deadLetterTopic, "deadLetterTopic");
    requireName(transactionalIdPrefix, "transactionalIdPrefix");
    Objects.requireNonNull(pollTimeout, "pollTimeout");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    if (pollTimeout.isNegative() || pollTimeout.isZero()) {
      throw new IllegalArgumentException("pollTimeout must be positive, was " + pollTimeout);
    }
    if (framesTopic.equals(tokensTopic) || framesTopic.equals(deadLetterTopic) || tokensTopic.equals(deadLetterTopic)) {
      throw new IllegalArgumentException("frames, tokens and dead-letter topics must differ, were '" + framesTopic
          + "', '" + tokensTopic + "' and '" + deadLetterTopic + "'");
    }
    refuseReserved(consumerOverrides, RESERVED_CONSUMER, "consumer");
    refuseReserved(producerOverrides, RESERVED_PRODUCER, "producer");
    consumerOverrides = Map.copyOf(consumerOverrides);
    producerOverrides = Map.copyOf(producerOverrides);
  }

  /** The defaults, against {@code bootstrapServers}. */
  public static EncoderWorkerConfig defaults(final String bootstrapServers) {
    return new EncoderWorkerConfig(bootstrapServers, DEFAULT_GROUP_ID, FrameWireFormat.DEFAULT_TOPIC,
        VidctxConfig.DEFAULT_TOKENS_TOPIC, VidctxConfig.DEFAULT_DEAD_LETTER_TOPIC, DEFAULT_BATCH_SIZE,
        DEFAULT_POLL_TIMEOUT, DEFAULT_TRANSACTIONAL_ID_PREFIX, Map.of(), Map.of());
  }

  public EncoderWorkerConfig withBootstrapServers(final String s) {
    return new EncoderWorkerConfig(s, groupId, framesTopic, tokensTopic, deadLetterTopic, batchSize, pollTimeout,
        transactionalIdPrefix, consumerOverrides, producerOverrides);
  }

  public EncoderWorkerConfig withGroupId(final String g) {
    return new EncoderWorkerConfig(bootstrapServers, g, framesTopic, tokensTopic, deadLetterTopic, batchSize,
        pollTimeout, transactionalIdPrefix, consumerOverrides, producerOverrides);
  }

  public EncoderWorkerConfig withFramesTopic(final String t) {
    return new EncoderWorkerConfig(bootstrapServers, groupId, t, tokensTopic, deadLetterTopic, batchSize, pollTimeout,
        transactionalIdPrefix, consumerOverrides, producerOverrides);
  }

  public EncoderWorkerConfig withTokensTopic(final String t) {
    return new EncoderWorkerConfig(bootstrapServers, groupId, framesTopic, t, deadLetterTopic, batchSize, pollTimeout,
        transactionalIdPrefix, consumerOverrides, producerOverrides);
  }

  public EncoderWorkerConfig withDeadLetterTopic(final String t) {
    return new EncoderWorkerConfig(bootstrapServers, groupId, framesTopic, tokensTopic, t, batchSize, pollTimeout,
        transactionalIdPrefix, consumerOverrides, producerOverrides);
  }

  public EncoderWorkerConfig withBatchSize(final int n) {
    return new EncoderWorkerConfig(bootstrapServers, groupId, framesTopic, tokensTopic, deadLetterTopic, n, pollTimeout,
        transactionalIdPrefix, consumerOverrides, producerOverrides);
  }

  public EncoderWorkerConfig withPollTimeout(final Duration d) {
    return new EncoderWorkerConfig(bootstrapServers, groupId, framesTopic, tokensTopic, deadLetterTopic, batchSize, d,
        transactionalIdPrefix, consumerOverrides, producerOverrides);
  }

  public EncoderWorkerConfig withTransactionalIdPrefix(final String p) {
    return new EncoderWorkerConfig(bootstrapServers, groupId, framesTopic, tokensTopic, deadLetterTopic, batchSize,
        pollTimeout, p, consumerOverrides, producerOverrides);
  }

  public EncoderWorkerConfig withConsumerOverrides(final Map<String, Object> overrides) {
    return new EncoderWorkerConfig(bootstrapServers, groupId, framesTopic, tokensTopic, deadLetterTopic, batchSize,
        pollTimeout, transactionalIdPrefix, overrides, producerOverrides);
  }

  public EncoderWorkerConfig withProducerOverrides(final Map<String, Object> overrides) {
    return new EncoderWorkerConfig(bootstrapServers, groupId, framesTopic, tokensTopic, deadLetterTopic, batchSize,
        pollTimeout, transactionalIdPrefix, consumerOverrides, overrides);
  }

  private static void requireName(final String value, final String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  private static void refuseReserved(final Map<String, Object> overrides, final List<String> reserved,
      final String kind) {
    for (final String key : overrides.keySet()) {
      if (reserved.contains(key)) {
        throw new IllegalArgumentException("EncoderWorker sets the " + kind + " setting '" + key + "' itself"
            + " (exactly-once, one model batch per poll); remove that override"
            + (ConsumerConfig.MAX_POLL_RECORDS_CONFIG.equals(key) ? " and use withBatchSize" : "")
            + (ConsumerConfig.GROUP_ID_CONFIG.equals(key) ? " and use withGroupId" : ""));
      }
    }
  }
}
