/**
 * Throughput benchmarks behind {@code vidctx bench}: our decoder next to the {@code ffmpeg} command,
 * our Kafka publisher next to Kafka's own {@code ProducerPerformance}. They print figures; nothing
 * here asserts a speed.
 */
@NullMarked
package io.vidctx.samples.bench;

import org.jspecify.annotations.NullMarked;
