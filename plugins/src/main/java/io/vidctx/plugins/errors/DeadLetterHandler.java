package io.vidctx.plugins.errors;

import io.vidctx.ingest.kafka.DeadLetters;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes records that a stage or a source's deserializer refused to the dead-letter topic and lets
 * the application go on. Set it as both {@code processing.exception.handler} and {@code
 * deserialization.exception.handler}; the topic is Kafka's own {@code
 * errors.dead.letter.queue.topic.name} ({@link io.vidctx.plugins.VidctxStreams} sets all three).
 *
 * <p>The dead letter is the source record as it arrived, key and value byte for byte, with its
 * headers, plus:
 *
 * <pre>
 * vidctx.dlq.reason     what was wrong, in words (the exception's message)
 * vidctx.dlq.stage      encode | compress | query | deserialize:&lt;node&gt; | &lt;node&gt;
 * vidctx.dlq.topic      the source record's topic
 * vidctx.dlq.partition  its partition
 * vidctx.dlq.offset     its offset
 * vidctx.dlq.exception  the exception class
 * </pre>
 *
 * <p>With {@code exactly_once_v2} the dead letter is written by the task's own producer, inside the
 * transaction that commits the source offset: a refused record lands in the dead-letter topic once,
 * or (after a crash) is refused again on replay, never both and never neither.
 */
public final class DeadLetterHandler implements ProcessingExceptionHandler, DeserializationExceptionHandler {
  /** The exception class of the refusal. */
  public static final String DLQ_EXCEPTION = DeadLetters.HEADER_EXCEPTION;
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

  private @Nullable String topic;

  @Override
  public void configure(final Map<String, ?> configs) {
    final Object t = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (t == null || t.toString().isBlank()) {
      throw new ConfigException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must name the dead-letter"
          + " topic when " + DeadLetterHandler.class.getSimpleName() + " handles errors");
    }
    topic = t.toString();
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
      final Exception exception) {
    final String stage = exception instanceof StageException s ? s.stage() : context.processorNodeId();
    return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(context, stage, exception)));
  }

  @Override
  public DeserializationExceptionHandler.Response handleError(final ErrorHandlerContext context,
      final ConsumerRecord<byte[], byte[]> record, final Exception exception) {
    return DeserializationExceptionHandler.Response.resume(
        List.of(deadLetter(context, "deserialize:" + context.processorNodeId(), exception)));
  }

  private ProducerRecord<byte[], byte[]> deadLetter(final ErrorHandlerContext context, final String stage,
      final Exception exception) {
    if (topic == null) {
      throw new IllegalStateException(DeadLetterHandler.class.getSimpleName() + " used before configure()");
    }
    final String reason = reason(exception);
    LOG.warn("{} refused record {}-{}@{}: {}; sent to dead-letter topic {}", stage, context.topic(),
        context.partition(), context.offset(), reason, topic);
    return DeadLetters.record(topic, String.valueOf(context.topic()), context.partition(), context.offset(),
        context.sourceRawKey(), context.sourceRawValue(), context.headers(), stage, reason, exception);
  }

  private static String reason(final Throwable e) {
    final String m = e.getMessage();
    if (m != null && !m.isBlank()) {
      return m;
    }
    return e.getCause() != null ? reason(e.getCause()) : e.getClass().getSimpleName();
  }
}
