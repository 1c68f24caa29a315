package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.kafka.Topics;
import io.vidctx.ingest.kafka.broker.EmbeddedKafka;
import io.vidctx.ingest.testing.BrokerExitGuard;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.plugins.VidctxConfig;
import io.vidctx.plugins.compress.MemoryUpdate;
import io.vidctx.plugins.serde.JsonSerde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code vidctx stream} and {@code vidctx query} end to end against one embedded broker: the topology
 * runs in the background, a clip is published with {@code vidctx publish}, and a query by picture
 * comes back with the picture's time.
 */
class StreamCommandTest {
  private static final String CLIP = SharedData.video("big_buck_bunny_0_30.webm").toString();
  private static final String STREAM = "cam-x";
  private static final double FPS = 2;
  private static final long END_MICROS = 16_000_000L;
  /** The query picture: the frame at about 13 s, in the shot between the cuts at 11.79 s and 15.67 s. */
  private static final int QUERY_FRAME = 26;
  private static EmbeddedKafka kafka;
  private static Path dir;

  @BeforeAll
  static void startBroker() throws IOException {
    BrokerExitGuard.install();
    dir = SharedData.work("stream");
    Broker.deleteTree(dir);
    Files.createDirectories(dir);
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
  }

  @AfterAll
  static void stopBroker() {
    try {
      if (kafka != null) {
        kafka.close();
      }
    } finally {
      BrokerExitGuard.reset();
    }
  }

  private static String models() {
    return SharedData.work("stream-models").toString();
  }

  @Test
  void shouldAnswerAQueryByPictureAboutAPublishedStream() throws Exception {
    final String servers = kafka.bootstrapServers();
    final AtomicReference<CliRun> streamRun = new AtomicReference<>();
    final Thread stream = new Thread(() -> streamRun.set(CliRun.of("stream", "-b", servers, "--run-for", "60s",
        "--metrics-every", "1s", "--models-dir", models(), "--state-dir", dir.resolve("state").toString())),
        "vidctx-stream-under-test");
    stream.start();
    try {
      awaitTopic(servers, VidctxConfig.DEFAULT_UPDATES_TOPIC, stream);

      final CliRun publish = CliRun.of("publish", CLIP, "-b", servers, "--fps", "2", "--end", "16", "--stream-id",
          STREAM, "--json");
      assertEquals(ExitCode.OK, publish.exitCode(), publish.dump());
      final long frames = Json.mapper().readTree(publish.out()).get("frames").asLong();
      assertTrue(frames >= 30 && frames <= 33, "16 s at 2 fps: " + frames);
      awaitMemory(servers, frames);

      final Frame picture = frame(QUERY_FRAME);
      final CliRun query = CliRun.of("query", "-b", servers, STREAM, "When does this picture appear?", "--image",
          picture.file().toString(), "--id", "q-picture", "--json");
      assertEquals(ExitCode.OK, query.exitCode(), query.dump());
      final JsonNode a = Json.mapper().readTree(query.out());
      assertEquals("q-picture", a.get("id").asText());
      assertEquals(STREAM, a.get("streamId").asText());
      assertEquals("ANSWERED", a.get("status").asText(), a.toString());
      assertEquals("IMAGE", a.get("queryKind").asText(), a.toString());
      assertEquals(frames, a.get("framesIn").asLong(), "the whole stream is in the memory: " + a);
      final double at = a.get("atSeconds").asDouble();
      assertTrue(Math.abs(at - picture.seconds()) <= 1.5, "answer at " + at + " s, picture at " + picture.seconds()
          + " s: " + a);

      final CliRun human = CliRun.of("query", "-b", servers, STREAM, "When does this picture appear?", "--image",
          picture.file().toString(), "--between", "10,16");
      assertEquals(ExitCode.OK, human.exitCode(), human.dump());
      assertTrue(human.out().contains("answer: at ") && human.out().contains("\nat 0:00:"), human.dump());
      assertTrue(human.out().contains("tokens: " + frames + " frames -> "), human.dump());

      final CliRun unknown = CliRun.of("query", "-b", servers, "cam-404", "What happens?", "--timeout", "30s");
      assertEquals(ExitCode.ERROR, unknown.exitCode(), unknown.dump());
      assertTrue(unknown.err().contains("unknown stream 'cam-404'"), unknown.dump());
    } finally {
      stream.interrupt();
      stream.join(60_000);
    }
    assertFalse(stream.isAlive(), "vidctx stream stopped when interrupted");
    final CliRun run = streamRun.get();
    assertNotNull(run, "vidctx stream returned");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    assertTrue(run.err().contains("vidctx stream: running 'vidctx' on " + servers), run.dump());
    assertTrue(run.err().matches("(?s).*compress \\d+\\.\\d/s \\(\\d+\\).*memory: cam-x \\d+ tokens \\(\\d+ frames\\).*"),
        "metrics lines:\n" + run.dump());
    assertTrue(run.out().matches("(?s).*stopped after .* \\(interrupted\\): encoded \\d+ frames, compressed \\d+, answered \\d+ quer(y|ies);"
        + " 1 stream in memory.*"), run.dump());
  }

