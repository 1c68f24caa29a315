package io.vidctx.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.IngestException.MalformedRecordException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.testing.Photos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The frame wire format without a broker: headers written, parsed, and every way to break them. */
class FrameWireFormatTest {
  private static final String TOPIC = "vidctx.frames";
  private static final int PARTITION = 3;
  private static final long OFFSET = 1234;
  private static final String WHERE = "record vidctx.frames-3@1234";

  private final ImageCodec codec = new ImageCodec(90);

  @Test
  void shouldWriteKeyValueAndDecimalHeaders() {
    final byte[] data = {1, 2, 3};
    final ProducerRecord<String, byte[]> r =
        FrameWireFormat.toRecord("frames", new EncodedFrame("cam-7", 42, -5_000, 640, 360, ImageFormat.PNG, data));
    assertEquals("frames", r.topic());
    assertNull(r.partition(), "the partition follows the key");
    assertEquals("cam-7", r.key());
    assertSame(data, r.value());
    assertEquals("42", header(r.headers(), FrameWireFormat.HEADER_INDEX));
    assertEquals("-5000", header(r.headers(), FrameWireFormat.HEADER_PTS_US));
    assertEquals("640", header(r.headers(), FrameWireFormat.HEADER_WIDTH));
    assertEquals("360", header(r.headers(), FrameWireFormat.HEADER_HEIGHT));
    assertEquals("png", header(r.headers(), FrameWireFormat.HEADER_FORMAT));
    assertTrue(FrameWireFormat.recordSize(r) > data.length + "cam-7".length(), "size counts key, value, headers");
  }

  @Test
  void shouldParseWhatItWrites() {
    final EncodedFrame sent = new EncodedFrame("streamé", 7, 280_000, 1280, 720, ImageFormat.JPEG, new byte[] {9});
    final ProducerRecord<String, byte[]> r = FrameWireFormat.toRecord(TOPIC, sent);
    final EncodedFrame got = FrameWireFormat.fromRecord(consumed(r.key(), r.value(), r.headers()));
    assertEquals(sent.streamId(), got.streamId());
    assertEquals(7, got.index());
    assertEquals(280_000, got.ptsMicros());
    assertEquals(1280, got.width());
    assertEquals(720, got.height());
    assertEquals(ImageFormat.JPEG, got.format());
    assertArrayEquals(sent.data(), got.data());
  }

  @Test
  void shouldRoundTripARealPhotoThroughEncodeAndDecode() {
    final DecodedImage img = Photos.resize(Photos.read("fruits.jpg"), 320, 240);
    final VideoFrame frame = new VideoFrame("s", 3, 120_000, 320, 240, img.rgb());
    for (final ImageFormat f : ImageFormat.values()) {
      final EncodedFrame enc = FrameWireFormat.encode(frame, f, codec);
      final ProducerRecord<String, byte[]> r = FrameWireFormat.toRecord(TOPIC, enc);
      final VideoFrame back = FrameWireFormat.decode(FrameWireFormat.fromRecord(consumed(r.key(), r.value(),
          r.headers())), codec);
      assertEquals("s", back.streamId());
      assertEquals(3, back.index());
      assertEquals(120_000, back.ptsMicros());
      final double mae = Photos.meanAbsoluteError(frame.rgb(), back.rgb());
      assertTrue(f == ImageFormat.JPEG ? mae < 6 : mae == 0, f + " mean abs error " + mae);
    }
  }

  @Test
  void shouldNameTheMissingHeaderAndTheRecord() {
    for (final String name : new String[] {FrameWireFormat.HEADER_INDEX, FrameWireFormat.HEADER_PTS_US,
        FrameWireFormat.HEADER_WIDTH, FrameWireFormat.HEADER_HEIGHT, FrameWireFormat.HEADER_FORMAT}) {
      final Headers h = goodHeaders();
      h.remove(name);
      final MalformedRecordException e = assertThrows(MalformedRecordException.class,
          () -> FrameWireFormat.fromRecord(consumed("cam", new byte[3], h)));
      assertTrue(e.getMessage().startsWith(WHERE), e.getMessage());
      assertTrue(e.getMessage().contains("is missing header " + name), e.getMessage());
    }
  }

  @Test
  void shouldRefuseNonNumericAndOutOfRangeHeaders() {
    assertBad(FrameWireFormat.HEADER_INDEX, "seven", "header vidctx.index = 'seven', not a decimal integer");
    assertBad(FrameWireFormat.HEADER_INDEX, "-1", "header vidctx.index = -1; it must be >= 0");
    assertBad(FrameWireFormat.HEADER_PTS_US, "1.5", "header vidctx.pts-us = '1.5', not a decimal integer");
    assertBad(FrameWireFormat.HEADER_WIDTH, "0", "header vidctx.width = 0; it must be in 1..65535");
    assertBad(FrameWireFormat.HEADER_HEIGHT, "99999999", "header vidctx.height = 99999999; it must be in 1..65535");
    assertBad(FrameWireFormat.HEADER_WIDTH, "", "header vidctx.width = '', not a decimal integer");
    assertBad(FrameWireFormat.HEADER_FORMAT, "webp", "header vidctx.format = 'webp', an unknown format");
  }

