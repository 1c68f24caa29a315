package io.vidctx.samples.bench;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.kafka.EncodedFrame;
import io.vidctx.ingest.kafka.FramePublisher;
import io.vidctx.ingest.kafka.FrameWireFormat;
import io.vidctx.ingest.kafka.PublisherConfig;
import io.vidctx.ingest.kafka.Topics;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.plugins.VidctxConfig;
import io.vidctx.plugins.VidctxStreams;
import io.vidctx.plugins.VidctxTopology;
import io.vidctx.plugins.compress.MemoryUpdate;
import io.vidctx.plugins.query.QueryAnswer;
import io.vidctx.plugins.query.QueryRequest;
import io.vidctx.plugins.serde.JsonSerde;
import io.vidctx.tokencompress.HierarchicalCompressor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Figures for the Kafka Streams topology with a given encoder (issue "plugins" benchmarks):
 *
 * <ol>
 *   <li>throughput: one clip's frames, published beforehand as JPEG at the size {@code vidctx ask}
 *       decodes to, through the ready-made topology (exactly-once), against the in-process pipeline
 *       of {@code vidctx ask} (FFmpeg decode + encode + compress) on the same clip and fps;
 *   <li>latency: frames published at the clip's fps while the topology runs, from the frame
 *       record's timestamp to the committed memory update's arrival at a read-committed consumer;
 *   <li>query latency: a stream holding an hour of frames (the clip looped with shifted times), image
 *       queries sent one after another, from send to the answer's arrival.
 * </ol>
 */
public final class StreamsBenchmark {
  private final String bootstrapServers;
  private final VisionEncoder encoder;
  private final Path stateDir;
  private final Consumer<String> note;
  private final long commitIntervalMs;

  /** What one run measured. */
  public record Result(String clip, double fps, int frames, double inProcessFramesPerSecond,
      double topologyFramesPerSecond, double topologySteadyFramesPerSecond, double ratio, double ratioSteady,
      int latencyFrames, double latencyP50Ms, double latencyP95Ms, double latencyMaxMs, long hourFrames,
      int hourMemoryTokens, int queries, double queryP50Ms, double queryP95Ms, double queryStageP50Ms) {}

  /**
   * @param commitIntervalMs Streams' {@code commit.interval.ms} (100 is the exactly-once default): the
   *     trade between throughput and how soon updates become visible to read-committed readers
   */
  public StreamsBenchmark(final String bootstrapServers, final VisionEncoder encoder, final Path stateDir,
      final long commitIntervalMs, final Consumer<String> note) {
    this.commitIntervalMs = commitIntervalMs;
    this.bootstrapServers = bootstrapServers;
    this.encoder = encoder;
    this.stateDir = stateDir;
    this.note = note;
  }

