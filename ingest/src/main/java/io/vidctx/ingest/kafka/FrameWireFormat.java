package io.vidctx.ingest.kafka;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.IngestException.MalformedRecordException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka frame wire format, which any producer may follow (DESIGN.md "ingest"): key = stream id
 * (UTF-8; keeps one stream's frames ordered in one partition); value = the picture as JPEG (default),
 * PNG or raw RGB24; headers carry index, presentation time, size and format as UTF-8 decimal text.
 *
 * <pre>
 * key            stream id, UTF-8, non-empty
 * value          picture bytes in the header's format (raw: exactly width*height*3 bytes)
 * vidctx.index   frame number within the stream, decimal, &gt;= 0
 * vidctx.pts-us  presentation time in microseconds, decimal (may be negative)
 * vidctx.width   picture width in pixels, decimal, &gt; 0
 * vidctx.height  picture height in pixels, decimal, &gt; 0
 * vidctx.format  jpeg | png | raw
 * vidctx.ref     optional: the picture travels by reference (claim check) as a file: URI, UTF-8,
 *                e.g. file:///data/claims/cam-1/42.rgb; the value is then empty (0 bytes) and
 *                the headers above describe the picture in the file
 * </pre>
 *
 * <p>A reference is resolved while reading ({@link #fromParts}): the file is read in place of the
 * value, so every consumer gets the picture as if it had travelled in the record. {@link
 * FramePublisher} writes one for a frame over its record limit when a claim-check folder is set
 * ({@link PublisherConfig#withClaimCheckDir}); the file exists before the record is sent. Only
 * {@code file:} URIs are read; every consumer must see the file under the same path.
 *
 * <p>Reading is strict: a record that breaks any line above is a {@link MalformedRecordException}
 * whose message names the record (topic, partition, offset) and the exact problem. When a header
 * appears more than once the last one counts (Kafka's {@code lastHeader}). A reference that is not a
 * {@code file:} URI, names a missing or unreadable file, or comes with a non-empty value is malformed
 * too, and the message names the URI. Keys are read as
 * {@code String} here; consumers that keep keys as bytes (to forward them unchanged) use {@link
 * #fromParts} with {@link #streamIdOf}.
 */
public final class FrameWireFormat {
  public static final String DEFAULT_TOPIC = "vidctx.frames";
  public static final String HEADER_INDEX = "vidctx.index";
  public static final String HEADER_PTS_US = "vidctx.pts-us";
  public static final String HEADER_WIDTH = "vidctx.width";
  public static final String HEADER_HEIGHT = "vidctx.height";
  public static final String HEADER_FORMAT = "vidctx.format";
  /** Optional: the picture's {@code file:} URI when it travels by reference (claim check); the value is empty. */
  public static final String HEADER_REF = "vidctx.ref";

  // Batch and record framing the producer adds around key, value and headers (record varints,
  // attributes, timestamp and offset deltas, header counts); generous so the estimate never
  // undershoots what the broker measures.
  private static final int RECORD_OVERHEAD_BYTES = 128;

  private FrameWireFormat() {}

  /** The record for {@code frame} on {@code topic}; the partition is left to the key's hash. */
  public static ProducerRecord<String, byte[]> toRecord(final String topic, final EncodedFrame frame) {
    Objects.requireNonNull(topic, "topic");
    final RecordHeaders headers = new RecordHeaders();
    headers.add(HEADER_INDEX, ascii(Long.toString(frame.index())));
    headers.add(HEADER_PTS_US, ascii(Long.toString(frame.ptsMicros())));
    headers.add(HEADER_WIDTH, ascii(Integer.toString(frame.width())));
    headers.add(HEADER_HEIGHT, ascii(Integer.toString(frame.height())));
    headers.add(HEADER_FORMAT, ascii(frame.format().wireName()));
    return new ProducerRecord<>(topic, null, null, frame.streamId(), frame.data(), headers);
  }

  /**
   * The record for {@code frame} when its picture travels by reference: the same headers as {@link
   * #toRecord} plus {@link #HEADER_REF} = {@code picture}, and an empty value. The file must hold
   * {@code frame}'s picture before the record is sent.
   */
  public static ProducerRecord<String, byte[]> toReferenceRecord(final String topic, final EncodedFrame frame,
      final URI picture) {
    Objects.requireNonNull(picture, "picture");
    final ProducerRecord<String, byte[]> r = toRecord(topic, new EncodedFrame(frame.streamId(), frame.index(),
        frame.ptsMicros(), frame.width(), frame.height(), frame.format(), new byte[0]));
    r.headers().add(HEADER_REF, picture.toString().getBytes(StandardCharsets.UTF_8));
    return r;
  }

  /**
   * Bytes a record takes on the wire, an upper bound: key, value and headers plus framing. Compare
   * it with {@code max.request.size} and the topic's {@code max.message.bytes}.
   */
  public static int recordSize(final ProducerRecord<String, byte[]> record) {
    long size = RECORD_OVERHEAD_BYTES;
    if (record.key() != null) {
      size += record.key().getBytes(StandardCharsets.UTF_8).length;
    }
    if (record.value() != null) {
      size += record.value().length;
    }
    for (final Header h : record.headers()) {
      size += h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length) + 10;
    }
    return (int) Math.min(Integer.MAX_VALUE, size);
  }

  /**
   * The frame a record carries, picture still encoded.
   *
   * @throws MalformedRecordException when the record does not follow the wire format; the message
   *     names topic, partition and offset and the header or field at fault
   */
  public static EncodedFrame fromRecord(final ConsumerRecord<String, byte[]> record) {
    return fromParts(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
        record.headers());
  }

  /**
   * The frame made of a record's parts, for callers that do not hold a {@link ConsumerRecord}
   * (Kafka Streams processors, consumers with byte keys). A picture sent by reference ({@link
   * #HEADER_REF}) is read from its file here, so the frame always holds the picture bytes.
   *
   * @throws MalformedRecordException as {@link #fromRecord}
   */
  public static EncodedFrame fromParts(
      final String topic,
      final int partition,
      final long offset,
      final @Nullable String key,
      final byte @Nullable [] value,
      final Headers headers) {
    final String where = where(topic, partition, offset);
    if (key == null) {
      throw new MalformedRecordException(where + " has no key; the key must be the stream id");
    }
    if (key.isEmpty()) {
      throw new MalformedRecordException(where + " has an empty key; the key must be the stream id");
    }
    if (value == null) {
      throw new MalformedRecordException(where + " has no value (a tombstone?); the value must be the picture");
    }
    final long index = longHeader(where, headers, HEADER_INDEX);
    if (index < 0) {
      throw new MalformedRecordException(where + " has header " + HEADER_INDEX + " = " + index + "; it must be >= 0");
    }
    final long pts = longHeader(where, headers, HEADER_PTS_US);
    final int width = sizeHeader(where, headers, HEADER_WIDTH);
    final int height = sizeHeader(where, headers, HEADER_HEIGHT);
    final String formatName = textHeader(where, headers, HEADER_FORMAT);
    final ImageFormat format;
    try {
      format = ImageFormat.parse(formatName);
    } catch (final IngestException e) {
      throw new MalformedRecordException(
          where + " has header " + HEADER_FORMAT + " = '" + formatName + "', an unknown format; use jpeg, png or raw");
    }
    final Header ref = headers.lastHeader(HEADER_REF);
    if (ref == null) {
      return new EncodedFrame(key, index, pts, width, height, format, value);
    }
    if (ref.value() == null || ref.value().length == 0) {
      throw new MalformedRecordException(where + " has an empty header " + HEADER_REF + "; it must be the picture's"
          + " file: URI");
    }
    if (value.length != 0) {
      throw new MalformedRecordException(where + " has header " + HEADER_REF + " and a " + value.length + "-byte value;"
          + " a record that carries its picture by reference must have an empty value");
    }
    final byte[] picture = ClaimCheck.read(where, new String(ref.value(), StandardCharsets.UTF_8), width, height);
    return new EncodedFrame(key, index, pts, width, height, format, picture);
  }

  /**
   * A byte key as a stream id: strict UTF-8.
   *
   * @throws MalformedRecordException when the key is missing or not valid UTF-8
   */
  public static String streamIdOf(final String topic, final int partition, final long offset, final byte @Nullable [] key) {
    if (key == null) {
      throw new MalformedRecordException(where(topic, partition, offset) + " has no key; the key must be the stream id");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(key))
          .toString();
    } catch (final CharacterCodingException e) {
      throw new MalformedRecordException(
          where(topic, partition, offset) + " has a key that is not valid UTF-8; the key must be the stream id as text");
    }
  }

  /** Encodes a decoded frame's picture for the wire. */
  public static EncodedFrame encode(final VideoFrame frame, final ImageFormat format, final ImageCodec codec) {
    final byte[] data = codec.encode(frame.rgb(), frame.width(), frame.height(), format);
    return new EncodedFrame(frame.streamId(), frame.index(), frame.ptsMicros(), frame.width(), frame.height(), format,
        data);
  }

  /**
   * Decodes a frame's picture; the decoded size must match the header size.
   *
   * @throws MalformedRecordException when the picture is undecodable or of another size; the
   *     message names the stream and frame index (callers with a record add its position)
   */
  public static VideoFrame decode(final EncodedFrame frame, final ImageCodec codec) {
    final DecodedImage image;
    try {
      image = codec.decode(frame.data(), frame.format(), frame.width(), frame.height());
    } catch (final MalformedRecordException e) {
      throw new MalformedRecordException("frame " + frame.streamId() + " #" + frame.index() + ": " + e.getMessage(), e);
    }
    return new VideoFrame(frame.streamId(), frame.index(), frame.ptsMicros(), image.width(), image.height(),
        image.rgb());
  }

  /** "record vidctx.frames-0@42", the way messages name a record. */
  static String where(final String topic, final int partition, final long offset) {
    return "record " + topic + "-" + partition + "@" + offset;
  }

  private static String textHeader(final String where, final Headers headers, final String name) {
    final Header h = headers.lastHeader(name);
    if (h == null || h.value() == null) {
      throw new MalformedRecordException(where + " is missing header " + name
          + "; frame records need " + HEADER_INDEX + ", " + HEADER_PTS_US + ", " + HEADER_WIDTH + ", "
          + HEADER_HEIGHT + " and " + HEADER_FORMAT);
    }
    return new String(h.value(), StandardCharsets.UTF_8);
  }

  private static long longHeader(final String where, final Headers headers, final String name) {
    final String text = textHeader(where, headers, name);
    try {
      return Long.parseLong(text.trim());
    } catch (final NumberFormatException e) {
      throw new MalformedRecordException(
          where + " has header " + name + " = '" + abbreviate(text) + "', not a decimal integer");
    }
  }

  private static int sizeHeader(final String where, final Headers headers, final String name) {
    final long v = longHeader(where, headers, name);
    if (v <= 0 || v > 65_535) {
      throw new MalformedRecordException(where + " has header " + name + " = " + v + "; it must be in 1..65535 pixels");
    }
    return (int) v;
  }

  private static String abbreviate(final String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static byte[] ascii(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
