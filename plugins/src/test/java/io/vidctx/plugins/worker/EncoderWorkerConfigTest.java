package io.vidctx.plugins.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.kafka.FrameWireFormat;
import io.vidctx.plugins.VidctxConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's settings without a broker: defaults, checks, and the client settings they make. */
class EncoderWorkerConfigTest {

  @Test
  void shouldDefaultToTheTopologyTopicsAndBatchesOf16() {
    final EncoderWorkerConfig c = EncoderWorkerConfig.defaults("k:9092");
    assertEquals("vidctx-encoder", c.groupId());
    assertEquals(FrameWireFormat.DEFAULT_TOPIC, c.framesTopic());
    assertEquals(VidctxConfig.DEFAULT_TOKENS_TOPIC, c.tokensTopic());
    assertEquals(VidctxConfig.DEFAULT_DEAD_LETTER_TOPIC, c.deadLetterTopic());
    assertEquals(16, c.batchSize());
    assertEquals(8, c.withBatchSize(8).batchSize());
  }

  @Test
  void shouldMakeAReadCommittedConsumerWithOneBatchPerPollAndATransactionalProducer() {
    final EncoderWorkerConfig c = EncoderWorkerConfig.defaults("k:9092").withBatchSize(4)
        .withConsumerOverrides(Map.of("fetch.min.bytes", 10)).withProducerOverrides(Map.of("transactional.id", "pod-7"));
    final Map<String, Object> consumer = EncoderWorker.consumerProperties(c, "id");
    assertEquals("read_committed", consumer.get("isolation.level"));
    assertEquals(false, consumer.get("enable.auto.commit"));
    assertEquals(4, consumer.get("max.poll.records"));
    assertEquals("vidctx-encoder", consumer.get("group.id"));
    assertEquals(10, consumer.get("fetch.min.bytes"));
    final Map<String, Object> producer = EncoderWorker.producerProperties(c, "pod-7");
    assertEquals("pod-7", producer.get("transactional.id"));
    assertEquals(true, producer.get("enable.idempotence"));
  }

  @Test
  void shouldRefuseOverridesOfWhatTheGuaranteesRestOn() {
    final EncoderWorkerConfig c = EncoderWorkerConfig.defaults("k:9092");
    final IllegalArgumentException records = assertThrows(IllegalArgumentException.class,
        () -> c.withConsumerOverrides(Map.of("max.poll.records", 500)));
    assertTrue(records.getMessage().contains("'max.poll.records'") && records.getMessage().contains("withBatchSize"),
        records.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.withConsumerOverrides(Map.of("isolation.level",
        "read_uncommitted")));
    assertThrows(IllegalArgumentException.class, () -> c.withProducerOverrides(Map.of("enable.idempotence", false)));
    assertThrows(IllegalArgumentException.class, () -> c.withBatchSize(0));
    assertThrows(IllegalArgumentException.class, () -> c.withPollTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> c.withTokensTopic(c.framesTopic()));
  }
}
