package io.vidctx.plugins.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.IngestException.MalformedRecordException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.kafka.EncodedFrame;
import io.vidctx.ingest.kafka.FramePublisher;
import io.vidctx.ingest.kafka.FrameWireFormat;
import io.vidctx.ingest.kafka.KafkaFrameSource;
import io.vidctx.ingest.kafka.PublisherConfig;
import io.vidctx.ingest.kafka.Topics;
import io.vidctx.ingest.kafka.broker.EmbeddedKafka;
import io.vidctx.ingest.testing.BrokerExitGuard;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.plugins.PluginException;
import io.vidctx.plugins.PluginFixtures;
import io.vidctx.plugins.VidctxConfig;
import io.vidctx.plugins.VidctxStreams;
import io.vidctx.plugins.VidctxTopology;
import io.vidctx.plugins.compress.MemoryStore;
import io.vidctx.plugins.errors.DeadLetterHandler;
import io.vidctx.plugins.serde.FrameTokensSerde;
import io.vidctx.tokencompress.HierarchicalCompressor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The encoder worker against a real in-process broker, then the ready-made topology in worker mode
 * reading what it wrote: real footage, the built-in encoder, exactly-once on both sides.
 */
class EncoderWorkerTest {
  private static final String FRAMES = "worker.frames";
  private static final String TOKENS = "worker.tokens";
  private static final String DLQ = "worker.dlq";
  private static final String CAM_1 = "cam-1";
  private static final String CAM_2 = "cam-2";
  private static final int PER_STREAM = 20;
  private static final Duration WAIT = Duration.ofSeconds(120);

  private static EmbeddedKafka kafka;
  private static OnnxVisionEncoder encoder;

  @BeforeAll
  static void start() {
    BrokerExitGuard.install();
    kafka = EmbeddedKafka.start(SharedData.work("encoder-worker/broker-" + System.nanoTime()));
    encoder = PluginFixtures.builtinEncoder();
  }

