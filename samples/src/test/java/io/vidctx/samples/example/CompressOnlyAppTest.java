package io.vidctx.samples.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.builtin.BuiltinModel;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.kafka.KafkaFrameSource;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.plugins.compress.MemoryStore;
import io.vidctx.plugins.serde.FrameTokensSerde;
import io.vidctx.plugins.serde.JsonSerde;
import io.vidctx.samples.example.CompressOnlyApp.MemoryStatus;
import io.vidctx.tokencompress.VideoMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example app's own topology (the one its main runs), driven without a broker by real frame tokens. */
class CompressOnlyAppTest {
  private static final String CAMERA = "bunny";
  private static final int FRAMES = 20;
  private static List<FrameTokens> tokens;

  private TopologyTestDriver driver;
  private TestInputTopic<String, FrameTokens> in;
  private TestOutputTopic<String, MemoryStatus> out;

  @BeforeAll
  static void encodeFrames() {
    final Path models = BuiltinModel.ensure(SharedData.work("example-models"));
    tokens = new ArrayList<>();
    try (OnnxVisionEncoder encoder = OnnxVisionEncoder.open(models, RuntimeOptions.DEFAULTS);
        VideoFileSource source = VideoFileSource.open(SharedData.video("big_buck_bunny_0_30.webm").toString(),
            DecodeOptions.DEFAULTS.withFps(1).withMaxFrames(FRAMES).withStreamId(CAMERA))) {
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        tokens.addAll(encoder.encode(List.of(f.get())));
      }
    }
    assertEquals(FRAMES, tokens.size(), "frames decoded and encoded");
  }

  @BeforeEach
  void startDriver() {
    driver = new TopologyTestDriver(CompressOnlyApp.topology(),
        CompressOnlyApp.properties("unused:9092", SharedData.work("example-state-" + System.nanoTime())));
    in = driver.createInputTopic(CompressOnlyApp.TOKENS_TOPIC, new StringSerializer(), new FrameTokensSerde());
    out = driver.createOutputTopic(CompressOnlyApp.UPDATES_TOPIC, new StringDeserializer(),
        new JsonSerde<>(MemoryStatus.class));
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void shouldCompressEveryFrameIntoTheStoreAndWriteTheAppsOwnJson() {
    for (final FrameTokens t : tokens) {
      in.pipeInput(t.streamId(), t);
    }

    final List<MemoryStatus> updates = out.readValuesToList();
    assertEquals(FRAMES, updates.size(), "one status per frame");
    for (int i = 0; i < FRAMES; i++) {
      final MemoryStatus s = updates.get(i);
      assertEquals(CAMERA, s.camera());
      assertEquals(i + 1, s.framesSoFar());
      assertEquals(tokens.get(i).index(), s.frame());
      assertEquals(tokens.get(i).ptsMicros() / 1e6, s.seconds(), 1e-9);
    }
    assertTrue(updates.get(FRAMES - 1).memoryTokens() > 0, "the memory holds tokens");

    final VideoMemory memory = MemoryStore.snapshot(driver.getKeyValueStore(MemoryStore.DEFAULT_NAME),
        CompressOnlyApp.COMPRESSION, CAMERA).orElseThrow();
    assertEquals(FRAMES * 196L, memory.tokens().totalWeight(), "every patch token of every frame counted once");
    assertEquals(FRAMES, memory.framesIn());
  }

  @Test
  void shouldDeadLetterAFrameWhoseKeyIsNotItsStreamAndGoOn() {
    in.pipeInput("someone-else", tokens.get(0));
    in.pipeInput(CAMERA, tokens.get(1));

    final List<MemoryStatus> updates = out.readValuesToList();
    assertEquals(1, updates.size(), "only the well-keyed frame: " + updates);
    assertEquals(tokens.get(1).index(), updates.get(0).frame());
    final TestRecord<String, byte[]> dead = driver.createOutputTopic(CompressOnlyApp.DEAD_LETTER_TOPIC,
        new StringDeserializer(), new ByteArrayDeserializer()).readRecord();
    assertEquals("someone-else", dead.key());
    assertEquals("compress", new String(dead.headers().lastHeader(KafkaFrameSource.DLQ_STAGE).value(),
        StandardCharsets.UTF_8));
  }
}