  public Result run(final Path clip, final DecodeOptions decode, final int hourFrames, final int queries) {
    final VidctxConfig config = VidctxConfig.defaults();
    for (final String key : List.of(VidctxConfig.FRAMES_TOPIC_CONFIG, VidctxConfig.QUERIES_TOPIC_CONFIG,
        VidctxConfig.ANSWERS_TOPIC_CONFIG, VidctxConfig.UPDATES_TOPIC_CONFIG, VidctxConfig.DEAD_LETTER_TOPIC_CONFIG)) {
      Topics.ensure(bootstrapServers, config.getString(key), 1);
    }
    // 1a. In process, as vidctx ask does it.
    final List<VideoFrame> decoded = new ArrayList<>();
    final long t0 = System.nanoTime();
    final HierarchicalCompressor compressor = new HierarchicalCompressor(config.compressor());
    try (VideoFileSource source = VideoFileSource.open(clip.toString(), decode.withStreamId("inproc"))) {
      final List<VideoFrame> batch = new ArrayList<>();
      for (Optional<VideoFrame> f = source.next(); ; f = source.next()) {
        f.ifPresent(batch::add);
        if (batch.size() == 8 || (f.isEmpty() && !batch.isEmpty())) {
          for (final FrameTokens t : encoder.encode(batch)) {
            compressor.accept(t);
          }
          decoded.addAll(batch);
          batch.clear();
        }
        if (f.isEmpty()) {
          break;
        }
      }
    }
    compressor.snapshot();
    final double inProcessSeconds = (System.nanoTime() - t0) / 1e9;
    final int n = decoded.size();
    note.accept(String.format(java.util.Locale.ROOT, "in process: %d frames in %.2f s", n, inProcessSeconds));

    // 1b. The same frames through the topology, published first.
    final ImageCodec codec = new ImageCodec();
    final List<EncodedFrame> jpegs = new ArrayList<>(n);
    for (final VideoFrame f : decoded) {
      jpegs.add(FrameWireFormat.encode(new VideoFrame("bulk", f.index(), f.ptsMicros(), f.width(), f.height(), f.rgb()),
          ImageFormat.JPEG, codec));
    }
    publish(config, jpegs);
    final Map<String, Long> applied = new ConcurrentHashMap<>();
    final AtomicLong firstUpdate = new AtomicLong();
    final AtomicLong lastUpdate = new AtomicLong();
    final Consumer<MemoryUpdate> listener = u -> {
      firstUpdate.compareAndSet(0, System.nanoTime());
      lastUpdate.set(System.nanoTime());
      applied.put(u.streamId(), u.framesIn());
    };
    final Properties p = VidctxStreams.properties(config, bootstrapServers, "vidctx-bench", stateDir);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    final long s0 = System.nanoTime();
    try (KafkaStreams streams = new KafkaStreams(VidctxTopology.build(config, encoder, null, listener), p)) {
      streams.start();
      await(() -> applied.getOrDefault("bulk", 0L) >= n, "the topology to apply " + n + " frames");
      final double topologySeconds = (lastUpdate.get() - s0) / 1e9;
      final double steadySeconds = (lastUpdate.get() - firstUpdate.get()) / 1e9;
      note.accept(String.format(java.util.Locale.ROOT, "topology: %d frames in %.2f s from start (%.2f s from the"
          + " first update)", n, topologySeconds, steadySeconds));

      // 2. Latency at the clip's pace.
      final double[] latencies = paced(config, jpegs, decode.fps());
      Arrays.sort(latencies);

      // 3. An hour of memory, then queries.
      final List<EncodedFrame> hour = new ArrayList<>(hourFrames);
      final long period = jpegs.size() > 1 ? jpegs.get(1).ptsMicros() - jpegs.get(0).ptsMicros() : 1_000_000L;
      for (int i = 0; i < hourFrames; i++) {
        final EncodedFrame f = jpegs.get(i % n);
        hour.add(new EncodedFrame("hour", i, (long) i * period, f.width(), f.height(), f.format(), f.data()));
      }
      final long h0 = System.nanoTime();
      publish(config, hour);
      await(() -> applied.getOrDefault("hour", 0L) >= hourFrames, "the topology to apply " + hourFrames + " frames");
      note.accept(String.format(java.util.Locale.ROOT, "hour stream: %d frames published and applied in %.1f s",
          hourFrames, (System.nanoTime() - h0) / 1e9));
      final String image = Base64.getEncoder().encodeToString(jpegs.get(n / 2).data());
      final double[] answerMs = new double[queries];
      final double[] stageMs = new double[queries];
      int memoryTokens = 0;
      try (KafkaConsumer<String, QueryAnswer> answers = answersConsumer(config);
          KafkaProducer<String, byte[]> producer = producer()) {
        final JsonSerde<QueryRequest> json = new JsonSerde<>(QueryRequest.class);
        for (int q = 0; q < queries; q++) {
          final String id = "bench-" + q;
          final long sent = System.nanoTime();
          producer.send(new ProducerRecord<>(config.getString(VidctxConfig.QUERIES_TOPIC_CONFIG), "hour",
              json.serialize("", QueryRequest.of(id, "When does this picture appear?").withImage(image))));
          producer.flush();
          final QueryAnswer a = awaitAnswer(answers, id);
          answerMs[q] = (System.nanoTime() - sent) / 1e6;
          stageMs[q] = a.millis();
          memoryTokens = a.memoryTokens();
          if (!"ANSWERED".equals(a.status())) {
            throw new IllegalStateException("query " + id + " was not answered: " + a.error());
          }
        }
      }
      Arrays.sort(answerMs);
      Arrays.sort(stageMs);
      final double fpsIn = n / inProcessSeconds;
      return new Result(clip.getFileName().toString(), decode.fps(), n, fpsIn, n / topologySeconds,
          n / steadySeconds, n / topologySeconds / fpsIn, n / steadySeconds / fpsIn, latencies.length,
          pct(latencies, 0.5), pct(latencies, 0.95), latencies[latencies.length - 1], hourFrames, memoryTokens,
          queries, pct(answerMs, 0.5), pct(answerMs, 0.95), pct(stageMs, 0.5));
    }
  }

