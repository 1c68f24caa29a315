package io.vidctx.plugins;

import io.vidctx.encoder.VisionEncoder;
import io.vidctx.ingest.kafka.EncodedFrame;
import io.vidctx.ingest.kafka.FramePublisher;
import io.vidctx.ingest.kafka.PublisherConfig;
import io.vidctx.ingest.kafka.Topics;
import io.vidctx.ingest.kafka.broker.EmbeddedKafka;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.plugins.compress.MemoryStore;
import io.vidctx.plugins.compress.MemoryUpdate;
import io.vidctx.plugins.query.QueryAnswer;
import io.vidctx.plugins.query.QueryRequest;
import io.vidctx.plugins.serde.JsonSerde;
import io.vidctx.tokencompress.VideoMemory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jspecify.annotations.Nullable;

/** An in-process broker, topics, publishing and Streams instances of the ready-made topology, for tests. */
final class BrokerHarness implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(120);

  final EmbeddedKafka kafka;
  final VidctxConfig config;
  private final List<KafkaStreams> running = new ArrayList<>();

  BrokerHarness(final String name, final VidctxConfig config, final int partitions) {
    this.kafka = EmbeddedKafka.start(SharedData.work("plugins-broker/" + name + "-" + System.nanoTime()));
    this.config = config;
    final String servers = kafka.bootstrapServers();
    Topics.ensure(servers, config.getString(VidctxConfig.FRAMES_TOPIC_CONFIG), partitions);
    for (final String key : List.of(VidctxConfig.QUERIES_TOPIC_CONFIG, VidctxConfig.ANSWERS_TOPIC_CONFIG,
        VidctxConfig.UPDATES_TOPIC_CONFIG)) {
      Topics.ensure(servers, config.getString(key), partitions, Map.of());
    }
    Topics.ensure(servers, config.getString(VidctxConfig.DEAD_LETTER_TOPIC_CONFIG), 1);
  }

  /** A stream id whose frames land in {@code partition} of a {@code partitions}-partition topic. */
  static String idForPartition(final String prefix, final int partition, final int partitions) {
    for (int i = 0; ; i++) {
      final String id = prefix + i;
      if (Utils.toPositive(Utils.murmur2(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions
          == partition) {
        return id;
      }
    }
  }

  void publish(final List<EncodedFrame> frames) {
    try (FramePublisher p = new FramePublisher(PublisherConfig.defaults(kafka.bootstrapServers())
        .withTopic(config.getString(VidctxConfig.FRAMES_TOPIC_CONFIG)))) {
      for (final EncodedFrame f : frames) {
        p.sendEncoded(f);
      }
      p.flush();
    }
  }

  KafkaStreams start(final String appId, final String instance, final VisionEncoder encoder,
      final @Nullable Consumer<MemoryUpdate> listener) {
    final Properties p = VidctxStreams.properties(config, kafka.bootstrapServers(), appId,
        SharedData.work("plugins-broker/state-" + instance + "-" + System.nanoTime()));
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    p.put(StreamsConfig.CLIENT_ID_CONFIG, appId + "-" + instance);
    final KafkaStreams s = new KafkaStreams(VidctxTopology.build(config, encoder, null, listener), p);
    running.add(s);
    s.start();
    return s;
  }

  static void await(final String what, final BooleanSupplier condition) {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  /** The stream's memory from whichever instance hosts it, once it holds {@code frames} frames. */
  Optional<VideoMemory> memory(final KafkaStreams streams, final String streamId, final long frames) {
    try {
      final ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
          MemoryStore.DEFAULT_NAME, QueryableStoreTypes.<String, byte[]>keyValueStore()));
      final byte[] header = store.get(streamId);
      if (header == null) {
        return Optional.empty();
      }
      final Optional<VideoMemory> m = MemoryStore.snapshot(store, config.compressor(), streamId);
      return m.filter(v -> v.framesIn() == frames);
    } catch (final InvalidStateStoreException e) {
      return Optional.empty();
    }
  }

  VideoMemory awaitMemory(final KafkaStreams streams, final String streamId, final long frames) {
    final VideoMemory[] got = new VideoMemory[1];
    await("stream " + streamId + " to hold " + frames + " frames", () -> {
      final Optional<VideoMemory> m = memory(streams, streamId, frames);
      m.ifPresent(v -> got[0] = v);
      return m.isPresent();
    });
    return got[0];
  }

  void sendQuery(final String streamId, final QueryRequest q) {
    sendRaw(config.getString(VidctxConfig.QUERIES_TOPIC_CONFIG), streamId,
        new JsonSerde<>(QueryRequest.class).serialize("", q));
  }

  void sendRaw(final String topic, final String key, final byte[] value) {
    final Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (final Exception e) {
      throw new AssertionError("cannot send to " + topic + ": " + e, e);
    }
  }

  /** Committed records of {@code topic} from the start, until {@code done} says enough. */
  List<ConsumerRecord<byte[], byte[]>> read(final String topic,
      final java.util.function.Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
    final Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      final List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      await("records on " + topic, () -> {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        return done.test(out);
      });
    }
    return out;
  }

  List<QueryAnswer> answers(final int atLeast) {
    final JsonSerde<QueryAnswer> serde = new JsonSerde<>(QueryAnswer.class);
    return read(config.getString(VidctxConfig.ANSWERS_TOPIC_CONFIG), l -> l.size() >= atLeast).stream()
        .map(r -> serde.deserialize("", r.value())).toList();
  }

  @Override
  public void close() {
    for (final KafkaStreams s : running) {
      s.close(Duration.ofSeconds(30));
    }
    kafka.close();
  }
}