  @AfterAll
  static void stop() {
    if (encoder != null) {
      encoder.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    BrokerExitGuard.reset();
  }

  @Test
  void shouldEncodeEveryFrameOnceInOrderDeadLetterTheCorruptOneAndFeedTheTopologyTheInProcessMemory()
      throws Exception {
    final String servers = kafka.bootstrapServers();
    Topics.ensure(servers, FRAMES, 2);
    Topics.ensure(servers, TOKENS, 2);
    Topics.ensure(servers, DLQ, 1);

    // Two streams of the same clip (cam-2 starts later in it), plus a JPEG cut short in cam-1.
    final List<EncodedFrame> clip = PluginFixtures.footage("big_buck_bunny_0_30.webm", 1.5, 0.5, CAM_1).frames();
    assertTrue(clip.size() >= 2 * PER_STREAM, "frames in the clip: " + clip.size());
    final List<EncodedFrame> cam1 = clip.subList(0, PER_STREAM);
    final List<EncodedFrame> cam2 = clip.subList(clip.size() - PER_STREAM, clip.size()).stream()
        .map(f -> new EncodedFrame(CAM_2, f.index(), f.ptsMicros(), f.width(), f.height(), f.format(), f.data()))
        .toList();
    final EncodedFrame four = cam1.get(4);
    final EncodedFrame corrupt = new EncodedFrame(CAM_1, 999, four.ptsMicros() + 1, four.width(), four.height(),
        four.format(), Arrays.copyOf(four.data(), four.data().length * 6 / 10));
    try (FramePublisher publisher = new FramePublisher(PublisherConfig.defaults(servers).withTopic(FRAMES))) {
      for (int i = 0; i < PER_STREAM; i++) {
        publisher.sendEncoded(cam1.get(i));
        if (i == 4) {
          publisher.sendEncoded(corrupt);
        }
        publisher.sendEncoded(cam2.get(i));
      }
      publisher.flush();
    }
    final List<ConsumerRecord<byte[], byte[]>> frameRecords = read(FRAMES, 2, 2 * PER_STREAM + 1, () -> false);
    assertEquals(2 * PER_STREAM + 1, frameRecords.size());
    final Map<String, ConsumerRecord<byte[], byte[]>> frameRecord = new HashMap<>();
    for (final ConsumerRecord<byte[], byte[]> r : frameRecords) {
      frameRecord.put(new String(r.key(), StandardCharsets.UTF_8) + "#" + text(r.headers(),
          FrameWireFormat.HEADER_INDEX), r);
    }
    final ConsumerRecord<byte[], byte[]> corruptRecord = frameRecord.get(CAM_1 + "#999");

    // The worker on its own thread; the tokens read back as a read_committed consumer sees them.
    final EncoderWorkerConfig config = EncoderWorkerConfig.defaults(servers).withGroupId("encoder-worker-test")
        .withFramesTopic(FRAMES).withTokensTopic(TOKENS).withDeadLetterTopic(DLQ);
    final ExecutorService thread = Executors.newSingleThreadExecutor();
    final EncoderWorker worker = new EncoderWorker(config, encoder);
    final List<ConsumerRecord<byte[], byte[]>> tokenRecords;
    final long elapsedNanos;
    try {
      final long t0 = System.nanoTime();
      final Future<?> running = thread.submit(worker);
      tokenRecords = read(TOKENS, 2, 2 * PER_STREAM, running::isDone);
      elapsedNanos = System.nanoTime() - t0;
      if (running.isDone()) {
        running.get(); // the worker stopped: its exception fails the test
        fail("the worker stopped by itself");
      }
      worker.close();
      running.get(60, TimeUnit.SECONDS); // rethrows what run() threw
    } finally {
      worker.close();
      thread.shutdownNow();
    }
    assertThrows(IllegalStateException.class, worker::run, "a worker runs once");

    assertEquals(2 * PER_STREAM, tokenRecords.size(), "one tokens record per valid frame, none twice");
    final FrameTokensSerde serde = new FrameTokensSerde();
    final ImageCodec codec = new ImageCodec();
    long inProcessNanos = 0;
    int alone = 0;
    int batchedOnly = 0;
    final Map<String, List<FrameTokens>> committedTokens = new HashMap<>();
    for (final List<EncodedFrame> stream : List.of(cam1, cam2)) {
      final String id = stream.get(0).streamId();
      final List<ConsumerRecord<byte[], byte[]>> got = tokenRecords.stream()
          .filter(r -> id.equals(new String(r.key(), StandardCharsets.UTF_8))).toList();
      assertEquals(stream.stream().map(EncodedFrame::index).toList(),
          got.stream().map(r -> serde.deserialize(TOKENS, r.value()).index()).toList(), id + ": frame order");
      committedTokens.put(id, got.stream().map(r -> serde.deserialize(TOKENS, r.value())).toList());
      for (int i = 0; i < stream.size(); i++) {
        final EncodedFrame sent = stream.get(i);
        final VideoFrame frame = FrameWireFormat.decode(sent, codec);
        final long e0 = System.nanoTime();
        final FrameTokens single = FrameTokensSerde.rounded(encoder.encode(List.of(frame)).get(0));
        inProcessNanos += System.nanoTime() - e0;
        // The built-in encoder's global embedding comes out of ONNX Runtime's ReduceMean, which takes
        // another path for a batch of one: alone and in a batch, the last bits differ. The worker
        // encodes a poll as one batch, so its tokens are one of the two.
        final FrameTokens batched = FrameTokensSerde.rounded(encoder.encode(List.of(frame, frame)).get(0));
        final ConsumerRecord<byte[], byte[]> r = got.get(i);
        final FrameTokens t = serde.deserialize(TOKENS, r.value());
        final String what = id + " #" + sent.index();
        assertEquals(id, t.streamId(), what);
        assertEquals(sent.ptsMicros(), t.ptsMicros(), what);
        assertEquals(single.gridH(), t.gridH(), what);
        assertEquals(single.dim(), t.dim(), what);
        assertArrayEquals(single.patches(), t.patches(), what + ": patches bit for bit");
        final boolean asAlone = Arrays.equals(serde.serialize(TOKENS, single), r.value());
        final boolean asBatched = Arrays.equals(serde.serialize(TOKENS, batched), r.value());
        assertTrue(asAlone || asBatched, what + ": the record, byte for byte, is the frame's in-process encoding"
            + " (alone or in a batch); global " + Arrays.toString(t.global()) + ", alone "
            + Arrays.toString(single.global()) + ", batched " + Arrays.toString(batched.global()));
        alone += asAlone ? 1 : 0;
        batchedOnly += asAlone ? 0 : 1;
        final ConsumerRecord<byte[], byte[]> source = frameRecord.get(id + "#" + sent.index());
        assertEquals(source.timestamp(), r.timestamp(), what + ": the frame's timestamp kept");
        assertEquals(source.partition(), r.partition(), what + ": same key, same partition number");
      }
    }

    final List<ConsumerRecord<byte[], byte[]>> dead = read(DLQ, 1, 1, () -> false);
    assertEquals(1, dead.size(), "only the corrupt record is refused");
    final ConsumerRecord<byte[], byte[]> d = dead.get(0);
    assertArrayEquals(corrupt.data(), d.value(), "the value byte for byte");
    assertArrayEquals(CAM_1.getBytes(StandardCharsets.UTF_8), d.key());
    final String reason = text(d.headers(), KafkaFrameSource.DLQ_REASON);
    assertTrue(reason.startsWith("record " + FRAMES + "-" + corruptRecord.partition() + "@" + corruptRecord.offset()
        + ": frame cam-1 #999"), reason);
    assertTrue(reason.contains("truncated"), reason);
    assertEquals(EncoderWorker.STAGE, text(d.headers(), KafkaFrameSource.DLQ_STAGE));
    assertEquals(FRAMES, text(d.headers(), KafkaFrameSource.DLQ_TOPIC));
    assertEquals(Integer.toString(corruptRecord.partition()), text(d.headers(), KafkaFrameSource.DLQ_PARTITION));
    assertEquals(Long.toString(corruptRecord.offset()), text(d.headers(), KafkaFrameSource.DLQ_OFFSET));
    assertEquals(MalformedRecordException.class.getName(), text(d.headers(), DeadLetterHandler.DLQ_EXCEPTION));
    for (final Header h : corruptRecord.headers()) {
      assertArrayEquals(h.value(), d.headers().lastHeader(h.key()).value(), "original header " + h.key());
    }

    final EncoderWorker.Stats stats = worker.stats();
    assertEquals(2 * PER_STREAM + 1, stats.framesIn());
    assertEquals(2 * PER_STREAM, stats.tokensOut());
    assertEquals(1, stats.deadLetters());
    assertTrue(stats.batches() >= 3, "batches of at most 16: " + stats.batches());
    assertEquals(endOffsets(frameRecords), committed("encoder-worker-test"),
        "the group's offsets committed through the transactions, up to the end");
    System.out.printf(Locale.ROOT, "EncoderWorker: %d frames in %d batches: %.1f frames/s of batch time, %.1f ms per"
            + " batch (%.1f ms in the encoder), %.1f s from start to the last tokens (group join included);"
            + " in-process single-frame encoding %.2f ms per frame%n",
        stats.framesIn(), stats.batches(), stats.framesPerSecond(), stats.meanMsPerBatch(),
        stats.meanEncodeMsPerBatch(), elapsedNanos / 1e9, inProcessNanos / 1e6 / (2 * PER_STREAM));
    System.out.printf(Locale.ROOT, "EncoderWorker: %d frames' tokens equal their single-frame encoding, %d only their"
        + " batched one%n", alone, batchedOnly);

    assertTheTopologyBuildsTheInProcessMemories(servers, List.of(cam1, cam2), committedTokens);
  }

  @Test
  void shouldAbortRewindAndRetryAFailedTransactionThenStopCommittingNothing() throws Exception {
    final String servers = kafka.bootstrapServers();
    final String frames = "worker.frames.refused";
    final String tokens = "worker.tokens.refused";
    final String dlq = "worker.dlq.small";
    Topics.ensure(servers, frames, 1);
    Topics.ensure(servers, tokens, 1);
    // The dead-letter topic refuses the corrupt record's size: every transaction that holds it fails.
    Topics.ensure(servers, dlq, 1, Map.of("max.message.bytes", "2000"));
    final List<EncodedFrame> clip = PluginFixtures.footage("big_buck_bunny_0_30.webm", 0.2, 0.5, CAM_1).frames();
    final EncodedFrame good = clip.stream().max(Comparator.comparingInt(f -> f.data().length)).orElseThrow();
    assertTrue(good.data().length > 8_000, "a detailed frame: " + good.data().length + " bytes");
    final EncodedFrame corrupt = new EncodedFrame(CAM_1, good.index() + 1, good.ptsMicros() + 1, good.width(), good.height(),
        good.format(), Arrays.copyOf(good.data(), good.data().length / 2));
    try (FramePublisher publisher = new FramePublisher(PublisherConfig.defaults(servers).withTopic(frames))) {
      publisher.sendEncoded(good);
      publisher.sendEncoded(corrupt);
      publisher.flush();
    }
    final EncoderWorkerConfig config = EncoderWorkerConfig.defaults(servers).withGroupId("encoder-worker-refused")
        .withFramesTopic(frames).withTokensTopic(tokens).withDeadLetterTopic(dlq);
    final ExecutorService thread = Executors.newSingleThreadExecutor();
    try (EncoderWorker worker = new EncoderWorker(config, encoder)) {
      final Future<?> running = thread.submit(worker);
      final ExecutionException e = assertThrows(ExecutionException.class, () -> running.get(60, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof PluginException, String.valueOf(e.getCause()));
      assertTrue(e.getCause().getMessage().contains(EncoderWorker.MAX_CONSECUTIVE_FAILURES
          + " batches in a row failed to commit"), e.getCause().getMessage());
      assertEquals(0, worker.stats().batches(), "nothing committed");
    } finally {
      thread.shutdownNow();
    }
    final TopicPartition tokens0 = new TopicPartition(tokens, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      consumer.assign(List.of(tokens0));
      assertTrue(consumer.endOffsets(List.of(tokens0)).get(tokens0) > 0, "the aborted attempts wrote tokens");
      consumer.seekToBeginning(List.of(tokens0));
      final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
      final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < until) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
      }
      assertEquals(List.of(), seen, "aborted tokens are invisible to read_committed");
    }
    assertEquals(Map.of(), committed("encoder-worker-refused"), "no offset committed: the frames are read again");
  }

