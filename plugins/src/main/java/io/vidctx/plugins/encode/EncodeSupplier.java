package io.vidctx.plugins.encode;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.kafka.EncodedFrame;
import io.vidctx.ingest.kafka.FrameWireFormat;
import io.vidctx.plugins.errors.StageException;
import io.vidctx.plugins.metrics.StageMetrics;
import io.vidctx.plugins.serde.FrameTokensSerde;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encode stage: frame records in the ingest wire format ({@link FrameWireFormat}: key stream id,
 * value JPEG/PNG/raw, {@code vidctx.*} headers) to {@link FrameTokens}, one frame per record, on the
 * Streams thread. Tokens are rounded to float16 on the way out, exactly as the tokens topic would
 * carry them. (A topology fed by the {@link io.vidctx.plugins.worker.EncoderWorker}, which encodes
 * in batches, builds nearly but not always bit-identically the same memories: see the README.)
 *
 * <p>Refused (dead letter): a record without the headers or key, an undecodable picture or one of
 * another size than its headers say, a picture the encoder rejects.
 *
 * <p>The encoder is shared by every task of the instance (OnnxVisionEncoder is thread-safe) and owned
 * by the caller, who closes it after the Streams instance. A heavy model makes each record slow: the
 * stage measures its time per frame and warns when {@code max.poll.records} of them would not fit in
 * {@code max.poll.interval.ms}; then lower {@code max.poll.records} or run the encoder as an {@link
 * io.vidctx.plugins.worker.EncoderWorker}.
 */
public final class EncodeSupplier implements ProcessorSupplier<String, byte[], String, FrameTokens> {
  private static final Logger LOG = LoggerFactory.getLogger(EncodeSupplier.class);
  private static final long WARN_EVERY_NANOS = 60_000_000_000L;

  private final EncodeStage stage;
  private final VisionEncoder encoder;

  public EncodeSupplier(final EncodeStage stage, final VisionEncoder encoder) {
    this.stage = Objects.requireNonNull(stage, "stage");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
  }

  @Override
  public Processor<String, byte[], String, FrameTokens> get() {
    return new EncodeProcessor();
  }

  private final class EncodeProcessor extends ContextualProcessor<String, byte[], String, FrameTokens> {
    private final ImageCodec codec = new ImageCodec();
    private @Nullable Sensor frames;
    private long maxPollRecords = 1000;
    private long maxPollIntervalMs = 300_000;
    private double slowestNanos;
    private long lastWarn = Long.MIN_VALUE / 2;

    @Override
    public void init(final ProcessorContext<String, FrameTokens> context) {
      super.init(context);
      frames = StageMetrics.sensor(context, EncodeStage.NAME);
      final Map<String, Object> app = context.appConfigs();
      maxPollRecords = longConfig(app, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
      maxPollIntervalMs = longConfig(app, ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs);
    }

    @Override
    public void process(final Record<String, byte[]> record) {
      final RecordMetadata meta = context().recordMetadata().orElse(null);
      final String topic = meta == null ? "?" : meta.topic();
      final int partition = meta == null ? -1 : meta.partition();
      final long offset = meta == null ? -1 : meta.offset();
      final VideoFrame frame;
      try {
        final EncodedFrame encoded = FrameWireFormat.fromParts(topic, partition, offset, record.key(), record.value(),
            record.headers());
        frame = FrameWireFormat.decode(encoded, codec);
      } catch (final IngestException e) {
        throw new StageException(EncodeStage.NAME, e.getMessage(), e);
      }
      final long t0 = System.nanoTime();
      final List<FrameTokens> out;
      try {
        out = encoder.encode(List.of(frame));
      } catch (final EncoderException | IllegalArgumentException e) {
        throw new StageException(EncodeStage.NAME, "frame " + frame.streamId() + " #" + frame.index()
            + " could not be encoded: " + e.getMessage(), e);
      }
      watchPollBudget(System.nanoTime() - t0);
      Objects.requireNonNull(frames).record();
      context().forward(record.withValue(FrameTokensSerde.rounded(out.get(0))));
    }

    private void watchPollBudget(final long nanos) {
      // A decaying maximum: one slow frame counts for a while, then fades.
      slowestNanos = Math.max(nanos, slowestNanos * 0.99);
      final double worstMs = slowestNanos / 1e6 * maxPollRecords;
      final long now = System.nanoTime();
      if (worstMs > stage.warnFraction() * maxPollIntervalMs && now - lastWarn > WARN_EVERY_NANOS) {
        lastWarn = now;
        LOG.warn("encoding takes up to {} ms per frame: {} records per poll (max.poll.records) could take {} s, over {} %"
            + " of max.poll.interval.ms ({} s). Lower max.poll.records to {} or run the encoder as an EncoderWorker",
            Math.round(slowestNanos / 1e6), maxPollRecords, Math.round(worstMs / 1000),
            Math.round(stage.warnFraction() * 100), maxPollIntervalMs / 1000,
            Math.max(1, (long) (stage.warnFraction() * maxPollIntervalMs / (slowestNanos / 1e6))));
      }
    }
  }

  private static long longConfig(final Map<String, Object> app, final String key, final long fallback) {
    final Object v = app.get(key);
    if (v == null) {
      final Object prefixed = app.get("main.consumer." + key);
      return prefixed == null ? fallback : Long.parseLong(prefixed.toString());
    }
    return Long.parseLong(v.toString());
  }
}
