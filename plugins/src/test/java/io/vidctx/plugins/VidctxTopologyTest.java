package io.vidctx.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.kafka.EncodedFrame;
import io.vidctx.ingest.kafka.FrameWireFormat;
import io.vidctx.ingest.kafka.KafkaFrameSource;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.plugins.compress.MemoryStore;
import io.vidctx.plugins.compress.MemoryUpdate;
import io.vidctx.plugins.query.QueryAnswer;
import io.vidctx.plugins.query.QueryRequest;
import io.vidctx.plugins.serde.JsonSerde;
import io.vidctx.tokencompress.VideoMemory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ready-made topology without a broker: real footage, the built-in encoder, real stores. */
class VidctxTopologyTest {
  private static final String STREAM = "cam-1";
  private static OnnxVisionEncoder encoder;
  private static PluginFixtures.Footage footage;

  private VidctxConfig config;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> frames;
  private TestInputTopic<String, byte[]> queries;
  private TestOutputTopic<String, QueryAnswer> answers;
  private TestOutputTopic<String, MemoryUpdate> updates;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeAll
  static void openEncoder() {
    encoder = PluginFixtures.builtinEncoder();
    footage = PluginFixtures.footage("big_buck_bunny_0_30.webm", 2.0, 0.5, STREAM);
  }

  @AfterAll
  static void closeEncoder() {
    encoder.close();
  }

