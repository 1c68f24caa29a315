package io.vidctx.ingest.kafka;

import io.vidctx.ingest.IngestException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates frame topics with the partition count and record size limit they need, for the command
 * and tests (publishing alone relies on the broker's auto-create, with its defaults). Each call
 * opens and closes its own admin client.
 */
public final class Topics {
  /** {@code max.message.bytes} of topics that hold frames: room for 720p PNG and 1080p JPEG. */
  public static final int FRAME_TOPIC_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

  private static final long TIMEOUT_SECONDS = 30;

  private Topics() {}

  /**
   * Creates {@code topic} with {@code partitions} partitions and a {@code max.message.bytes} of
   * {@link #FRAME_TOPIC_MAX_MESSAGE_BYTES}, unless it exists.
   *
   * @return true when it was created, false when it already existed (left unchanged)
   */
  public static boolean ensure(final String bootstrapServers, final String topic, final int partitions) {
    return ensure(bootstrapServers, topic, partitions,
        Map.of("max.message.bytes", Integer.toString(FRAME_TOPIC_MAX_MESSAGE_BYTES)));
  }

  /**
   * Creates {@code topic} with {@code partitions} partitions, the cluster's default replication
   * factor and the given topic configs, unless it exists.
   *
   * @return true when it was created (and every partition has a leader, so clients can use it at
   *     once), false when it already existed (left unchanged)
   * @throws IngestException when the cluster cannot be reached or refuses the topic
   */
  public static boolean ensure(
      final String bootstrapServers, final String topic, final int partitions, final Map<String, String> configs) {
    if (partitions < 1) {
      throw new IllegalArgumentException("a topic needs at least one partition, got " + partitions);
    }
    try (Admin admin = Admin.create(adminProperties(bootstrapServers))) {
      final NewTopic spec = new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(new HashMap<>(configs));
      try {
        admin.createTopics(List.of(spec)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        awaitLeaders(admin, bootstrapServers, topic);
        return true;
      } catch (final ExecutionException e) {
        if (e.getCause() instanceof TopicExistsException) {
          return false;
        }
        throw new IngestException("cannot create topic '" + topic + "' on " + bootstrapServers + ": "
            + e.getCause().getMessage(), e.getCause());
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("interrupted while creating topic '" + topic + "'", e);
    } catch (final java.util.concurrent.TimeoutException e) {
      throw new IngestException("Kafka at " + bootstrapServers + " did not answer within " + TIMEOUT_SECONDS
          + " s while creating topic '" + topic + "'; is it running and reachable?", e);
    } catch (final org.apache.kafka.common.KafkaException e) {
      throw new IngestException("cannot talk to Kafka at " + bootstrapServers + " (creating topic '" + topic + "'): "
          + e.getMessage(), e);
    }
  }

  /**
   * The partition count of {@code topic}, or empty when it does not exist.
   *
   * @throws IngestException when the cluster cannot be reached
   */
  public static Optional<Integer> partitions(final String bootstrapServers, final String topic) {
    try (Admin admin = Admin.create(adminProperties(bootstrapServers))) {
      final TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
      return Optional.of(d.partitions().size());
    } catch (final ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      throw new IngestException("cannot describe topic '" + topic + "' on " + bootstrapServers + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("interrupted while describing topic '" + topic + "'", e);
    } catch (final java.util.concurrent.TimeoutException e) {
      throw new IngestException("Kafka at " + bootstrapServers + " did not answer within " + TIMEOUT_SECONDS
          + " s while describing topic '" + topic + "'; is it running and reachable?", e);
    } catch (final org.apache.kafka.common.KafkaException e) {
      throw new IngestException("cannot talk to Kafka at " + bootstrapServers + " (describing topic '" + topic + "'): "
          + e.getMessage(), e);
    }
  }

  /**
   * Waits until the broker serving clients knows the new topic and every partition has a leader: the
   * controller acknowledges creation before brokers have caught up, and a client arriving in between
   * is told the topic does not exist.
   */
  private static void awaitLeaders(final Admin admin, final String bootstrapServers, final String topic)
      throws InterruptedException, java.util.concurrent.TimeoutException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      try {
        final TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
        if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return;
        }
      } catch (final ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw new IngestException("topic '" + topic + "' was created on " + bootstrapServers
              + " but cannot be described: " + e.getCause().getMessage(), e.getCause());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new java.util.concurrent.TimeoutException("topic '" + topic + "' has no leader yet");
      }
      Thread.sleep(20);
    }
  }

  private static Properties adminProperties(final String bootstrapServers) {
    final Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    return p;
  }
}
