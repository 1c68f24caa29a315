package io.vidctx.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.kafka.FramePublisher;
import io.vidctx.ingest.kafka.KafkaFrameSource;
import io.vidctx.ingest.kafka.KafkaSourceConfig;
import io.vidctx.ingest.kafka.PublishResult;
import io.vidctx.ingest.kafka.PublisherConfig;
import io.vidctx.ingest.kafka.broker.EmbeddedKafka;
import io.vidctx.ingest.testing.BrokerExitGuard;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole ingest path on real footage: two real clips decoded by FFmpeg, published as JPEG to a
 * real in-process KRaft broker under two stream ids, consumed back: every frame arrives, each
 * stream in order with its own timestamps, and the pixels match within JPEG tolerance.
 */
class VideoKafkaRoundTripTest {
  private static final String TOPIC = "roundtrip.frames";
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    BrokerExitGuard.install();
    kafka = EmbeddedKafka.start(SharedData.work("roundtrip-broker-" + System.nanoTime()));
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
    BrokerExitGuard.reset();
  }

  @Test
  void shouldDeliverEveryFrameOfRealClipsInOrderWithMatchingPixels() {
    final Map<String, List<VideoFrame>> published = new HashMap<>();
    published.put("car", publish("car_detection.mp4", "car", 2.0));
    published.put("campus", publish("vtest.avi", "campus", 1.0));

    final Map<String, List<VideoFrame>> consumed = new HashMap<>();
    final KafkaSourceConfig config = new KafkaSourceConfig(
        kafka.bootstrapServers(), TOPIC, null, null, Duration.ofSeconds(5), -1, null, Map.of());
    try (KafkaFrameSource source = new KafkaFrameSource(config)) {
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        consumed.computeIfAbsent(f.get().streamId(), k -> new ArrayList<>()).add(f.get());
      }
      assertEquals(0, source.malformedRecords());
    }

    assertEquals(published.keySet(), consumed.keySet());
    for (final String stream : published.keySet()) {
      final List<VideoFrame> sent = published.get(stream);
      final List<VideoFrame> got = consumed.get(stream);
      assertEquals(sent.size(), got.size(), stream + ": every published frame comes back once");
      for (int i = 0; i < sent.size(); i++) {
        final VideoFrame a = sent.get(i);
        final VideoFrame b = got.get(i);
        assertEquals(a.index(), b.index(), stream + " order");
        assertEquals(a.ptsMicros(), b.ptsMicros(), stream + " timestamp of frame " + i);
        assertEquals(a.width(), b.width());
        assertEquals(a.height(), b.height());
        final double err = meanAbsoluteError(a.rgb(), b.rgb());
        assertTrue(err < 4.0, stream + " frame " + i + ": mean abs pixel error " + err + " beyond JPEG q90 tolerance");
      }
    }
  }

  private static List<VideoFrame> publish(final String clip, final String streamId, final double fps) {
    final List<VideoFrame> frames = new ArrayList<>();
    final DecodeOptions options = DecodeOptions.DEFAULTS.withStreamId(streamId).withFps(fps);
    try (VideoFileSource video = VideoFileSource.open(SharedData.video(clip).toString(), options);
        FramePublisher publisher = new FramePublisher(PublisherConfig.defaults(kafka.bootstrapServers()).withTopic(TOPIC))) {
      final FrameSource recording = new FrameSource() {
        @Override
        public Optional<VideoFrame> next() {
          final Optional<VideoFrame> f = video.next();
          f.ifPresent(frames::add);
          return f;
        }

        @Override
        public String describe() {
          return video.describe();
        }

        @Override
        public void close() {}
      };
      final PublishResult result = publisher.publish(recording, n -> {});
      assertEquals(frames.size(), result.frames(), "frames acknowledged");
    }
    assertTrue(frames.size() > 20, clip + " yields frames: " + frames.size());
    return frames;
  }

  private static double meanAbsoluteError(final byte[] a, final byte[] b) {
    assertEquals(a.length, b.length);
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return (double) sum / a.length;
  }
}
