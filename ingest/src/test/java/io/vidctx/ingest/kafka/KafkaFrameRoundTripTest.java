package io.vidctx.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.kafka.broker.EmbeddedKafka;
import io.vidctx.ingest.testing.BrokerExitGuard;
import io.vidctx.ingest.ListFrameSource;
import io.vidctx.ingest.testing.Photos;
import io.vidctx.ingest.testing.SharedData;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Frames made from the real photos through a real in-process broker: publish, consume, dead-letter,
 * size limits and group commits. One broker for the class.
 */
class KafkaFrameRoundTripTest {
  private static final Duration IDLE = Duration.ofMillis(1000);
  private static final int W = 480;
  private static final int H = 320;

  private static EmbeddedKafka kafka;
  private static List<VideoFrame> photoFrames;

  @BeforeAll
  static void startBroker() {
    BrokerExitGuard.install();
    kafka = EmbeddedKafka.start(SharedData.work("kafka-round-trip/broker-" + System.nanoTime()));
    photoFrames = Photos.interleavedFrames("cam-a", "cam-b", W, H);
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
    BrokerExitGuard.reset();
  }

  @Test
  void shouldDeliverEveryPublishedPhotoInStreamOrderWithinJpegError() {
    final String topic = "photos-jpeg";
    assertTrue(Topics.ensure(kafka.bootstrapServers(), topic, 3));
    assertEquals(Optional.of(3), Topics.partitions(kafka.bootstrapServers(), topic));
    final List<Long> progress = new ArrayList<>();
    final PublishResult result;
    final ListFrameSource source = new ListFrameSource(photoFrames);
    try (FramePublisher publisher = new FramePublisher(PublisherConfig.defaults(kafka.bootstrapServers())
        .withTopic(topic))) {
      result = publisher.publish(source, progress::add);
    }
    assertEquals(16, result.frames());
    assertTrue(result.valueBytes() > 16 * 5_000 && result.valueBytes() < 16 * W * H * 3 / 4, "JPEG value bytes "
        + result.valueBytes());
    assertEquals(16, progress.size());
    assertEquals(16L, progress.get(15));
    assertFalse(source.isClosed(), "publish leaves the source to its owner");

    final List<VideoFrame> got = readAll(config(topic));
    assertEquals(16, got.size());
    for (final String stream : List.of("cam-a", "cam-b")) {
      final List<VideoFrame> sent = photoFrames.stream().filter(f -> f.streamId().equals(stream)).toList();
      final List<VideoFrame> back = got.stream().filter(f -> f.streamId().equals(stream)).toList();
      assertEquals(sent.size(), back.size(), stream);
      for (int i = 0; i < sent.size(); i++) {
        assertEquals(sent.get(i).index(), back.get(i).index(), stream + " order");
        assertEquals(sent.get(i).ptsMicros(), back.get(i).ptsMicros(), stream + " pts");
        assertEquals(W, back.get(i).width());
        assertEquals(H, back.get(i).height());
        final double mae = Photos.meanAbsoluteError(sent.get(i).rgb(), back.get(i).rgb());
        assertTrue(mae < 10, stream + " #" + i + " mean abs error " + mae);
      }
    }
  }

  @Test
  void shouldCarryRawAndPngFramesExactly() {
    for (final ImageFormat format : List.of(ImageFormat.RAW, ImageFormat.PNG)) {
      final String topic = "photos-" + format.wireName();
      Topics.ensure(kafka.bootstrapServers(), topic, 1);
      final List<VideoFrame> frames = photoFrames.subList(0, 6);
      try (FramePublisher publisher = new FramePublisher(PublisherConfig.defaults(kafka.bootstrapServers())
          .withTopic(topic).withFormat(format))) {
        assertEquals(6, publisher.publish(new ListFrameSource(frames), n -> { }).frames());
      }
      final List<VideoFrame> got = readAll(config(topic));
      assertEquals(6, got.size(), format.toString());
      for (int i = 0; i < frames.size(); i++) {
        assertEquals(frames.get(i).streamId(), got.get(i).streamId());
        assertEquals(frames.get(i).index(), got.get(i).index());
        assertArrayEquals(frames.get(i).rgb(), got.get(i).rgb(), format + " frame " + i);
      }
    }
  }

