package io.vidctx.ingest.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * The dead-letter record every vidctx stage writes for a record it refuses: the source record's key
 * and value byte for byte, its headers (earlier {@code vidctx.dlq.*} ones dropped, so a record
 * refused twice says why only once), plus the reason, the stage and where it came from:
 *
 * <pre>
 * vidctx.dlq.reason     what was wrong, in words
 * vidctx.dlq.stage      the stage that refused it (ingest, encode, encode-worker, compress, query, deserialize:...)
 * vidctx.dlq.topic      the source record's topic
 * vidctx.dlq.partition  its partition
 * vidctx.dlq.offset     its offset
 * vidctx.dlq.exception  the exception class, when there was one
 * </pre>
 */
public final class DeadLetters {
  /** Header with the exception class of the refusal. */
  public static final String HEADER_EXCEPTION = "vidctx.dlq.exception";
  private static final String PREFIX = "vidctx.dlq.";

  private DeadLetters() {}

  /** The dead letter of the record at {@code topic}-{@code partition}@{@code offset}, for {@code deadLetterTopic}. */
  public static ProducerRecord<byte[], byte[]> record(final String deadLetterTopic, final String topic,
      final int partition, final long offset, final byte @Nullable [] key, final byte @Nullable [] value,
      final @Nullable Headers original, final String stage, final String reason, final @Nullable Throwable cause) {
    final RecordHeaders headers = new RecordHeaders();
    if (original != null) {
      for (final Header h : original) {
        if (!h.key().startsWith(PREFIX)) {
          headers.add(h.key(), h.value());
        }
      }
    }
    headers.add(KafkaFrameSource.DLQ_REASON, utf8(reason));
    headers.add(KafkaFrameSource.DLQ_STAGE, utf8(stage));
    headers.add(KafkaFrameSource.DLQ_TOPIC, utf8(topic));
    headers.add(KafkaFrameSource.DLQ_PARTITION, utf8(Integer.toString(partition)));
    headers.add(KafkaFrameSource.DLQ_OFFSET, utf8(Long.toString(offset)));
    if (cause != null) {
      headers.add(HEADER_EXCEPTION, utf8(cause.getClass().getName()));
    }
    return new ProducerRecord<>(deadLetterTopic, null, null, key, value, headers);
  }

  private static byte[] utf8(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