  /**
   * The ready-made topology in worker mode, fed by the tokens topic, against the in-process pipeline:
   * the compressor fed with the frames' in-process encodings that the worker committed (checked
   * above, bit for bit), and the in-process pipeline with one frame per encoder call.
   */
  private static void assertTheTopologyBuildsTheInProcessMemories(final String servers,
      final List<List<EncodedFrame>> streams, final Map<String, List<FrameTokens>> committedTokens)
      throws InterruptedException {
    final Map<String, Object> settings = new HashMap<>();
    settings.put(VidctxConfig.ENCODE_IN_STREAMS_CONFIG, false);
    settings.put(VidctxConfig.TOKENS_TOPIC_CONFIG, TOKENS);
    settings.put(VidctxConfig.QUERIES_TOPIC_CONFIG, "worker.queries");
    settings.put(VidctxConfig.ANSWERS_TOPIC_CONFIG, "worker.answers");
    settings.put(VidctxConfig.UPDATES_TOPIC_CONFIG, "worker.memory-updates");
    settings.put(VidctxConfig.DEAD_LETTER_TOPIC_CONFIG, "worker.streams.dlq");
    settings.put(VidctxConfig.CHECKPOINT_FRAMES_CONFIG, 7);
    final VidctxConfig config = new VidctxConfig(settings);
    Topics.ensure(servers, "worker.queries", 2);
    Topics.ensure(servers, "worker.answers", 2);
    Topics.ensure(servers, "worker.memory-updates", 2);
    Topics.ensure(servers, "worker.streams.dlq", 1);
    final Properties p = VidctxStreams.properties(config, servers, "encoder-worker-test-app",
        SharedData.work("encoder-worker/state-" + System.nanoTime()));
    final KafkaStreams app = new KafkaStreams(VidctxTopology.build(config, encoder, null), p);
    try {
      app.start();
      final long deadline = System.nanoTime() + WAIT.toNanos();
      ReadOnlyKeyValueStore<String, byte[]> store = null;
      while (true) {
        final KafkaStreams.State state = app.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
            || state == KafkaStreams.State.NOT_RUNNING) {
          fail("the Streams application stopped: " + state);
        }
        try {
          store = app.store(StoreQueryParameters.fromNameAndType(MemoryStore.DEFAULT_NAME,
              QueryableStoreTypes.<String, byte[]>keyValueStore()));
          if (applied(store, CAM_1) == PER_STREAM && applied(store, CAM_2) == PER_STREAM) {
            break;
          }
        } catch (final InvalidStateStoreException e) {
          // Still starting or rebalancing: ask again.
        }
        if (System.nanoTime() > deadline) {
          fail("the memories did not reach " + PER_STREAM + " frames within " + WAIT + " (" + CAM_1 + ": "
              + (store == null ? "no store" : applied(store, CAM_1)) + ", " + CAM_2 + ": "
              + (store == null ? "no store" : applied(store, CAM_2)) + ")");
        }
        Thread.sleep(200);
      }
      for (final List<EncodedFrame> frames : streams) {
        final String id = frames.get(0).streamId();
        final byte[] inStore = MemoryStore.snapshot(store, config.compressor(), id).orElseThrow().toBytes();
        final HierarchicalCompressor inProcess = new HierarchicalCompressor(config.compressor());
        committedTokens.get(id).forEach(inProcess::accept);
        assertArrayEquals(inProcess.snapshot().toBytes(), inStore, id + ": the memory in the store, byte for byte");
        // The frames whose global embedding differs in its last bits between the two encodings (see
        // above) sit far from the compressor's thresholds here, so the memories agree byte for byte.
        assertArrayEquals(PluginFixtures.inProcessMemory(frames, encoder, config.compressor()).toBytes(), inStore,
            id + ": the memory equals the in-process pipeline's (frames encoded one at a time)");
      }
    } finally {
      app.close(Duration.ofSeconds(30));
    }
  }

  private static long applied(final ReadOnlyKeyValueStore<String, byte[]> store, final String id) {
    final MemoryStore.Header h = MemoryStore.header(store, id);
    return h == null ? 0 : h.framesApplied();
  }

  /** Reads {@code topic} from the beginning as read_committed until {@code expected} records, then a little more. */
  private static List<ConsumerRecord<byte[], byte[]>> read(final String topic, final int partitions,
      final int expected, final BooleanSupplier giveUp) {
    final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      final List<TopicPartition> tps = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        tps.add(new TopicPartition(topic, i));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      final long deadline = System.nanoTime() + WAIT.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline && !giveUp.getAsBoolean()) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(out::add); // nothing more may follow
    }
    return out;
  }

  /** A read_committed consumer without a group. */
  private static KafkaConsumer<byte[], byte[]> consumer() {
    final Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static Map<TopicPartition, Long> endOffsets(final List<ConsumerRecord<byte[], byte[]>> records) {
    final Map<TopicPartition, Long> end = new HashMap<>();
    for (final ConsumerRecord<byte[], byte[]> r : records) {
      end.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
    }
    return end;
  }

  private static Map<TopicPartition, Long> committed(final String group) throws Exception {
    final Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      final Map<TopicPartition, Long> out = new HashMap<>();
      offsets.forEach((tp, o) -> out.put(tp, o.offset()));
      return out;
    }
  }

  private static String text(final Headers headers, final String name) {
    final Header h = headers.lastHeader(name);
    assertNotNull(h, "header " + name + " in " + Arrays.toString(headers.toArray()));
    return new String(h.value(), StandardCharsets.UTF_8);
  }
}
