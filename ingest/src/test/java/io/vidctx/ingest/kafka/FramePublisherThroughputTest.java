package io.vidctx.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.kafka.broker.EmbeddedKafka;
import io.vidctx.ingest.testing.BrokerExitGuard;
import io.vidctx.ingest.ListFrameSource;
import io.vidctx.ingest.testing.Photos;
import io.vidctx.ingest.testing.SharedData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints publish and read rates of 720p JPEG frames (the 16 photos scaled to 1280x720, cycled) on
 * the embedded broker. A measurement, not a check: it asserts only that every frame arrived. Run
 * with {@code mvn -pl ingest test -Pslow -Dtest=FramePublisherThroughputTest}.
 */
@Tag("slow")
class FramePublisherThroughputTest {
  private static final int FRAMES = 480;

  @Test
  void shouldPrintPublishAndReadRatesOf720pJpegFrames() {
    final List<DecodedImage> photos = new ArrayList<>();
    for (final Photos.Photo p : Photos.all()) {
      photos.add(Photos.resize(Photos.read(p.file()), 1280, 720));
    }
    final List<VideoFrame> frames = new ArrayList<>();
    for (int i = 0; i < FRAMES; i++) {
      frames.add(new VideoFrame("bench", i, i * 33_333L, 1280, 720, photos.get(i % photos.size()).rgb()));
    }
    final ImageCodec codec = new ImageCodec(90);
    final long e0 = System.nanoTime();
    long jpegBytes = 0;
    for (final VideoFrame f : frames) {
      jpegBytes += codec.encode(f.rgb(), 1280, 720, ImageFormat.JPEG).length;
    }
    final double encodeSeconds = (System.nanoTime() - e0) / 1e9;
    System.out.printf(Locale.ROOT, "JPEG encode only: %.1f frames/s, mean %.0f KB/frame%n", FRAMES / encodeSeconds,
        jpegBytes / 1e3 / FRAMES);

    BrokerExitGuard.install();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(SharedData.work("throughput/broker-" + System.nanoTime()))) {
      System.out.println("broker start: " + kafka.startupMillis() + " ms");
      Topics.ensure(kafka.bootstrapServers(), "bench", 1);
      final PublishResult r;
      try (FramePublisher publisher = new FramePublisher(
          PublisherConfig.defaults(kafka.bootstrapServers()).withTopic("bench"))) {
        r = publisher.publish(new ListFrameSource(frames), n -> { });
      }
      System.out.printf(Locale.ROOT, "publish (encode + send + ack): %d frames, %.1f frames/s, %.1f MB/s%n",
          r.frames(), r.framesPerSecond(), r.megabytesPerSecond());
      assertEquals(FRAMES, r.frames());

      final List<EncodedFrame> encoded = new ArrayList<>();
      for (final VideoFrame f : frames) {
        encoded.add(FrameWireFormat.encode(f, ImageFormat.JPEG, codec));
      }
      Topics.ensure(kafka.bootstrapServers(), "bench-pre", 1);
      try (FramePublisher publisher = new FramePublisher(
          PublisherConfig.defaults(kafka.bootstrapServers()).withTopic("bench-pre"))) {
        final long s0 = System.nanoTime();
        for (final EncodedFrame f : encoded) {
          publisher.sendEncoded(f);
        }
        publisher.flush();
        final double s = (System.nanoTime() - s0) / 1e9;
        System.out.printf(Locale.ROOT, "sendEncoded (pre-encoded, send + ack): %.1f frames/s, %.1f MB/s%n",
            FRAMES / s, jpegBytes / 1e6 / s);
      }

      final long c0 = System.nanoTime();
      long read = 0;
      try (KafkaFrameSource source = new KafkaFrameSource(KafkaSourceConfig.defaults(kafka.bootstrapServers())
          .withTopic("bench").withMaxFrames(FRAMES).withIdleTimeout(Duration.ofSeconds(10)))) {
        for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
          read++;
        }
      }
      final double readSeconds = (System.nanoTime() - c0) / 1e9;
      System.out.printf(Locale.ROOT, "read (fetch + JPEG decode): %.1f frames/s%n", read / readSeconds);
      assertEquals(FRAMES, read);
    } finally {
      BrokerExitGuard.reset();
    }
  }
}