  @Test
  void shouldDeadLetterMalformedRecordsAndDeliverEveryGoodFrame() throws Exception {
    final String topic = "mixed";
    final String dlq = "mixed.dlq";
    Topics.ensure(kafka.bootstrapServers(), topic, 1);
    final ImageCodec codec = new ImageCodec();
    final List<EncodedFrame> good = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      good.add(FrameWireFormat.encode(photoFrames.get(2 * i), ImageFormat.JPEG, codec));
    }
    final byte[] realJpeg = Files.readAllBytes(SharedData.image("eagle.jpg"));
    final byte[] truncated = Arrays.copyOf(realJpeg, realJpeg.length * 6 / 10);
    final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    records.add(bytesRecord(topic, FrameWireFormat.toRecord(topic, good.get(0))));
    // 1: a picture with no headers at all
    records.add(new ProducerRecord<>(topic, null, null, utf8("cam-a"), realJpeg, new RecordHeaders()));
    records.add(bytesRecord(topic, FrameWireFormat.toRecord(topic, good.get(1))));
    // 3: headers fine, JPEG cut to 60 %
    records.add(bytesRecord(topic, FrameWireFormat.toRecord(topic,
        new EncodedFrame("cam-a", 99, 0, 773, 512, ImageFormat.JPEG, truncated))));
    records.add(bytesRecord(topic, FrameWireFormat.toRecord(topic, good.get(2))));
    // 5: raw that is one row short
    records.add(bytesRecord(topic, FrameWireFormat.toRecord(topic,
        new EncodedFrame("cam-a", 100, 0, 64, 48, ImageFormat.RAW, new byte[64 * 47 * 3]))));
    records.add(bytesRecord(topic, FrameWireFormat.toRecord(topic, good.get(3))));
    try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
      for (final ProducerRecord<byte[], byte[]> r : records) {
        producer.send(r).get(30, TimeUnit.SECONDS);
      }
    }

    final List<VideoFrame> got = new ArrayList<>();
    final long malformed;
    try (KafkaFrameSource source = new KafkaFrameSource(config(topic).withDeadLetterTopic(dlq))) {
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        got.add(f.get());
      }
      malformed = source.malformedRecords();
      assertEquals(4, source.deliveredFrames());
    }
    assertEquals(3, malformed);
    assertEquals(List.of(0L, 1L, 2L, 3L), got.stream().map(VideoFrame::index).toList());

    final List<ConsumerRecord<byte[], byte[]>> dead = readRaw(dlq, 3);
    assertEquals(3, dead.size());
    final long[] offsets = {1, 3, 5};
    final String[] reasons = {"is missing header vidctx.index", "truncated", "needs exactly 9216 bytes"};
    for (int i = 0; i < 3; i++) {
      final ConsumerRecord<byte[], byte[]> d = dead.get(i);
      final ProducerRecord<byte[], byte[]> original = records.get((int) offsets[i]);
      assertArrayEquals(original.key(), d.key());
      assertArrayEquals(original.value(), d.value(), "original bytes kept");
      for (final Header h : original.headers()) {
        assertArrayEquals(h.value(), d.headers().lastHeader(h.key()).value(), "original header " + h.key());
      }
      final String reason = text(d.headers(), KafkaFrameSource.DLQ_REASON);
      assertTrue(reason.contains("record mixed-0@" + offsets[i]), reason);
      assertTrue(reason.contains(reasons[i]), reason);
      assertEquals("ingest", text(d.headers(), KafkaFrameSource.DLQ_STAGE));
      assertEquals(topic, text(d.headers(), KafkaFrameSource.DLQ_TOPIC));
      assertEquals("0", text(d.headers(), KafkaFrameSource.DLQ_PARTITION));
      assertEquals(Long.toString(offsets[i]), text(d.headers(), KafkaFrameSource.DLQ_OFFSET));
    }
  }

  @Test
  void shouldRefuseAnOversizedFrameAtTheProducerAndSendNothingForIt() {
    final String topic = "oversized";
    Topics.ensure(kafka.bootstrapServers(), topic, 1);
    final DecodedImage kites = Photos.read("kites_beach.jpg"); // 1352x900: ~2.5 MB as PNG
    final VideoFrame big = new VideoFrame("cam-a", 0, 0, kites.width(), kites.height(), kites.rgb());
    try (FramePublisher publisher = new FramePublisher(PublisherConfig.defaults(kafka.bootstrapServers())
        .withTopic(topic).withFormat(ImageFormat.PNG))) {
      final RecordTooLargeException e = assertThrows(RecordTooLargeException.class, () -> publisher.send(big));
      assertTrue(e.recordBytes() > 1_000_000, "record bytes " + e.recordBytes());
      assertEquals(1_000_000, e.limitBytes());
      assertTrue(e.getMessage().contains("over the 1,000,000-byte limit"), e.getMessage());
      assertTrue(e.getMessage().contains(String.format(java.util.Locale.ROOT, "%,d-byte record", e.recordBytes())),
          e.getMessage());
      assertTrue(e.getMessage().contains("JPEG instead of png"), e.getMessage());
      assertTrue(e.getMessage().contains("max.message.bytes"), e.getMessage());
      // The publisher stays usable: the next, smaller frame goes through.
      publisher.send(photoFrames.get(1));
      publisher.flush();
      assertEquals(1, publisher.acknowledgedFrames());
    }
    final List<VideoFrame> got = readAll(config(topic));
    assertEquals(1, got.size(), "only the small frame reached the topic");
    assertEquals("cam-b", got.get(0).streamId());
  }

  @Test
  void shouldSendAnOversizedFrameByReferenceWhenAClaimCheckDirIsSetAndDeliverItBitExact() throws Exception {
    final String topic = "claim-check";
    Topics.ensure(kafka.bootstrapServers(), topic, 1);
    final DecodedImage kites = Photos.resize(Photos.read("kites_beach.jpg"), 1280, 720);
    final VideoFrame big = new VideoFrame("site-1/cam a", 3, 120_000, 1280, 720, kites.rgb()); // 2.7 MB raw
    final VideoFrame small = new VideoFrame("site-1/cam a", 2, 80_000, W, H, photoFrames.get(0).rgb()); // 460 KB
    final Path claims = SharedData.work("kafka-round-trip/claims-" + System.nanoTime());
    final PublisherConfig raw = PublisherConfig.defaults(kafka.bootstrapServers()).withTopic(topic)
        .withFormat(ImageFormat.RAW).withMaxRecordBytes(1_000_000);

    try (FramePublisher publisher = new FramePublisher(raw)) {
      final RecordTooLargeException e = assertThrows(RecordTooLargeException.class, () -> publisher.send(big));
      assertTrue(e.recordBytes() > 1280 * 720 * 3, "record bytes " + e.recordBytes());
      assertTrue(e.getMessage().contains("over the 1,000,000-byte limit"), e.getMessage());
      assertTrue(e.getMessage().contains("claim-check folder (PublisherConfig.withClaimCheckDir, vidctx publish"
          + " --claim-check-dir DIR)"), "the message names the option: " + e.getMessage());
    }
    try (Stream<Path> none = Files.list(claims)) {
      assertEquals(0, none.count(), "nothing written without a claim-check folder");
    }

    try (FramePublisher publisher = new FramePublisher(raw.withClaimCheckDir(claims))) {
      publisher.send(small);
      publisher.send(big);
      publisher.flush();
      assertEquals(2, publisher.acknowledgedFrames());
      assertEquals(1, publisher.claimCheckedFrames(), "only the frame over the limit goes by reference");
    }

    final List<VideoFrame> got = readAll(config(topic));
    assertEquals(List.of(2L, 3L), indexes(got));
    assertArrayEquals(small.rgb(), got.get(0).rgb());
    assertArrayEquals(big.rgb(), got.get(1).rgb(), "the claim-checked picture arrives bit-exact");
    assertEquals(120_000, got.get(1).ptsMicros());
    assertEquals("site-1/cam a", got.get(1).streamId());

    final List<ConsumerRecord<byte[], byte[]>> onTopic = readRaw(topic, 2);
    assertEquals(2, onTopic.size());
    assertEquals(W * H * 3, onTopic.get(0).value().length, "the small frame travels in its record");
    assertNull(onTopic.get(0).headers().lastHeader(FrameWireFormat.HEADER_REF));
    final ConsumerRecord<byte[], byte[]> ref = onTopic.get(1);
    assertEquals(0, ref.value().length, "the big frame's record carries no picture");
    final int recordBytes = ref.serializedKeySize() + ref.serializedValueSize()
        + Arrays.stream(ref.headers().toArray()).mapToInt(h -> h.key().length() + h.value().length).sum();
    assertTrue(recordBytes < 400, "reference record of " + recordBytes + " bytes");
    assertEquals("raw", text(ref.headers(), FrameWireFormat.HEADER_FORMAT), "the other headers unchanged");
    assertEquals("1280", text(ref.headers(), FrameWireFormat.HEADER_WIDTH));
    final URI uri = URI.create(text(ref.headers(), FrameWireFormat.HEADER_REF));
    assertEquals("file", uri.getScheme());
    final Path file = Path.of(uri);
    assertEquals("3.rgb", file.getFileName().toString());
    assertEquals(claims.toAbsolutePath().normalize(), file.getParent().getParent());
    assertTrue(file.getParent().getFileName().toString().matches("site-1_cam_a-[0-9a-f]{8}"), file.toString());
    assertArrayEquals(big.rgb(), Files.readAllBytes(file));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "no temporary file left behind");
    }
  }

  @Test
  void shouldDeadLetterAReferenceToAMissingFileNamingIt() throws Exception {
    final String topic = "claim-check-missing";
    final String dlq = "claim-check-missing.dlq";
    Topics.ensure(kafka.bootstrapServers(), topic, 1);
    final Path gone = SharedData.work("kafka-round-trip/claims-gone-" + System.nanoTime()).resolve("cam-a/5.jpg");
    final ProducerRecord<byte[], byte[]> dangling = bytesRecord(topic, FrameWireFormat.toReferenceRecord(topic,
        new EncodedFrame("cam-a", 5, 200_000, W, H, ImageFormat.JPEG, new byte[0]), gone.toUri()));
    final EncodedFrame good = FrameWireFormat.encode(photoFrames.get(2), ImageFormat.JPEG, new ImageCodec());
    try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
      producer.send(dangling).get(30, TimeUnit.SECONDS);
      producer.send(bytesRecord(topic, FrameWireFormat.toRecord(topic, good))).get(30, TimeUnit.SECONDS);
    }

    try (KafkaFrameSource source = new KafkaFrameSource(config(topic).withDeadLetterTopic(dlq))) {
      final Optional<VideoFrame> first = source.next();
      assertTrue(first.isPresent());
      assertEquals(good.index(), first.get().index(), "the good frame after the dangling reference");
      assertTrue(source.next().isEmpty());
      assertEquals(1, source.malformedRecords());
    }
    final List<ConsumerRecord<byte[], byte[]>> dead = readRaw(dlq, 1);
    assertEquals(1, dead.size());
    final String reason = text(dead.get(0).headers(), KafkaFrameSource.DLQ_REASON);
    assertTrue(reason.startsWith("record claim-check-missing-0@0 refers to its picture by vidctx.ref = " + gone.toUri()),
        reason);
    assertTrue(reason.contains("file " + gone + " does not exist"), reason);
    assertEquals(0, dead.get(0).value().length, "the record as it was: empty value");
    assertEquals(gone.toUri().toString(), text(dead.get(0).headers(), FrameWireFormat.HEADER_REF));
  }

  @Test
  void shouldRethrowABrokerRefusalFromTheNextCallNamingTheFrame() {
    final String topic = "small-limit";
    Topics.ensure(kafka.bootstrapServers(), topic, 1, Map.of("max.message.bytes", "20000"));
    final PublisherConfig cfg = PublisherConfig.defaults(kafka.bootstrapServers()).withTopic(topic);
    try (FramePublisher publisher = new FramePublisher(cfg)) {
      publisher.send(photoFrames.get(4)); // ~20–40 KB JPEG: accepted locally, refused by the topic
      final IngestException e = assertThrows(IngestException.class, publisher::flush);
      assertTrue(e.getMessage().contains("frame cam-a #2 was not written to topic small-limit"), e.getMessage());
      assertTrue(e.getMessage().contains("max.message.bytes"), e.getMessage());
      final IngestException again = assertThrows(IngestException.class, () -> publisher.send(photoFrames.get(6)));
      assertTrue(again.getMessage().contains("frame cam-a #2"), "the first failure stays: " + again.getMessage());
    }
  }

  @Test
  void shouldWriteWhatABrokenSourceDeliveredBeforeRethrowingItsError() {
    final String topic = "broken-source";
    Topics.ensure(kafka.bootstrapServers(), topic, 1);
    final ListFrameSource three = new ListFrameSource(photoFrames.subList(0, 3));
    final FrameSource breaking = new FrameSource() {
      @Override
      public Optional<VideoFrame> next() {
        final Optional<VideoFrame> f = three.next();
        if (f.isEmpty()) {
          throw new IngestException.CorruptVideoException("clip.mp4 breaks off at 0.12 s", 120_000, 3);
        }
        return f;
      }

      @Override
      public String describe() {
        return "breaking";
      }

      @Override
      public void close() {}
    };
    try (FramePublisher publisher = new FramePublisher(PublisherConfig.defaults(kafka.bootstrapServers())
        .withTopic(topic))) {
      final IngestException.CorruptVideoException e = assertThrows(IngestException.CorruptVideoException.class,
          () -> publisher.publish(breaking, n -> { }));
      assertEquals(3, e.framesDelivered());
      assertEquals(3, publisher.acknowledgedFrames(), "frames before the break are acknowledged already");
    }
    assertEquals(List.of("cam-a", "cam-b", "cam-a"), readAll(config(topic)).stream().map(VideoFrame::streamId).toList());
  }

  @Test
  void shouldResumeAConsumerGroupWhereItsCommittedOffsetsEnd() {
    final String topic = "grouped";
    Topics.ensure(kafka.bootstrapServers(), topic, 1);
    final List<VideoFrame> frames = photoFrames.stream().filter(f -> f.streamId().equals("cam-a")).toList();
    try (FramePublisher publisher = new FramePublisher(PublisherConfig.defaults(kafka.bootstrapServers())
        .withTopic(topic))) {
      publisher.publish(new ListFrameSource(frames), n -> { });
    }
    final KafkaSourceConfig group = config(topic).withGroupId("readers");
    assertEquals(List.of(0L, 1L, 2L), indexes(readAll(group.withMaxFrames(3))));
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L), indexes(readAll(group)));
    assertEquals(List.of(), indexes(readAll(group)), "everything was committed");
    assertEquals(8, readAll(config(topic)).size(), "no group: from the beginning again");
  }

  @Test
  void shouldDeliverOnlyTheRequestedStream() {
    final String topic = "photos-two-streams";
    Topics.ensure(kafka.bootstrapServers(), topic, 1);
    try (FramePublisher publisher = new FramePublisher(PublisherConfig.defaults(kafka.bootstrapServers())
        .withTopic(topic))) {
      publisher.publish(new ListFrameSource(photoFrames), n -> { });
    }
    final List<VideoFrame> b = readAll(config(topic).withStreamId("cam-b"));
    assertEquals(8, b.size());
    assertTrue(b.stream().allMatch(f -> f.streamId().equals("cam-b")));
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), indexes(b));
  }

  @Test
  void shouldSayWhenTheTopicDoesNotExist() {
    try (KafkaFrameSource source = new KafkaFrameSource(config("no-such-topic").withIdleTimeout(Duration.ofMillis(500)))) {
      final IngestException.SourceNotFoundException e =
          assertThrows(IngestException.SourceNotFoundException.class, source::next);
      assertTrue(e.getMessage().contains("topic 'no-such-topic' does not exist on " + kafka.bootstrapServers()),
          e.getMessage());
      assertEquals("no-such-topic@" + kafka.bootstrapServers(), source.describe());
    }
  }

  private static KafkaSourceConfig config(final String topic) {
    return KafkaSourceConfig.defaults(kafka.bootstrapServers()).withTopic(topic).withIdleTimeout(IDLE);
  }

  private static List<VideoFrame> readAll(final KafkaSourceConfig config) {
    final List<VideoFrame> out = new ArrayList<>();
    try (KafkaFrameSource source = new KafkaFrameSource(config)) {
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        out.add(f.get());
      }
      assertEquals(0, source.malformedRecords());
    }
    return out;
  }

  private static List<Long> indexes(final List<VideoFrame> frames) {
    return frames.stream().map(VideoFrame::index).toList();
  }

  private static List<ConsumerRecord<byte[], byte[]>> readRaw(final String topic, final int expected) {
    final Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      out.addAll(consumer.poll(Duration.ofMillis(300)).records(tp)); // nothing more may follow
    }
    return out;
  }

  private static KafkaProducer<byte[], byte[]> rawProducer() {
    final Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 5 * 1024 * 1024);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static ProducerRecord<byte[], byte[]> bytesRecord(final String topic, final ProducerRecord<String, byte[]> r) {
    return new ProducerRecord<>(topic, null, null, utf8(r.key()), r.value(), r.headers());
  }

  private static byte[] utf8(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(final Headers headers, final String name) {
    final Header h = headers.lastHeader(name);
    assertNotNull(h, "header " + name);
    return new String(h.value(), StandardCharsets.UTF_8);
  }
}