  @BeforeEach
  void startDriver() {
    // A checkpoint every 7 frames: replays of up to 6 stored frames are exercised all the time.
    config = new VidctxConfig(Map.of(VidctxConfig.CHECKPOINT_FRAMES_CONFIG, 7));
    final Properties p = VidctxStreams.properties(config, "unused:9092", "vidctx-topology-test",
        SharedData.work("plugins-driver/state-" + System.nanoTime()));
    driver = new TopologyTestDriver(VidctxTopology.build(config, encoder, null), p);
    frames = driver.createInputTopic(FrameWireFormat.DEFAULT_TOPIC, new StringSerializer(), new ByteArraySerializer());
    queries = driver.createInputTopic(VidctxConfig.DEFAULT_QUERIES_TOPIC, new StringSerializer(),
        new ByteArraySerializer());
    answers = driver.createOutputTopic(VidctxConfig.DEFAULT_ANSWERS_TOPIC, new StringDeserializer(),
        new JsonSerde<>(QueryAnswer.class));
    updates = driver.createOutputTopic(VidctxConfig.DEFAULT_UPDATES_TOPIC, new StringDeserializer(),
        new JsonSerde<>(MemoryUpdate.class));
    deadLetters = driver.createOutputTopic(VidctxConfig.DEFAULT_DEAD_LETTER_TOPIC, new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  private void pipe(final EncodedFrame f) {
    final ProducerRecord<String, byte[]> r = FrameWireFormat.toRecord(FrameWireFormat.DEFAULT_TOPIC, f);
    frames.pipeInput(new TestRecord<>(r.key(), r.value(), r.headers(), Instant.ofEpochMilli(1_000 + f.index())));
  }

  private void ask(final String stream, final QueryRequest q) {
    queries.pipeInput(stream, new JsonSerde<>(QueryRequest.class).serialize("", q));
  }

  private VideoMemory memory(final String stream) {
    final KeyValueStore<String, byte[]> store = driver.getKeyValueStore(MemoryStore.DEFAULT_NAME);
    return MemoryStore.snapshot(store, config.compressor(), stream).orElseThrow();
  }

  @Test
  void shouldBuildTheSameMemoryAsTheInProcessPipelineAndAnswerAnImageQueryInsideTheNeedle() {
    footage.frames().forEach(this::pipe);

    final List<MemoryUpdate> u = updates.readValuesToList();
    assertEquals(footage.frames().size(), u.size());
    for (int i = 0; i < u.size(); i++) {
      assertEquals(i + 1, u.get(i).framesIn(), "update " + i);
      assertEquals(footage.frames().get(i).index(), u.get(i).frameIndex());
    }
    assertTrue(u.stream().anyMatch(MemoryUpdate::checkpointed), "some frames wrote checkpoints");

    final VideoMemory inStore = memory(STREAM);
    final VideoMemory inProcess = PluginFixtures.inProcessMemory(footage.frames(), encoder, config.compressor());
    assertEquals(footage.frames().size() * 196L, inStore.tokens().totalWeight(), "every patch of every frame counted once");
    assertArrayEquals(inProcess.toBytes(), inStore.toBytes(), "checkpoint + replay gives the in-process memory");

    ask(STREAM, QueryRequest.of("q-1", PluginFixtures.QUESTION).withImage(PluginFixtures.alteredNeedleBase64()));
    final QueryAnswer a = answers.readValue();
    assertEquals("q-1", a.id());
    assertEquals("ANSWERED", a.status(), String.valueOf(a.error()));
    assertNotNull(a.atSeconds());
    final double start = footage.needle().startMicros() / 1e6;
    final double end = footage.needle().endMicros() / 1e6;
    assertTrue(a.atSeconds() >= start && a.atSeconds() <= end, "answer at " + a.atSeconds() + " s, needle "
        + start + "-" + end + " s");
    assertEquals(footage.frames().size(), a.framesIn());
    assertTrue(a.selectedTokens() > 0 && a.selectedTokens() <= a.memoryTokens());
    assertTrue(deadLetters.isEmpty(), "nothing refused");
  }

  @Test
  void shouldDeadLetterACorruptFrameAndGoOnWithTheNextOne() {
    final EncodedFrame good = footage.frames().get(0);
    final byte[] garbage = "not a jpeg at all".getBytes(StandardCharsets.UTF_8);
    final EncodedFrame corrupt = new EncodedFrame(STREAM, 1, good.ptsMicros() + 500_000, good.width(), good.height(),
        good.format(), garbage);
    pipe(good);
    pipe(corrupt);
    pipe(footage.frames().get(2));

    final TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertArrayEquals(garbage, dead.value(), "the value travels byte for byte");
    assertEquals(STREAM, new String(dead.key(), StandardCharsets.UTF_8));
    assertEquals("encode", header(dead.headers(), KafkaFrameSource.DLQ_STAGE));
    assertEquals(FrameWireFormat.DEFAULT_TOPIC, header(dead.headers(), KafkaFrameSource.DLQ_TOPIC));
    assertEquals("0", header(dead.headers(), KafkaFrameSource.DLQ_PARTITION));
    assertEquals("1", header(dead.headers(), KafkaFrameSource.DLQ_OFFSET));
    assertTrue(header(dead.headers(), KafkaFrameSource.DLQ_REASON).contains("#1"), "reason names the frame: "
        + header(dead.headers(), KafkaFrameSource.DLQ_REASON));
    assertEquals("1", header(dead.headers(), FrameWireFormat.HEADER_INDEX), "original headers kept");
    assertTrue(deadLetters.isEmpty());
    assertEquals(List.of(0L, 2L), updates.readValuesToList().stream().map(MemoryUpdate::frameIndex).toList());
    assertEquals(2 * 196L, memory(STREAM).tokens().totalWeight());
  }

  @Test
  void shouldDeadLetterARecordWithoutHeaders() {
    final EncodedFrame good = footage.frames().get(0);
    frames.pipeInput(new TestRecord<>(STREAM, good.data(), new RecordHeaders(), Instant.ofEpochMilli(5)));
    pipe(good);

    final TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertArrayEquals(good.data(), dead.value());
    final String reason = header(dead.headers(), KafkaFrameSource.DLQ_REASON);
    assertTrue(reason.contains("missing header " + FrameWireFormat.HEADER_INDEX), reason);
    assertEquals("encode", header(dead.headers(), KafkaFrameSource.DLQ_STAGE));
    assertEquals("0", header(dead.headers(), KafkaFrameSource.DLQ_OFFSET));
    assertEquals(1, updates.readValuesToList().size(), "the good frame after it went through");
  }

  @Test
  void shouldAnswerErrorAndDeadLetterAQueryForAnUnknownStream() {
    pipe(footage.frames().get(0));
    ask("cam-404", QueryRequest.of("q-2", "What happens?"));

    final QueryAnswer a = answers.readValue();
    assertEquals("q-2", a.id());
    assertEquals(QueryAnswer.ERROR, a.status());
    assertTrue(a.error().contains("unknown stream 'cam-404'"), a.error());
    assertNull(a.answer());
    final TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertEquals("query", header(dead.headers(), KafkaFrameSource.DLQ_STAGE));
    assertEquals(VidctxConfig.DEFAULT_QUERIES_TOPIC, header(dead.headers(), KafkaFrameSource.DLQ_TOPIC));
    assertTrue(new String(dead.value(), StandardCharsets.UTF_8).contains("\"q-2\""), "the query travels as sent");
  }

  @Test
  void shouldSkipAQueryThatIsNotJsonAndAnswerTheNextOne() {
    // The dead letters of deserialization errors are checked against the real broker
    // (VidctxStreamsIT): the test driver does not capture what the deserialization handler sends.
    footage.frames().subList(0, 10).forEach(this::pipe);
    queries.pipeInput(STREAM, "{\"id\": \"q-3\", \"question\": ".getBytes(StandardCharsets.UTF_8));
    queries.pipeInput(STREAM, "{\"id\": \"q-4\", \"questoin\": \"typo\"}".getBytes(StandardCharsets.UTF_8));
    ask(STREAM, QueryRequest.of("q-5", PluginFixtures.QUESTION).withImage(PluginFixtures.alteredNeedleBase64()));

    final QueryAnswer a = answers.readValue();
    assertEquals("q-5", a.id());
    assertEquals("ANSWERED", a.status());
  }

  @Test
  void shouldDeadLetterAQueryWithAnUndecodableImage() {
    footage.frames().subList(0, 4).forEach(this::pipe);
    ask(STREAM, QueryRequest.of("q-6", PluginFixtures.QUESTION).withImage("bm90IGFuIGltYWdl"));
    final QueryAnswer a = answers.readValue();
    assertEquals(QueryAnswer.ERROR, a.status());
    assertTrue(a.error().contains("neither JPEG nor PNG"), a.error());
    assertEquals(1, deadLetters.readRecordsToList().size());
  }

  @Test
  void shouldReadAnImageByReferenceOnlyInsideTheQueryImageFolder() throws java.io.IOException {
    footage.frames().subList(0, 4).forEach(this::pipe);
    final java.nio.file.Path outside = SharedData.work("plugins-driver/outside-" + System.nanoTime()).resolve("q.jpg");
    java.nio.file.Files.write(outside, java.util.Base64.getDecoder().decode(PluginFixtures.alteredNeedleBase64()));
    ask(STREAM, QueryRequest.of("q-7", PluginFixtures.QUESTION).withImageUri(outside.toUri().toString()));
    final QueryAnswer a = answers.readValue();
    assertEquals(QueryAnswer.ERROR, a.status());
    assertTrue(a.error().contains("vidctx.query.image.dir"), a.error());
    assertEquals(1, deadLetters.readRecordsToList().size());
  }

  private static String header(final Headers headers, final String key) {
    final Header h = headers.lastHeader(key);
    assertNotNull(h, "header " + key + " in " + Arrays.toString(headers.toArray()));
    return new String(h.value(), StandardCharsets.UTF_8);
  }
}