  private double[] paced(final VidctxConfig config, final List<EncodedFrame> frames, final double fps) {
    final long periodNanos = (long) (1e9 / (fps > 0 ? fps : 2));
    final List<Double> out = new ArrayList<>();
    final String updates = config.getString(VidctxConfig.UPDATES_TOPIC_CONFIG);
    final Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
        new StringDeserializer());
        FramePublisher publisher = new FramePublisher(PublisherConfig.defaults(bootstrapServers)
            .withTopic(config.getString(VidctxConfig.FRAMES_TOPIC_CONFIG))
            .withProducerOverrides(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0)))) {
      final TopicPartition tp = new TopicPartition(updates, 0);
      consumer.assign(List.of(tp));
      consumer.seekToEnd(List.of(tp));
      consumer.position(tp);
      final long start = System.nanoTime();
      for (int i = 0; i < frames.size(); i++) {
        final EncodedFrame f = frames.get(i);
        final long due = start + i * periodNanos;
        while (System.nanoTime() < due) {
          drain(consumer, out, Duration.ofMillis(Math.max(1, (due - System.nanoTime()) / 1_000_000)));
        }
        publisher.sendEncoded(new EncodedFrame("live", f.index(), f.ptsMicros(), f.width(), f.height(), f.format(),
            f.data()));
        publisher.flush();
      }
      await(() -> {
        drain(consumer, out, Duration.ofMillis(200));
        return out.size() >= frames.size();
      }, "memory updates of the paced stream");
    }
    final double[] a = new double[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  private static void drain(final KafkaConsumer<String, String> consumer, final List<Double> out, final Duration wait) {
    final long now = System.currentTimeMillis();
    for (final ConsumerRecord<String, String> r : consumer.poll(wait)) {
      if ("live".equals(r.key())) {
        out.add((double) (now - r.timestamp()));
      }
    }
  }

  private void publish(final VidctxConfig config, final List<EncodedFrame> frames) {
    try (FramePublisher publisher = new FramePublisher(PublisherConfig.defaults(bootstrapServers)
        .withTopic(config.getString(VidctxConfig.FRAMES_TOPIC_CONFIG)))) {
      for (final EncodedFrame f : frames) {
        publisher.sendEncoded(f);
      }
      publisher.flush();
    }
  }

  private KafkaConsumer<String, QueryAnswer> answersConsumer(final VidctxConfig config) {
    final Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final KafkaConsumer<String, QueryAnswer> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
        new JsonSerde<>(QueryAnswer.class));
    final TopicPartition tp = new TopicPartition(config.getString(VidctxConfig.ANSWERS_TOPIC_CONFIG), 0);
    consumer.assign(List.of(tp));
    consumer.seekToEnd(List.of(tp));
    consumer.position(tp);
    return consumer;
  }

  private KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
  }

  private static QueryAnswer awaitAnswer(final KafkaConsumer<String, QueryAnswer> consumer, final String id) {
    final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      for (final ConsumerRecord<String, QueryAnswer> r : consumer.poll(Duration.ofMillis(20))) {
        if (id.equals(r.value().id())) {
          return r.value();
        }
      }
    }
    throw new IllegalStateException("no answer to " + id + " within 2 minutes");
  }

  private static void await(final java.util.function.BooleanSupplier done, final String what) {
    final long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }

  private static double pct(final double[] sorted, final double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * (sorted.length - 1) + 0.5))];
  }
}
