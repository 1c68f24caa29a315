package io.vidctx.samples.bench;

import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.kafka.EncodedFrame;
import io.vidctx.ingest.kafka.FramePublisher;
import io.vidctx.ingest.kafka.PublisherConfig;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Publish throughput of {@link FramePublisher} next to Kafka's own {@code ProducerPerformance} at the
 * same record size, record count and producer settings, against the same broker:
 *
 * <ol>
 *   <li>frames of a real clip are decoded (at the requested size) and encoded to JPEG before any
 *       timing; every measurement first sends {@code warmup} untimed records to its topic (JIT,
 *       metadata, connections), the Kafka tool through its own {@code --warmup-records};
 *   <li>{@link FramePublisher#sendEncoded} sends them to a fresh topic: time from the first send to
 *       the end of {@code flush()};
 *   <li>{@code ProducerPerformance} sends as many records of the mean JPEG size to another fresh
 *       topic, in a child JVM;
 *   <li>{@link FramePublisher#send} (JPEG encoding included) sends raw frames to a third topic: the
 *       end-to-end rate of a caller holding decoded frames.
 * </ol>
 */
public final class PublishBenchmark {
  /** The producer settings both sides use (compression off, so bytes on the wire are comparable). */
  public static final Map<String, String> PRODUCER_SETTINGS = producerSettings();

  /** Raw frames kept for the {@code send} run (cycled); bounds memory at 720p (about 2.8 MB each). */
  static final int RAW_FRAMES = 24;

  private final String bootstrapServers;
  private final int frames;
  private final int warmup;
  private final int quality;

  /** The figures of one run. Rates are per second; MiB = 2^20 bytes, as ProducerPerformance counts. */
  public record Result(
      String clip,
      int width,
      int height,
      int frames,
      int warmupFrames,
      int distinctFrames,
      int quality,
      double meanRecordBytes,
      Map<String, String> producerSettings,
      double oursRecordsPerSecond,
      double oursMibPerSecond,
      double kafkaRecordsPerSecond,
      double kafkaMibPerSecond,
      double ratio,
      double kafkaAvgLatencyMs,
      double sendRecordsPerSecond,
      double sendMibPerSecond) {}

  /**
   * @param frames records per timed measurement
   * @param warmup records sent before each timed measurement (same topic, untimed; for the Kafka
   *     tool its {@code --warmup-records}, so its steady-state line covers the same {@code frames})
   */
  public PublishBenchmark(final String bootstrapServers, final int frames, final int warmup, final int quality) {
    if (frames < 1 || warmup < 0) {
      throw new IllegalArgumentException("frames must be >= 1 and warmup >= 0, was " + frames + ", " + warmup);
    }
    this.bootstrapServers = bootstrapServers;
    this.frames = frames;
    this.warmup = warmup;
    this.quality = quality;
  }

  /**
   * Runs the three measurements.
   *
   * @param note receives progress notes (one line each)
   */
  public Result run(final Path clip, final int width, final int height, final Consumer<String> note) {
    final ImageCodec codec = new ImageCodec(quality);
    final List<EncodedFrame> encoded = new ArrayList<>();
    final List<VideoFrame> raw = new ArrayList<>();
    int outWidth = 0;
    int outHeight = 0;
    final DecodeOptions options = DecodeOptions.DEFAULTS.withStreamId("bench").withMaxFrames(frames).withSize(width, height);
    final List<Integer> rawIndex = new ArrayList<>();
    final int rawStep = Math.max(1, (frames + RAW_FRAMES - 1) / RAW_FRAMES);
    try (VideoFileSource source = VideoFileSource.open(clip.toString(), options)) {
      Optional<VideoFrame> next;
      while ((next = source.next()).isPresent()) {
        final VideoFrame f = next.get();
        if (encoded.size() % rawStep == 0) {
          raw.add(f);
          rawIndex.add(encoded.size());
        }
        encoded.add(new EncodedFrame(f.streamId(), f.index(), f.ptsMicros(), f.width(), f.height(), ImageFormat.JPEG,
            codec.encode(f.rgb(), f.width(), f.height(), ImageFormat.JPEG)));
        outWidth = f.width();
        outHeight = f.height();
      }
    }
    if (encoded.isEmpty()) {
      throw new IllegalStateException("no frames decoded from " + clip);
    }
    final int distinct = encoded.size();
    final long frameMicros = encoded.size() > 1 ? encoded.get(1).ptsMicros() - encoded.get(0).ptsMicros() : 40_000;
    long totalBytes = 0;
    final List<EncodedFrame> records = new ArrayList<>(frames);
    for (int i = 0; i < frames; i++) {
      final EncodedFrame e = encoded.get(i % distinct);
      records.add(new EncodedFrame(e.streamId(), warmup + i, (warmup + i) * frameMicros, e.width(), e.height(),
          e.format(), e.data()));
      totalBytes += e.data().length;
    }
    final double meanBytes = totalBytes / (double) frames;
    note.accept(String.format(Locale.ROOT, "%d frames %dx%d from %s encoded to JPEG q%d (%d distinct), mean %.1f kB",
        frames, outWidth, outHeight, clip.getFileName(), quality, distinct, meanBytes / 1e3));

    final String stamp = Long.toString(System.currentTimeMillis(), 36);
    final String oursTopic = "vidctx.bench." + stamp + ".ours";
    final String kafkaTopic = "vidctx.bench." + stamp + ".perf";
    final String sendTopic = "vidctx.bench." + stamp + ".send";
    createTopics(List.of(oursTopic, kafkaTopic, sendTopic));

    note.accept("FramePublisher.sendEncoded -> " + oursTopic);
    final long oursNanos;
    try (FramePublisher publisher = new FramePublisher(config(oursTopic))) {
      for (int i = 0; i < warmup; i++) {
        final EncodedFrame e = encoded.get(i % distinct);
        publisher.sendEncoded(new EncodedFrame(e.streamId(), i, i * frameMicros, e.width(), e.height(), e.format(), e.data()));
      }
      publisher.flush();
      final long t0 = System.nanoTime();
      for (final EncodedFrame r : records) {
        publisher.sendEncoded(r);
      }
      publisher.flush();
      oursNanos = System.nanoTime() - t0;
    }

    note.accept("kafka ProducerPerformance (child JVM) -> " + kafkaTopic);
    final ProducerPerformanceRun.Summary kafka = ProducerPerformanceRun.run(ProducerPerformanceRun.command(
        bootstrapServers, kafkaTopic, frames, warmup, (int) Math.round(meanBytes), PRODUCER_SETTINGS));

    note.accept("FramePublisher.send (JPEG encoding included) -> " + sendTopic);
    final long sendNanos;
    long sendBytes = 0;
    try (FramePublisher publisher = new FramePublisher(config(sendTopic))) {
      for (int i = 0; i < warmup; i++) {
        final VideoFrame f = raw.get(i % raw.size());
        publisher.send(new VideoFrame(f.streamId(), i, i * frameMicros, f.width(), f.height(), f.rgb()));
      }
      publisher.flush();
      final long t0 = System.nanoTime();
      for (int i = 0; i < frames; i++) {
        final VideoFrame f = raw.get(i % raw.size());
        publisher.send(new VideoFrame(f.streamId(), warmup + i, (warmup + i) * frameMicros, f.width(), f.height(), f.rgb()));
      }
      publisher.flush();
      sendNanos = System.nanoTime() - t0;
    }
    for (int i = 0; i < frames; i++) {
      sendBytes += encoded.get(rawIndex.get(i % raw.size())).data().length;
    }

    final double oursRate = frames * 1e9 / oursNanos;
    final double oursMib = totalBytes / 1048576.0 * 1e9 / oursNanos;
    return new Result(clip.getFileName().toString(), outWidth, outHeight, frames, warmup, distinct, quality, meanBytes,
        PRODUCER_SETTINGS, oursRate, oursMib, kafka.recordsPerSecond(), kafka.mibPerSecond(),
        oursRate / kafka.recordsPerSecond(), kafka.avgLatencyMs(), frames * 1e9 / sendNanos,
        sendBytes / 1048576.0 * 1e9 / sendNanos);
  }

  private PublisherConfig config(final String topic) {
    final Map<String, Object> overrides = new LinkedHashMap<>(PRODUCER_SETTINGS);
    return new PublisherConfig(bootstrapServers, topic, ImageFormat.JPEG, quality,
        PublisherConfig.DEFAULT_MAX_RECORD_BYTES, overrides);
  }

  private void createTopics(final List<String> topics) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      final List<NewTopic> newTopics = new ArrayList<>();
      for (final String t : topics) {
        newTopics.add(new NewTopic(t, Optional.of(1), Optional.empty()));
      }
      admin.createTopics(newTopics).all().get();
    } catch (final ExecutionException e) {
      throw new IllegalStateException("cannot create the benchmark topics at " + bootstrapServers + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  private static Map<String, String> producerSettings() {
    final Map<String, String> m = new LinkedHashMap<>();
    m.put("acks", "all");
    m.put("linger.ms", "5");
    m.put("batch.size", "524288");
    m.put("compression.type", "none");
    m.put("max.request.size", "1048576");
    return Collections.unmodifiableMap(m);
  }
}
