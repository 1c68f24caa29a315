package io.vidctx.ingest.kafka;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.IngestException.MalformedRecordException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames from a Kafka topic in the {@link FrameWireFormat}. Each stream's frames come in the order
 * they were written (one stream = one key = one partition). A malformed record is reported with its
 * topic/partition/offset, counted, sent to the dead-letter topic when one is configured, and skipped;
 * it never ends the source.
 *
 * <p>Reading: with a group id the source subscribes and resumes from the group's committed offsets
 * (the beginning for a new group); without one it reads every partition from the beginning and
 * commits nothing. Keys and values are read as bytes, so no record can fail inside the consumer,
 * and a dead-lettered record keeps its original key, value and headers byte for byte.
 *
 * <p>Delivery is at-least-once: a record's offset is committed once the caller asks for the next
 * frame after it (before the consumer polls again), when the source ends, and on {@link #close}. A
 * crash while the caller works on a frame delivers that frame again to the group. Malformed records
 * are committed only after they reached the dead-letter topic.
 *
 * <p>With a {@code streamId} filter, other streams' records are skipped unread (not judged
 * malformed) and, with a group, committed like delivered ones: give a filtered reader its own group.
 *
 * <p>The source ends after {@code idleTimeout} without any record (never when it is zero) or after
 * {@code maxFrames} delivered frames. A topic that does not exist yet is waited for up to the idle
 * timeout, then reported as {@link IngestException.SourceNotFoundException}. Not thread-safe: one
 * thread pulls.
 */
public final class KafkaFrameSource implements FrameSource {
  /** Header with the reason a record was dead-lettered (UTF-8 text). */
  public static final String DLQ_REASON = "vidctx.dlq.reason";
  /** Header naming the stage that refused the record ({@value #DLQ_STAGE_INGEST} here). */
  public static final String DLQ_STAGE = "vidctx.dlq.stage";
  /** Headers locating the original record: topic, partition and offset (UTF-8 decimal). */
  public static final String DLQ_TOPIC = "vidctx.dlq.topic";
  public static final String DLQ_PARTITION = "vidctx.dlq.partition";
  public static final String DLQ_OFFSET = "vidctx.dlq.offset";
  public static final String DLQ_STAGE_INGEST = "ingest";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameSource.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final long DLQ_SEND_TIMEOUT_SECONDS = 30;
  private static final Duration JOIN_GRACE = Duration.ofSeconds(30);

  private final KafkaSourceConfig config;
  private final ImageCodec codec = new ImageCodec();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final byte @Nullable [] streamKey;
  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
  private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
  private @Nullable KafkaProducer<byte[], byte[]> deadLetters;
  private boolean started;
  private boolean ended;
  private boolean closed;
  private long delivered;
  private long malformed;
  private long lastRecordNanos;
  private long startNanos;

