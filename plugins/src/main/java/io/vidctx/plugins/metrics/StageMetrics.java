package io.vidctx.plugins.metrics;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Per-stage record counters in Kafka Streams' own metrics (so JMX, the metrics reporters and {@code
 * KafkaStreams.metrics()} see them): group {@code stream-vidctx-stage-metrics}, metrics {@code
 * records-rate} and {@code records-total}, tag {@code vidctx-stage-id} = stage name + task.
 */
public final class StageMetrics {
  /** The metric group's scope. */
  public static final String SCOPE = "vidctx-stage";

  private StageMetrics() {}

  /** The sensor a stage's processor records one event per record on. */
  public static Sensor sensor(final ProcessorContext<?, ?> context, final String stage) {
    return context.metrics().addRateTotalSensor(SCOPE, stage + "-" + context.taskId(), "records",
        Sensor.RecordingLevel.INFO);
  }
}