  @Test
  void shouldRefuseNullKeyNullValueAndBadUtf8Keys() {
    final MalformedRecordException noKey = assertThrows(MalformedRecordException.class,
        () -> FrameWireFormat.fromRecord(consumed(null, new byte[3], goodHeaders())));
    assertEquals(WHERE + " has no key; the key must be the stream id", noKey.getMessage());
    final MalformedRecordException noValue = assertThrows(MalformedRecordException.class,
        () -> FrameWireFormat.fromRecord(consumed("cam", null, goodHeaders())));
    assertTrue(noValue.getMessage().startsWith(WHERE + " has no value"), noValue.getMessage());
    final MalformedRecordException badKey = assertThrows(MalformedRecordException.class,
        () -> FrameWireFormat.streamIdOf(TOPIC, PARTITION, OFFSET, new byte[] {(byte) 0xc3, (byte) 0x28}));
    assertTrue(badKey.getMessage().contains("not valid UTF-8"), badKey.getMessage());
    assertEquals("caméra", FrameWireFormat.streamIdOf(TOPIC, PARTITION, OFFSET, "caméra".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldUseTheLastOfRepeatedHeaders() {
    final Headers h = goodHeaders();
    h.add(FrameWireFormat.HEADER_INDEX, "9".getBytes(StandardCharsets.UTF_8));
    assertEquals(9, FrameWireFormat.fromRecord(consumed("cam", new byte[3], h)).index());
  }

  @Test
  void shouldRefuseAPictureWhoseSizeDisagreesWithItsHeaders() {
    final DecodedImage img = Photos.resize(Photos.read("rocket.jpg"), 64, 40);
    final byte[] jpeg = codec.encode(img.rgb(), 64, 40, ImageFormat.JPEG);
    final EncodedFrame lying = new EncodedFrame("cam", 5, 0, 64, 48, ImageFormat.JPEG, jpeg);
    final MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> FrameWireFormat.decode(lying, codec));
    assertTrue(e.getMessage().startsWith("frame cam #5: "), e.getMessage());
    assertTrue(e.getMessage().contains("is 64x40, but its headers say 64x48"), e.getMessage());
    final EncodedFrame shortRaw = new EncodedFrame("cam", 6, 0, 64, 48, ImageFormat.RAW, new byte[64 * 47 * 3]);
    final MalformedRecordException raw =
        assertThrows(MalformedRecordException.class, () -> FrameWireFormat.decode(shortRaw, codec));
    assertTrue(raw.getMessage().contains("needs exactly " + 64 * 48 * 3 + " bytes"), raw.getMessage());
  }

  @Test
  void shouldReadAPictureSentByReferenceAndNameTheUriWhenItCannot() throws Exception {
    final byte[] picture = new byte[4 * 2 * 3];
    for (int i = 0; i < picture.length; i++) {
      picture[i] = (byte) (i * 11);
    }
    final Path dir = Files.createTempDirectory("wire-ref-");
    final Path file = Files.write(dir.resolve("7.rgb"), picture);
    final EncodedFrame frame = new EncodedFrame("cam", 7, 280_000, 4, 2, ImageFormat.RAW, picture);
    final ProducerRecord<String, byte[]> r = FrameWireFormat.toReferenceRecord(TOPIC, frame, file.toUri());
    assertEquals(0, r.value().length, "the value is empty");
    assertEquals(file.toUri().toString(), header(r.headers(), FrameWireFormat.HEADER_REF));
    assertEquals("7", header(r.headers(), FrameWireFormat.HEADER_INDEX), "the other headers as toRecord writes them");

    final EncodedFrame got = FrameWireFormat.fromRecord(consumed(r.key(), r.value(), r.headers()));
    assertArrayEquals(picture, got.data(), "the file's bytes in place of the value");
    assertEquals(7, got.index());
    assertEquals(ImageFormat.RAW, got.format());

    Files.delete(file);
    final MalformedRecordException missing = assertThrows(MalformedRecordException.class,
        () -> FrameWireFormat.fromRecord(consumed(r.key(), r.value(), r.headers())));
    assertTrue(missing.getMessage().startsWith(WHERE + " refers to its picture by vidctx.ref = " + file.toUri()),
        missing.getMessage());
    assertTrue(missing.getMessage().contains(file + " does not exist"), missing.getMessage());

    final Headers http = new RecordHeaders(r.headers().toArray());
    http.add(FrameWireFormat.HEADER_REF, "https://example.com/7.rgb".getBytes(StandardCharsets.UTF_8));
    final MalformedRecordException notFile = assertThrows(MalformedRecordException.class,
        () -> FrameWireFormat.fromRecord(consumed("cam", new byte[0], http)));
    assertTrue(notFile.getMessage().contains("https://example.com/7.rgb, which is not a file: URI"),
        notFile.getMessage());

    final MalformedRecordException both = assertThrows(MalformedRecordException.class,
        () -> FrameWireFormat.fromRecord(consumed("cam", picture, r.headers())));
    assertTrue(both.getMessage().contains("header vidctx.ref and a 24-byte value"), both.getMessage());
    Files.delete(dir);
  }

  private void assertBad(final String name, final String value, final String expected) {
    final Headers h = goodHeaders();
    h.remove(name);
    h.add(name, value.getBytes(StandardCharsets.UTF_8));
    final MalformedRecordException e = assertThrows(MalformedRecordException.class,
        () -> FrameWireFormat.fromRecord(consumed("cam", new byte[3], h)));
    assertTrue(e.getMessage().startsWith(WHERE), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static Headers goodHeaders() {
    return FrameWireFormat.toRecord(TOPIC, new EncodedFrame("cam", 1, 40_000, 1, 1, ImageFormat.RAW, new byte[3]))
        .headers();
  }

  private static ConsumerRecord<String, byte[]> consumed(final String key, final byte[] value, final Headers headers) {
    return new ConsumerRecord<>(TOPIC, PARTITION, OFFSET, 0L, TimestampType.CREATE_TIME, -1, -1, key, value,
        new RecordHeaders(headers.toArray()), Optional.empty());
  }

  private static String header(final Headers headers, final String name) {
    final Header h = headers.lastHeader(name);
    return new String(h.value(), StandardCharsets.UTF_8);
  }
}
