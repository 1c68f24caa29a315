package io.vidctx.ingest.kafka;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes frames to a Kafka topic in the {@link FrameWireFormat}. Owns its producer: use it in
 * try-with-resources.
 *
 * <p>Delivery: records are sent asynchronously with {@code acks=all} and idempotence, so a frame is
 * written once and one stream's frames keep their order in their partition. The first failed
 * delivery is kept and thrown from the next {@link #send}, {@link #sendEncoded}, {@link #flush} or
 * {@link #publish} (naming the frame), and from then on every call fails: a stream with a gap is
 * never silently continued.
 *
 * <p>Size: a record over {@link PublisherConfig#maxRecordBytes} is refused ({@link
 * RecordTooLargeException}) unless a claim-check folder is set; then the picture is written to a
 * file there and the record carries its {@code file:} URI instead ({@link FrameWireFormat#HEADER_REF},
 * empty value), which every reader of the wire format resolves. Byte counts ({@link PublishResult})
 * count picture bytes, those written to files included.
 *
 * <p>Memory is bounded: frames waiting for the broker occupy at most {@code buffer.memory} (64 MB by
 * default); when that is full a send blocks, for up to {@code max.block.ms} (30 s), rather than
 * queueing without limit. A broker that stays too slow for that long fails the send.
 *
 * <p>Thread-safety: sending from several threads is safe, but one stream's frames must come from
 * one thread, in order.
 */
public final class FramePublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FramePublisher.class);
  private static final int MIB = 1024 * 1024;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final PublisherConfig config;
  private final ImageCodec codec;
  private final KafkaProducer<String, byte[]> producer;
  private final AtomicReference<IngestException> failure = new AtomicReference<>();
  private final AtomicLong ackedFrames = new AtomicLong();
  private final AtomicLong ackedValueBytes = new AtomicLong();
  private final AtomicLong claimChecked = new AtomicLong();
  private volatile boolean failureReported;
  private volatile boolean closed;

  /**
   * Creates the producer; no connection is made until the first send.
   *
   * @throws IngestException when the producer settings are invalid (bad server list, unknown
   *     override)
   */
  public FramePublisher(final PublisherConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.codec = new ImageCodec(config.jpegQuality());
    try {
      this.producer = new KafkaProducer<>(producerProperties(config), new StringSerializer(), new ByteArraySerializer());
    } catch (final KafkaException e) {
      throw new IngestException("cannot create a Kafka producer for " + config.bootstrapServers() + ": "
          + rootMessage(e) + "; check the bootstrap servers (host:port,...) and producer overrides", e);
    }
  }

  /** The producer settings used for {@code config}: our defaults, then the overrides. */
  static Map<String, Object> producerProperties(final PublisherConfig config) {
    final Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    // Every replica in sync has the frame before it counts as sent; idempotence removes duplicates
    // from retries and keeps per-partition order with several requests in flight.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Frames come at decode speed (a few ms apart): 10 ms lets several ~100 KB frames share a
    // request without a delay anyone watching a live stream would notice.
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    // The 16 KB default is smaller than one frame, so every frame would be its own batch; 1 MiB
    // holds about ten 720p JPEGs.
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, MIB);
    // JPEG and PNG are already entropy-coded: compressing again costs CPU for ~1 %. Raw RGB24
    // shrinks well with the cheap lz4.
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.format() == ImageFormat.RAW ? "lz4" : "none");
    // Our own size check (maxRecordBytes) refuses big frames with a clear message first; the
    // producer's limit sits above it so it never triggers on a frame we accepted.
    final int maxRequest = Math.max(MIB, config.maxRecordBytes() + 64 * 1024);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequest);
    // The bound on frames waiting for the broker (the backpressure point): 64 MB is ~600 JPEG
    // frames of 720p or ~20 raw ones.
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, (long) Math.max(64 * MIB, 4L * maxRequest));
    // How long a send may block on a full buffer or missing topic metadata before failing.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    p.putAll(config.producerOverrides());
    return p;
  }

  /**
   * Encodes and sends one frame asynchronously.
   *
   * @throws RecordTooLargeException when the encoded record exceeds the configured maximum (the
   *     message says the size, the limit and what to change); nothing is sent for it
   * @throws IngestException when an earlier send failed or the producer could not take the frame
   */
  public void send(final VideoFrame frame) {
    ensureUsable();
    sendEncoded(FrameWireFormat.encode(frame, config.format(), codec));
  }

  /**
   * Sends an already-encoded frame asynchronously (same size check as {@link #send}). A frame over
   * the limit, with a claim-check folder set, has its picture written to a file there first
   * (synchronously, atomically) and is sent as a reference to it ({@link FrameWireFormat#HEADER_REF}).
   */
  public void sendEncoded(final EncodedFrame frame) {
    ensureUsable();
    ProducerRecord<String, byte[]> record = FrameWireFormat.toRecord(config.topic(), frame);
    final int size = FrameWireFormat.recordSize(record);
    if (size > config.maxRecordBytes()) {
      final Path dir = config.claimCheckDir();
      if (dir == null) {
        throw new RecordTooLargeException(tooLargeMessage(frame, size), size, config.maxRecordBytes());
      }
      record = FrameWireFormat.toReferenceRecord(config.topic(), frame, ClaimCheck.write(dir, frame));
      final int refSize = FrameWireFormat.recordSize(record);
      if (refSize > config.maxRecordBytes()) {
        throw new RecordTooLargeException(String.format(Locale.ROOT, "frame %s #%d: even its reference record makes"
            + " %,d bytes, over the %,d-byte limit (maxRecordBytes); use a shorter stream id or claim-check path",
            frame.streamId(), frame.index(), refSize, config.maxRecordBytes()), refSize, config.maxRecordBytes());
      }
      claimChecked.incrementAndGet();
    }
    final long valueBytes = frame.data().length;
    final String name = frame.streamId() + " #" + frame.index();
    try {
      producer.send(record, (metadata, error) -> {
        if (error == null) {
          ackedFrames.incrementAndGet();
          ackedValueBytes.addAndGet(valueBytes);
        } else {
          failure.compareAndSet(null, new IngestException(
              "frame " + name + " was not written to topic " + config.topic() + " on " + config.bootstrapServers()
                  + ": " + rootMessage(error) + deliveryHint(error), error));
        }
      });
    } catch (final TimeoutException e) {
      throw new IngestException("frame " + name + ": Kafka at " + config.bootstrapServers() + " did not take it within "
          + "max.block.ms (" + e.getMessage() + "); is the broker reachable, does topic " + config.topic()
          + " exist (or is auto-create on), and is the broker keeping up?", e);
    } catch (final KafkaException e) {
      throw new IngestException("frame " + name + " could not be sent to topic " + config.topic() + ": "
          + rootMessage(e), e);
    }
  }

  /**
   * Drains {@code source} into the topic and waits until every record is acknowledged. The source is
   * not closed (its owner closes it). When the source fails part-way, the frames it delivered
   * before are flushed to the broker and then its exception is rethrown.
   *
   * @param onFrame called with the count of frames sent so far (for progress bars)
   * @return frames and value bytes acknowledged during this call, and its wall time
   */
  public PublishResult publish(final FrameSource source, final LongConsumer onFrame) {
    ensureUsable();
    final long t0 = System.nanoTime();
    final long frames0 = ackedFrames.get();
    final long bytes0 = ackedValueBytes.get();
    long sent = 0;
    while (true) {
      final Optional<VideoFrame> frame;
      try {
        frame = source.next();
      } catch (final RuntimeException e) {
        // The source broke part-way: what it delivered before is still written before we report.
        flushQuietly();
        throw e;
      }
      if (frame.isEmpty()) {
        break;
      }
      send(frame.get());
      sent++;
      onFrame.accept(sent);
    }
    flush();
    return new PublishResult(ackedFrames.get() - frames0, ackedValueBytes.get() - bytes0, System.nanoTime() - t0);
  }

  /** Blocks until everything sent so far is acknowledged; rethrows the first send failure. */
  public void flush() {
    ensureUsable();
    try {
      producer.flush();
    } catch (final KafkaException e) {
      throw new IngestException("flushing frames to topic " + config.topic() + " failed: " + rootMessage(e), e);
    }
    throwIfFailed();
  }

  private void flushQuietly() {
    try {
      producer.flush();
    } catch (final RuntimeException e) {
      LOG.warn("flushing frames to topic {} failed: {}", config.topic(), e.toString());
    }
  }

  /** Frames the broker acknowledged since this publisher was created. */
  public long acknowledgedFrames() {
    return ackedFrames.get();
  }

  /** Frames sent by reference (claim check) since this publisher was created. */
  public long claimCheckedFrames() {
    return claimChecked.get();
  }

  /**
   * Sends what is still buffered (waiting up to 30 s) and releases the producer; idempotent, never
   * throws. A delivery failure that nobody asked about is logged.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      producer.close(CLOSE_TIMEOUT);
    } catch (final RuntimeException e) {
      LOG.warn("closing the frame producer for topic {} failed: {}", config.topic(), e.toString());
    }
    final IngestException pending = failure.get();
    if (pending != null && !failureReported) {
      LOG.warn("frame publisher closed with a failed delivery: {}", pending.getMessage());
    }
  }

  private void ensureUsable() {
    if (closed) {
      throw new IllegalStateException("the frame publisher for topic " + config.topic() + " is closed");
    }
    throwIfFailed();
  }

  private void throwIfFailed() {
    final IngestException first = failure.get();
    if (first != null) {
      failureReported = true;
      throw new IngestException(first.getMessage(), first);
    }
  }

  private String tooLargeMessage(final EncodedFrame frame, final int size) {
    final String smaller = frame.format() == ImageFormat.JPEG
        ? "a lower output size or scale, or a lower JPEG quality"
        : "a lower output size or scale, or JPEG instead of " + frame.format().wireName();
    return String.format(Locale.ROOT,
        "frame %s #%d (%dx%d %s) makes a %,d-byte record, over the %,d-byte limit (maxRecordBytes); nothing was sent "
            + "for it. Make frames smaller (%s), raise the limit together with the topic's max.message.bytes "
            + "(a stock broker accepts about 1 MB), or set a claim-check folder (PublisherConfig.withClaimCheckDir, "
            + "vidctx publish --claim-check-dir DIR) so that such frames travel as files the records refer to.",
        frame.streamId(), frame.index(), frame.width(), frame.height(), frame.format().wireName(), size,
        config.maxRecordBytes(), smaller);
  }

  private static String deliveryHint(final Throwable error) {
    if (error instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
      return "; the broker refused the record size: raise the topic's max.message.bytes or lower maxRecordBytes";
    }
    if (error instanceof TimeoutException) {
      return "; the broker did not acknowledge within delivery.timeout.ms: is it up and reachable?";
    }
    return "";
  }

  private static String rootMessage(final Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
  }
}
