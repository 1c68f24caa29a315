package io.vidctx.plugins.worker;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.IngestException.MalformedRecordException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.kafka.DeadLetters;
import io.vidctx.ingest.kafka.EncodedFrame;
import io.vidctx.ingest.kafka.FrameWireFormat;
import io.vidctx.ingest.kafka.Topics;
import io.vidctx.plugins.PluginException;
import io.vidctx.plugins.errors.DeadLetterHandler;
import io.vidctx.plugins.serde.FrameTokensSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the vision encoder outside Kafka Streams: a consumer of the frames topic (ingest wire format)
 * that writes each frame's {@link FrameTokens} to the tokens topic, for a {@link
 * io.vidctx.plugins.VidctxTopology} run with {@code vidctx.encode.in.streams=false}.
 *
 * <p>Why it exists:
 *
 * <ul>
 *   <li>A Streams thread must call {@code poll} again within {@code max.poll.interval.ms} (5 min),
 *       or the group fences it out and its tasks move; a heavy model (hundreds of ms to seconds a
 *       frame) times {@code max.poll.records} can take longer than that. Here one poll is one model
 *       batch ({@code max.poll.records} = {@link EncoderWorkerConfig#batchSize}), so the time between
 *       polls is one batch's encoding, and nothing else shares the thread. ({@code
 *       max.poll.interval.ms} is left at its default: lower the batch size if one batch could take
 *       minutes.)
 *   <li>Batching: the valid frames of a poll go to the encoder in one {@link VisionEncoder#encode}
 *       call, which is what keeps a GPU busy; the Streams encode stage encodes one frame per record.
 *       (An {@link OnnxVisionEncoder} splits a call into its own batch size: open it with {@code
 *       RuntimeOptions} batch size &gt;= this batch size for one inference per poll.)
 *   <li>Scaling: workers started with the same group id share the frames topic's partitions; run
 *       more of them (processes, machines with GPUs) up to one per partition, independently of the
 *       Streams application that compresses and answers.
 * </ul>
 *
 * <p>Exactly once (consume-transform-produce): per poll, the tokens records, the dead letters and
 * the consumed offsets ({@code sendOffsetsToTransaction} with the consumer's group metadata) are
 * committed in one transaction; the consumer reads {@code read_committed} with auto-commit off. A
 * crash or a rebalance in between makes the group read the batch again and the aborted output is
 * never seen by {@code read_committed} readers (Streams with {@code exactly_once_v2} is one). Encoding
 * runs before the transaction begins, so a slow batch never holds a transaction open.
 *
 * <p>Records: a tokens record's key is the frame record's key (the stream id, UTF-8), its value
 * {@link FrameTokensSerde} (float16: the serde rounds exactly as {@link FrameTokensSerde#rounded},
 * which the encode stage applies), its timestamp the frame record's. Give the tokens topic as many
 * partitions as the frames topic so a stream keeps its partition number, and the queries topic the
 * same count. A stream's tokens keep frame order.
 *
 * <p>Determinism: the tokens are the encoder's output for the frame within the batch its poll made.
 * An encoder whose float results depend on the batch gives slightly different tokens here than the
 * one-frame-per-record encode stage, and a replayed batch may differ from the aborted one (only one
 * is ever committed). The built-in encoder is such a case: ONNX Runtime's {@code ReduceMean} takes
 * another path for a batch of one, so its global embedding differs in the last float bits between a
 * frame encoded alone and in a batch (after float16 rounding, about one frame in 16).
 *
 * <p>Refused frame records (undecodable picture, missing headers or key, a claim-check reference that
 * cannot be read, a picture the encoder rejects, tokens that cannot travel as float16) go to the
 * dead-letter topic inside the same transaction, key and value byte for byte, with the record's
 * headers and the {@code vidctx.dlq.*} headers that {@link DeadLetterHandler} writes (stage {@value
 * #STAGE}). When a batch fails in the encoder, its frames are encoded one by one to find the one at
 * fault; when every one of two or more fails alone too, the encoder itself is broken and the worker
 * stops instead of dead-lettering good frames.
 *
 * <p>Failures: a transaction that fails is aborted (or, after a fenced or invalid producer epoch,
 * the producer is replaced) and the consumer seeks back to the last committed positions, so the batch
 * is processed again; after {@value #MAX_CONSECUTIVE_FAILURES} failed batches in a row, or on an
 * authorization, version or sequence error, {@link #run} logs and throws {@link PluginException}.
 *
 * <p>Lifecycle: {@link #run} polls until {@link #close} is called (from another thread; it wakes the
 * consumer up, waits for the batch in progress to commit, then the clients are closed). A worker runs
 * once. The encoder belongs to the caller, who closes it after the worker. {@link #stats} may be read
 * from any thread.
 */
public final class EncoderWorker implements AutoCloseable, Runnable {
  /** The {@code vidctx.dlq.stage} of records this worker refuses. */
  public static final String STAGE = "encode-worker";
  /** Failed batches in a row after which the worker gives up. */
  public static final int MAX_CONSECUTIVE_FAILURES = 3;

  private static final Logger LOG = LoggerFactory.getLogger(EncoderWorker.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration COMMITTED_TIMEOUT = Duration.ofSeconds(30);

  /**
   * What the worker has committed so far (a batch counts once its transaction committed).
   *
   * @param framesIn frame records consumed: {@code tokensOut + deadLetters}
   * @param tokensOut tokens records written
   * @param deadLetters frame records sent to the dead-letter topic
   * @param batches polls processed (transactions committed)
   * @param batchNanos time spent in those batches: decoding, encoding, producing, committing (not polling)
   * @param encodeNanos of which in the encoder
   */
  public record Stats(long framesIn, long tokensOut, long deadLetters, long batches, long batchNanos,
      long encodeNanos) {
    static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0);

    /** Mean time per batch in ms: decode, encode, produce, commit. */
    public double meanMsPerBatch() {
      return batches == 0 ? 0 : batchNanos / 1e6 / batches;
    }

    /** Mean encoder time per batch in ms. */
    public double meanEncodeMsPerBatch() {
      return batches == 0 ? 0 : encodeNanos / 1e6 / batches;
    }

    /** Frames per second of batch time (excluding waits for frames). */
    public double framesPerSecond() {
      return batchNanos == 0 ? 0 : framesIn * 1e9 / batchNanos;
    }

    Stats plus(final long frames, final long tokens, final long dead, final long nanos, final long encode) {
      return new Stats(framesIn + frames, tokensOut + tokens, deadLetters + dead, batches + 1, batchNanos + nanos,
          encodeNanos + encode);
    }
  }

  private final EncoderWorkerConfig config;
  private final VisionEncoder encoder;
  private final String transactionalId;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ImageCodec codec = new ImageCodec();
  private final FrameTokensSerde serde = new FrameTokensSerde();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private KafkaProducer<byte[], byte[]> producer;
  private volatile @Nullable Thread runner;
  private volatile Stats stats = Stats.ZERO;

  /**
   * Creates the consumer and the producer; nothing connects until {@link #run}.
   *
   * @param encoder the vision encoder, owned by the caller (closed after the worker)
   * @throws PluginException when the client settings are invalid
   */
  public EncoderWorker(final EncoderWorkerConfig config, final VisionEncoder encoder) {
    this.config = Objects.requireNonNull(config, "config");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    final Object fixedId = config.producerOverrides().get(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    this.transactionalId = fixedId != null ? fixedId.toString()
        : config.transactionalIdPrefix() + "-" + UUID.randomUUID();
    try {
      this.consumer = new KafkaConsumer<>(consumerProperties(config, transactionalId), new ByteArrayDeserializer(),
          new ByteArrayDeserializer());
    } catch (final KafkaException e) {
      throw new PluginException("cannot create the encoder worker's consumer for " + config.bootstrapServers() + ": "
          + e.getMessage() + "; check the bootstrap servers and consumer overrides", e);
    }
    try {
      this.producer = newProducer();
    } catch (final PluginException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
  }

  /** The consumer settings: read committed frames, commit only through transactions, one batch per poll. */
  static Map<String, Object> consumerProperties(final EncoderWorkerConfig config, final String clientId) {
    final Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Reading must not create the frames topic as a side effect (a typo would make an empty topic).
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    // A frame is ~100 KB (JPEG) to a few MB (raw): the 1 MB per-partition default fetches a handful.
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
    p.putAll(config.consumerOverrides());
    // What the guarantees rest on (overrides of these are refused by the config).
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchSize());
    return p;
  }

  /** The producer settings: transactional, and large enough to dead-letter the largest frame record. */
  static Map<String, Object> producerProperties(final EncoderWorkerConfig config, final String transactionalId) {
    final Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.FRAME_TOPIC_MAX_MESSAGE_BYTES + 1024 * 1024);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.putAll(config.producerOverrides());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return p;
  }

  private KafkaProducer<byte[], byte[]> newProducer() {
    try {
      return new KafkaProducer<>(producerProperties(config, transactionalId), new ByteArraySerializer(),
          new ByteArraySerializer());
    } catch (final KafkaException e) {
      throw new PluginException("cannot create the encoder worker's producer for " + config.bootstrapServers() + ": "
          + e.getMessage() + "; check the bootstrap servers and producer overrides", e);
    }
  }

  /** The producer's {@code transactional.id} (also the clients' {@code client.id}). */
  public String transactionalId() {
    return transactionalId;
  }

  /** What has been committed so far; safe from any thread. */
  public Stats stats() {
    return stats;
  }

  /**
   * Polls frames, encodes and commits until {@link #close}. Returns normally when closed.
   *
   * @throws PluginException when the worker cannot go on (the cause says why; it was logged too)
   * @throws IllegalStateException when the worker ran or was closed before
   */
  @Override
  public void run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("encoder worker " + transactionalId + " runs once; it is running, ran or was"
          + " closed");
    }
    runner = Thread.currentThread();
    try {
      if (encoder instanceof OnnxVisionEncoder onnx && onnx.batchSize() < config.batchSize()) {
        LOG.info("the encoder runs batches of {} frames, so a poll of up to {} frames makes several inference calls;"
            + " open it with a batch size of {} for one", onnx.batchSize(), config.batchSize(), config.batchSize());
      }
      initTransactions();
      consumer.subscribe(List.of(config.framesTopic()), new Rebalance());
      LOG.info("encoder worker {} reading {} (group {}, batches of {}) into {}, dead letters to {}", transactionalId,
          config.framesTopic(), config.groupId(), config.batchSize(), config.tokensTopic(), config.deadLetterTopic());
      int failures = 0;
      while (!closing.get()) {
        final ConsumerRecords<byte[], byte[]> records = consumer.poll(config.pollTimeout());
        if (records.isEmpty()) {
          continue;
        }
        final KafkaException failed = process(records);
        if (failed == null) {
          failures = 0;
        } else if (++failures >= MAX_CONSECUTIVE_FAILURES) {
          throw new PluginException("encoder worker " + transactionalId + ": " + failures + " batches in a row failed"
              + " to commit, the last with: " + failed.getMessage(), failed);
        }
      }
    } catch (final WakeupException e) {
      if (!closing.get()) {
        throw fail(new PluginException("encoder worker " + transactionalId + " was woken up without being closed", e));
      }
    } catch (final InterruptException e) {
      closing.set(true);
      Thread.currentThread().interrupt();
      LOG.info("encoder worker {} interrupted: stopping", transactionalId);
    } catch (final PluginException e) {
      throw fail(e);
    } catch (final RuntimeException e) {
      throw fail(new PluginException("encoder worker " + transactionalId + " stopped: " + e, e));
    } finally {
      closeClients();
      finished.countDown();
    }
    final Stats s = stats;
    LOG.info("encoder worker {} stopped: {} frames in, {} tokens out, {} dead letters, {} batches, {} ms per batch",
        transactionalId, s.framesIn(), s.tokensOut(), s.deadLetters(), s.batches(),
        String.format(Locale.ROOT, "%.1f", s.meanMsPerBatch()));
  }

  private PluginException fail(final PluginException e) {
    LOG.error("encoder worker {} stopped after {} batches: {}", transactionalId, stats.batches(), e.getMessage(), e);
    return e;
  }

  private void initTransactions() {
    try {
      producer.initTransactions();
    } catch (final KafkaException e) {
      if (e instanceof InterruptException || e instanceof WakeupException) {
        throw e;
      }
      throw new PluginException("encoder worker " + transactionalId + " cannot start transactions on "
          + config.bootstrapServers() + ": " + e.getMessage() + "; the broker must support transactions (a"
          + " single broker needs transaction.state.log.replication.factor=1 and min.isr=1)", e);
    }
  }

  /** A frame record that decoded, waiting for the encoder. */
  private record Decoded(ConsumerRecord<byte[], byte[]> record, VideoFrame frame) {}

  /**
   * One poll: decode, encode as one batch, then produce and commit in one transaction.
   *
   * @return null when committed, else the error that made the batch roll back (consumer rewound)
   */
  private @Nullable KafkaException process(final ConsumerRecords<byte[], byte[]> records) {
    final long t0 = System.nanoTime();
    final List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    final List<Decoded> decoded = new ArrayList<>(records.count());
    for (final ConsumerRecord<byte[], byte[]> r : records) {
      try {
        decoded.add(new Decoded(r, decode(r)));
      } catch (final MalformedRecordException e) {
        deadLetters.add(deadLetter(r, e.getMessage(), e));
      }
    }
    final long e0 = System.nanoTime();
    final List<FrameTokens> tokens = encode(decoded, deadLetters);
    final long encodeNanos = System.nanoTime() - e0;
    final List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(decoded.size());
    for (int i = 0; i < decoded.size(); i++) {
      final FrameTokens t = tokens.get(i);
      if (t == null) {
        continue; // refused by the encoder: already a dead letter
      }
      final ConsumerRecord<byte[], byte[]> r = decoded.get(i).record();
      final byte[] value;
      try {
        value = serde.serialize(config.tokensTopic(), t);
      } catch (final SerializationException e) {
        deadLetters.add(deadLetter(r, where(r) + ": " + e.getMessage(), e));
        continue;
      }
      out.add(new ProducerRecord<>(config.tokensTopic(), null, r.timestamp() >= 0 ? r.timestamp() : null, r.key(),
          value));
    }
    final KafkaException failed = commit(records, out, deadLetters);
    if (failed != null) {
      return failed;
    }
    stats = stats.plus(records.count(), out.size(), deadLetters.size(), System.nanoTime() - t0, encodeNanos);
    LOG.debug("encoder worker {}: batch of {} frames, {} tokens, {} dead letters in {} ms", transactionalId,
        records.count(), out.size(), deadLetters.size(), (System.nanoTime() - t0) / 1_000_000);
    return null;
  }

  private VideoFrame decode(final ConsumerRecord<byte[], byte[]> r) {
    final String streamId = FrameWireFormat.streamIdOf(r.topic(), r.partition(), r.offset(), r.key());
    final EncodedFrame encoded = FrameWireFormat.fromParts(r.topic(), r.partition(), r.offset(), streamId, r.value(),
        r.headers());
    try {
      return FrameWireFormat.decode(encoded, codec);
    } catch (final MalformedRecordException e) {
      throw new MalformedRecordException(where(r) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The tokens of each decoded frame, in order; null where the encoder refused the frame (then a dead
   * letter is added).
   */
  private List<@Nullable FrameTokens> encode(final List<Decoded> decoded, final List<ProducerRecord<byte[], byte[]>>
      deadLetters) {
    final List<@Nullable FrameTokens> out = new ArrayList<>(decoded.size());
    if (decoded.isEmpty()) {
      return out;
    }
    final List<VideoFrame> frames = new ArrayList<>(decoded.size());
    decoded.forEach(d -> frames.add(d.frame()));
    final RuntimeException batchError;
    try {
      final List<FrameTokens> tokens = encoder.encode(frames);
      if (tokens.size() != frames.size()) {
        throw new PluginException("the encoder returned " + tokens.size() + " results for " + frames.size()
            + " frames; it must return one per frame");
      }
      out.addAll(tokens);
      return out;
    } catch (final EncoderException | IllegalArgumentException e) {
      batchError = e;
    }
    if (frames.size() == 1) {
      final VideoFrame f = frames.get(0);
      deadLetters.add(deadLetter(decoded.get(0).record(), refusal(f, batchError), batchError));
      out.add(null);
      return out;
    }
    LOG.warn("encoder worker {}: the encoder refused a batch of {} frames ({}); encoding them one by one to find"
        + " the frame at fault", transactionalId, frames.size(), batchError.getMessage());
    int refused = 0;
    for (final Decoded d : decoded) {
      try {
        out.add(encoder.encode(List.of(d.frame())).get(0));
      } catch (final EncoderException | IllegalArgumentException e) {
        out.add(null);
        refused++;
        deadLetters.add(deadLetter(d.record(), refusal(d.frame(), e), e));
      }
    }
    if (refused == frames.size()) {
      throw new PluginException("the encoder failed on a batch of " + frames.size() + " frames and on every one of"
          + " them alone: the encoder is broken, not the frames (" + batchError.getMessage() + ")", batchError);
    }
    return out;
  }

  /**
   * Writes the batch's output and offsets in one transaction.
   *
   * @return null when committed, else the error (transaction aborted or producer replaced, consumer rewound)
   */
  private @Nullable KafkaException commit(final ConsumerRecords<byte[], byte[]> records,
      final List<ProducerRecord<byte[], byte[]>> tokens, final List<ProducerRecord<byte[], byte[]>> deadLetters) {
    try {
      producer.beginTransaction();
      for (final ProducerRecord<byte[], byte[]> d : deadLetters) {
        producer.send(d);
      }
      for (final ProducerRecord<byte[], byte[]> t : tokens) {
        producer.send(t);
      }
      producer.sendOffsetsToTransaction(nextOffsets(records), consumer.groupMetadata());
      producer.commitTransaction();
      return null;
    } catch (final AuthorizationException | AuthenticationException | UnsupportedVersionException
        | OutOfOrderSequenceException e) {
      throw new PluginException("encoder worker " + transactionalId + " cannot write to Kafka: " + e.getMessage(), e);
    } catch (final InterruptException e) {
      throw e;
    } catch (final ApplicationRecoverableException e) {
      // Fenced or an invalid producer epoch (e.g. the broker timed the transaction out): this producer
      // cannot abort; a new one (same transactional.id) takes over.
      LOG.warn("encoder worker {}: transaction lost ({}); replacing the producer and reading the batch of {} frames"
          + " again", transactionalId, e.toString(), records.count());
      producer.close(Duration.ZERO);
      producer = newProducer();
      initTransactions();
      rewind(records);
      return e;
    } catch (final KafkaException e) {
      LOG.warn("encoder worker {}: transaction failed ({}); aborting it and reading the batch of {} frames again",
          transactionalId, e.toString(), records.count());
      try {
        producer.abortTransaction();
      } catch (final KafkaException abort) {
        if (abort instanceof InterruptException) {
          throw abort;
        }
        LOG.warn("encoder worker {}: aborting failed too ({}); replacing the producer", transactionalId,
            abort.toString());
        e.addSuppressed(abort);
        producer.close(Duration.ZERO);
        producer = newProducer();
        initTransactions();
      }
      rewind(records);
      return e;
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(final ConsumerRecords<byte[], byte[]> records) {
    final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (final TopicPartition tp : records.partitions()) {
      final List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
      offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
    }
    return offsets;
  }

  /**
   * Seeks the batch's partitions that are still ours back to the group's committed offsets (the batch's
   * first offsets when the group has none, or the broker does not answer).
   */
  private void rewind(final ConsumerRecords<byte[], byte[]> records) {
    final Set<TopicPartition> partitions = new HashSet<>(records.partitions());
    partitions.retainAll(consumer.assignment());
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed = consumer.committed(partitions, COMMITTED_TIMEOUT);
    } catch (final org.apache.kafka.common.errors.TimeoutException e) {
      LOG.warn("encoder worker {}: no committed offsets within {} ({}); rewinding to the batch's first records",
          transactionalId, COMMITTED_TIMEOUT, e.toString());
      committed = Map.of();
    }
    for (final TopicPartition tp : partitions) {
      final OffsetAndMetadata c = committed.get(tp);
      consumer.seek(tp, c != null ? c.offset() : records.records(tp).get(0).offset());
    }
  }

  private ProducerRecord<byte[], byte[]> deadLetter(final ConsumerRecord<byte[], byte[]> r, final String reason,
      final Exception exception) {
    LOG.warn("{} refused record {}-{}@{}: {}; sent to dead-letter topic {}", STAGE, r.topic(), r.partition(),
        r.offset(), reason, config.deadLetterTopic());
    return DeadLetters.record(config.deadLetterTopic(), r.topic(), r.partition(), r.offset(), r.key(), r.value(),
        r.headers(), STAGE, reason, exception);
  }

  private static String refusal(final VideoFrame f, final Exception e) {
    return "frame " + f.streamId() + " #" + f.index() + " could not be encoded: " + e.getMessage();
  }

  private static String where(final ConsumerRecord<?, ?> r) {
    return "record " + r.topic() + "-" + r.partition() + "@" + r.offset();
  }

  /**
   * Stops the worker: the batch in progress commits, then the consumer leaves the group and the
   * clients close. Waits up to 30 s for that; idempotent, never throws. Closing a worker that never
   * ran just closes its clients.
   */
  @Override
  public void close() {
    closing.set(true);
    if (started.compareAndSet(false, true)) {
      closeClients();
      finished.countDown();
      return;
    }
    if (Thread.currentThread() == runner) {
      return; // run() closes the clients on its way out
    }
    consumer.wakeup();
    try {
      if (!finished.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("encoder worker {} did not stop within {} (a batch still encoding?); its clients close when it does",
            transactionalId, CLOSE_TIMEOUT);
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("interrupted while waiting for encoder worker {} to stop", transactionalId);
    }
  }

  private void closeClients() {
    try {
      consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
    } catch (final RuntimeException e) {
      LOG.warn("encoder worker {}: closing the consumer failed: {}", transactionalId, e.toString());
    }
    try {
      producer.close(CLOSE_TIMEOUT);
    } catch (final RuntimeException e) {
      LOG.warn("encoder worker {}: closing the producer failed: {}", transactionalId, e.toString());
    }
  }

  /** Logs partition moves; nothing to flush: a batch is committed or rolled back before the next poll. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        LOG.info("encoder worker {}: partitions revoked: {}", transactionalId, partitions);
      }
    }

    @Override
    public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
      LOG.info("encoder worker {}: partitions assigned: {}", transactionalId, partitions);
    }

    @Override
    public void onPartitionsLost(final Collection<TopicPartition> partitions) {
      LOG.warn("encoder worker {}: partitions lost: {}", transactionalId, partitions);
    }
  }
}
