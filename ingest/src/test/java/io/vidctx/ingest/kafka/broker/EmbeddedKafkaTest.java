package io.vidctx.ingest.kafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.testing.BrokerExitGuard;
import io.vidctx.ingest.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-process broker on its own: start, serve, stop, and start again elsewhere. */
class EmbeddedKafkaTest {

  @BeforeAll
  static void guardExit() {
    BrokerExitGuard.install();
  }

  @AfterAll
  static void resetExit() {
    BrokerExitGuard.reset();
  }

  @Test
  void shouldStartTwiceInDifferentFoldersWithNoLeftoverState() throws Exception {
    final Path first = SharedData.work("embedded-kafka/first-" + System.nanoTime());
    final Path second = SharedData.work("embedded-kafka/second-" + System.nanoTime());
    final String firstServers;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(first)) {
      firstServers = kafka.bootstrapServers();
      assertTrue(firstServers.startsWith("127.0.0.1:"), firstServers);
      produce(kafka.bootstrapServers(), "left-behind", List.of("a", "b", "c"));
      assertEquals(List.of("a", "b", "c"), readAll(kafka.bootstrapServers(), "left-behind"));
      System.out.println("embedded Kafka cold start: " + kafka.startupMillis() + " ms");
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start(second)) {
      assertNotEquals(firstServers, kafka.bootstrapServers(), "a fresh broker binds fresh ports");
      assertFalse(topics(kafka.bootstrapServers()).contains("left-behind"),
          "a broker in another folder must not see the first broker's topics");
      produce(kafka.bootstrapServers(), "fresh", List.of("x"));
      assertEquals(List.of("x"), readAll(kafka.bootstrapServers(), "fresh"));
      System.out.println("embedded Kafka second start: " + kafka.startupMillis() + " ms");
    }
  }

  @Test
  void shouldKeepTopicsWhenRestartedOnTheSameFolder() throws Exception {
    final Path dir = SharedData.work("embedded-kafka/restart-" + System.nanoTime());
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
      produce(kafka.bootstrapServers(), "kept", List.of("one", "two"));
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
      assertEquals(List.of("one", "two"), readAll(kafka.bootstrapServers(), "kept"));
    }
  }

  @Test
  void shouldDeleteItsTemporaryFolderAndCloseIdempotently() {
    final EmbeddedKafka kafka = EmbeddedKafka.start(null);
    final Path dir = kafka.dataDir();
    assertTrue(Files.isDirectory(dir));
    kafka.close();
    kafka.close();
    assertFalse(Files.exists(dir), "temporary data folder must be gone after close: " + dir);
  }

  @Test
  void shouldRefuseOverridingTheListeners() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmbeddedKafka.start(SharedData.work("embedded-kafka/refused"), Map.of("listeners", "PLAINTEXT://0.0.0.0:9092")));
    assertTrue(e.getMessage().contains("listeners"), e.getMessage());
  }

  private static void produce(final String servers, final String topic, final List<String> values) throws Exception {
    final Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (final String v : values) {
        producer.send(new ProducerRecord<>(topic, "k", v.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> readAll(final String servers, final String topic) {
    final Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    final List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      final TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      final long end = consumer.endOffsets(List.of(tp)).get(tp);
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(new String(r.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static Set<String> topics(final String servers) throws Exception {
    final Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (Admin admin = Admin.create(p)) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
  }
}