  @Test
  void shouldStartAnEmbeddedBrokerPrintItsAddressAndStopAfterRunFor() {
    final CliRun run = CliRun.of("stream", "--run-for", "3s", "--data-dir", dir.resolve("embedded").toString(),
        "--models-dir", models(), "--application-id", "vidctx-embedded");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    assertTrue(run.err().matches("(?s).*embedded Kafka at (127\\.0\\.0\\.1:\\d+); publish with: vidctx publish VIDEO -b \\1\n.*"),
        run.dump());
    assertTrue(run.out().matches("(?s)vidctx stream: stopped after \\d+\\.\\d+ s \\(--run-for elapsed\\): .*"), run.dump());
    assertTrue(Files.isDirectory(dir.resolve("embedded").resolve("streams-state")), "state kept with the broker data");
  }

  @Test
  void shouldRefuseBadArgumentsNamingTheOption() throws IOException {
    final Path big = dir.resolve("big.png");
    Files.write(big, new byte[800 * 1024]);
    final String servers = "127.0.0.1:9";
    final String[][] cases = {
      {"--bootstrap-servers", "query", STREAM, "q"},
      {"--image", "query", "-b", servers, STREAM, "q", "--image", dir.resolve("missing.jpg").toString()},
      {"--image-ref", "query", "-b", servers, STREAM, "q", "--image", big.toString()},
      {"--between and --last exclude each other", "query", "-b", servers, STREAM, "q", "--between", "0,2", "--last",
          "1m"},
      {"at least 2 choices", "query", "-b", servers, STREAM, "q", "--choices", "only"},
      {"--partitions", "stream", "-b", servers, "--partitions", "0"},
      {"--threads", "stream", "-b", servers, "--threads", "0"},
    };
    for (final String[] c : cases) {
      final CliRun run = CliRun.of(java.util.Arrays.copyOfRange(c, 1, c.length));
      assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), String.join(" ", c) + "\n" + run.dump());
      assertTrue(run.err().contains(c[0]), "'" + c[0] + "' in\n" + run.dump());
    }
  }

  /** A frame of the clip as published, written as a JPEG, and its time. */
  private record Frame(Path file, double seconds) {}

  private static Frame frame(final int index) throws IOException {
    try (VideoFileSource s = VideoFileSource.open(CLIP, DecodeOptions.DEFAULTS.withFps(FPS).withRange(0, END_MICROS))) {
      for (int i = 0; i < index; i++) {
        s.next().orElseThrow();
      }
      final VideoFrame f = s.next().orElseThrow();
      final byte[] jpeg = new ImageCodec().encode(f.rgb(), f.width(), f.height(), ImageFormat.JPEG);
      return new Frame(Files.write(dir.resolve("frame-" + index + ".jpg"), jpeg), f.ptsMicros() / 1e6);
    }
  }

  private static void awaitTopic(final String servers, final String topic, final Thread stream)
      throws InterruptedException {
    final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (Topics.partitions(servers, topic).isEmpty()) {
      assertTrue(stream.isAlive(), "vidctx stream ended before creating its topics");
      assertTrue(System.nanoTime() < deadline, "vidctx stream created no topic " + topic + " within 60 s");
      Thread.sleep(100);
    }
  }

  /** Waits until the stream's memory holds {@code frames} frames (its memory updates, read committed). */
  private static void awaitMemory(final String servers, final long frames) {
    final JsonSerde<MemoryUpdate> serde = new JsonSerde<>(MemoryUpdate.class);
    final Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, MemoryUpdate> c = new KafkaConsumer<>(props, new StringDeserializer(), serde)) {
      final List<TopicPartition> parts = c.partitionsFor(VidctxConfig.DEFAULT_UPDATES_TOPIC).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long seen = 0;
      while (seen < frames) {
        assertTrue(System.nanoTime() < deadline, "memory of " + STREAM + " holds " + seen + " of " + frames
            + " frames after 60 s");
        for (final ConsumerRecord<String, MemoryUpdate> r : c.poll(Duration.ofMillis(200))) {
          if (r.value().streamId().equals(STREAM)) {
            seen = Math.max(seen, r.value().framesIn());
          }
        }
      }
    }
  }
}