  /**
   * Creates the consumer; nothing is read until the first {@link #next}.
   *
   * @throws IngestException when the consumer settings are invalid
   */
  public KafkaFrameSource(final KafkaSourceConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.streamKey = config.streamId() == null ? null : config.streamId().getBytes(StandardCharsets.UTF_8);
    try {
      this.consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(),
          new ByteArrayDeserializer());
    } catch (final KafkaException e) {
      throw new IngestException("cannot create a Kafka consumer for " + describe() + ": " + e.getMessage()
          + "; check the bootstrap servers (host:port,...) and consumer overrides", e);
    }
  }

  /** The consumer settings used for {@code config}: our defaults, then the overrides. */
  static Map<String, Object> consumerProperties(final KafkaSourceConfig config) {
    final Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    if (config.groupId() != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    }
    // We commit ourselves, only what the caller has been handed (see the class comment).
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Reading must not create the topic as a side effect (a typo would make an empty topic).
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    // A frame is ~100 KB (JPEG) to a few MB (raw): the 1 MB per-partition default would fetch a
    // handful at a time.
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
    // Bounds the decoded-later records held between polls, and the work between two polls.
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
    p.putAll(config.consumerOverrides());
    return p;
  }

  @Override
  public Optional<VideoFrame> next() {
    if (closed) {
      throw new IllegalStateException("the Kafka frame source " + describe() + " is closed");
    }
    if (ended) {
      return Optional.empty();
    }
    if (!started) {
      start();
    }
    while (true) {
      if (config.maxFrames() >= 0 && delivered >= config.maxFrames()) {
        end();
        return Optional.empty();
      }
      final ConsumerRecord<byte[], byte[]> record = buffer.poll();
      if (record != null) {
        final Optional<VideoFrame> frame = handle(record);
        if (frame.isPresent()) {
          delivered++;
          return frame;
        }
        continue;
      }
      commitDone();
      final ConsumerRecords<byte[], byte[]> records;
      try {
        records = consumer.poll(POLL);
      } catch (final KafkaException e) {
        throw new IngestException("reading frames from " + describe() + " failed: " + e.getMessage(), e);
      }
      if (records.isEmpty()) {
        if (!config.idleTimeout().isZero() && System.nanoTime() - lastRecordNanos >= config.idleTimeout().toNanos()
            && !joining()) {
          LOG.debug("{}: no record for {}, ending", describe(), config.idleTimeout());
          end();
          return Optional.empty();
        }
        continue;
      }
      lastRecordNanos = System.nanoTime();
      records.forEach(buffer::add);
    }
  }

  /** Records skipped as malformed so far. */
  public long malformedRecords() {
    return malformed;
  }

  /** Frames delivered so far. */
  public long deliveredFrames() {
    return delivered;
  }

  @Override
  public String describe() {
    return config.topic() + "@" + config.bootstrapServers();
  }

  /**
   * Commits what was delivered (with a group), then closes the consumer and the dead-letter
   * producer; idempotent, never throws.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (started && !ended) {
        commitDone();
      }
    } catch (final RuntimeException e) {
      LOG.warn("{}: committing offsets on close failed, the group will see some frames again: {}", describe(),
          e.toString());
    }
    try {
      consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
    } catch (final RuntimeException e) {
      LOG.warn("{}: closing the consumer failed: {}", describe(), e.toString());
    }
    if (deadLetters != null) {
      try {
        deadLetters.close(CLOSE_TIMEOUT);
      } catch (final RuntimeException e) {
        LOG.warn("{}: closing the dead-letter producer failed: {}", describe(), e.toString());
      }
    }
  }

  private void start() {
    final List<TopicPartition> partitions = awaitTopic();
    if (config.groupId() == null) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    } else {
      consumer.subscribe(List.of(config.topic()), new Rebalance());
    }
    started = true;
    startNanos = System.nanoTime();
    lastRecordNanos = startNanos;
  }

  /**
   * The topic's partitions, waiting for the topic to appear for up to the idle timeout (forever
   * when it is zero: a live reader may start before the producer).
   */
  private List<TopicPartition> awaitTopic() {
    final long t0 = System.nanoTime();
    boolean warned = false;
    while (true) {
      String problem;
      try {
        final List<PartitionInfo> infos = consumer.partitionsFor(config.topic(), METADATA_TIMEOUT);
        if (infos != null && !infos.isEmpty()) {
          return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        }
        problem = "topic '" + config.topic() + "' does not exist on " + config.bootstrapServers();
      } catch (final org.apache.kafka.common.errors.TimeoutException e) {
        problem = "Kafka at " + config.bootstrapServers() + " did not answer (" + e.getMessage() + ")";
      } catch (final KafkaException e) {
        throw new IngestException("cannot read topic metadata from " + describe() + ": " + e.getMessage(), e);
      }
      final boolean live = config.idleTimeout().isZero();
      if (!live && System.nanoTime() - t0 >= config.idleTimeout().toNanos()) {
        throw new IngestException.SourceNotFoundException(problem + " (waited " + config.idleTimeout().toMillis()
            + " ms); check the servers and the topic name, or publish frames to it first");
      }
      if (!warned) {
        LOG.warn("{}; waiting for it", problem);
        warned = true;
      }
      sleep(POLL.toMillis());
    }
  }

  /** Decodes one record; a malformed one is dead-lettered and yields empty. Marks it done either way. */
  private Optional<VideoFrame> handle(final ConsumerRecord<byte[], byte[]> record) {
    final TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    if (streamKey != null && !Arrays.equals(streamKey, record.key())) {
      done.put(tp, new OffsetAndMetadata(record.offset() + 1));
      return Optional.empty(); // another stream's record: not ours to judge
    }
    final String where = FrameWireFormat.where(record.topic(), record.partition(), record.offset());
    String reason;
    try {
      final String streamId = FrameWireFormat.streamIdOf(record.topic(), record.partition(), record.offset(),
          record.key());
      final EncodedFrame encoded = FrameWireFormat.fromParts(record.topic(), record.partition(), record.offset(),
          streamId, record.value(), record.headers());
      try {
        final VideoFrame frame = FrameWireFormat.decode(encoded, codec);
        done.put(tp, new OffsetAndMetadata(record.offset() + 1));
        return Optional.of(frame);
      } catch (final MalformedRecordException e) {
        reason = where + ": " + e.getMessage();
      }
    } catch (final MalformedRecordException e) {
      reason = e.getMessage();
    }
    try {
      deadLetter(record, reason);
    } catch (final RuntimeException e) {
      // Not marked done: put it back so a retry (or the group, after a restart) sees it again.
      buffer.addFirst(record);
      throw e;
    }
    malformed++;
    done.put(tp, new OffsetAndMetadata(record.offset() + 1));
    LOG.warn("skipping malformed {} ({}){}", where, reason,
        config.deadLetterTopic() == null ? "" : "; copied to dead-letter topic " + config.deadLetterTopic());
    return Optional.empty();
  }

  private void deadLetter(final ConsumerRecord<byte[], byte[]> record, final String reason) {
    final String dlq = config.deadLetterTopic();
    if (dlq == null) {
      return;
    }
    final ProducerRecord<byte[], byte[]> copy = DeadLetters.record(dlq, record.topic(), record.partition(),
        record.offset(), record.key(), record.value(), record.headers(), DLQ_STAGE_INGEST, reason, null);
    try {
      // Synchronous: malformed records are rare, and the offset may only be committed once the copy
      // is safe.
      deadLetterProducer().send(copy).get(DLQ_SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("interrupted while writing a malformed record to dead-letter topic " + dlq, e);
    } catch (final Exception e) {
      throw new IngestException("could not copy malformed " + FrameWireFormat.where(record.topic(), record.partition(),
          record.offset()) + " to dead-letter topic " + dlq + " (" + e.getMessage() + "); its offset is not "
          + "committed, so it is read again next time. Check that the topic accepts records of "
          + (record.value() == null ? 0 : record.value().length) + " bytes", e);
    }
  }

  private KafkaProducer<byte[], byte[]> deadLetterProducer() {
    if (deadLetters == null) {
      final Map<String, Object> p = new HashMap<>();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      // Whatever size the frame topic accepted must fit here too, plus our headers.
      p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
      p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
      deadLetters = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return deadLetters;
  }

  /**
   * True while a group member waits for its first assignment (bounded by {@link #JOIN_GRACE}): a
   * slow group join on a busy machine is not idleness, and ending then would deliver nothing.
   */
  private boolean joining() {
    return config.groupId() != null && consumer.assignment().isEmpty()
        && System.nanoTime() - startNanos < config.idleTimeout().plus(JOIN_GRACE).toNanos();
  }

  private void end() {
    ended = true;
    commitDone();
  }

  private void commitDone() {
    if (done.isEmpty()) {
      return;
    }
    if (config.groupId() != null) {
      try {
        consumer.commitSync(Map.copyOf(done));
      } catch (final KafkaException e) {
        LOG.warn("{}: committing offsets failed, the group will see some frames again: {}", describe(), e.toString());
      }
    }
    done.clear();
  }

  private static void sleep(final long millis) {
    try {
      Thread.sleep(millis);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("interrupted while waiting for a Kafka topic", e);
    }
  }

  /** Keeps commits and the buffer consistent when the group moves partitions away. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
      final Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
      for (final TopicPartition tp : partitions) {
        final OffsetAndMetadata o = done.remove(tp);
        if (o != null) {
          revoked.put(tp, o);
        }
      }
      if (!revoked.isEmpty()) {
        try {
          consumer.commitSync(revoked);
        } catch (final KafkaException e) {
          LOG.warn("{}: commit on revocation failed: {}", describe(), e.toString());
        }
      }
      dropBuffered(partitions);
    }

    @Override
    public void onPartitionsLost(final Collection<TopicPartition> partitions) {
      partitions.forEach(done::remove);
      dropBuffered(partitions);
    }

    @Override
    public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
      // Idleness counts from when there is something to read.
      lastRecordNanos = System.nanoTime();
    }

    private void dropBuffered(final Collection<TopicPartition> partitions) {
      buffer.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
    }
  }
}
