package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.ingest.testing.SharedData;
import org.junit.jupiter.api.Test;

/** {@code vidctx publish} against the embedded broker (each run starts and stops its own). */
class PublishCommandTest {

  @Test
  void shouldPublishToTheEmbeddedBrokerAndReadBack() {
    final CliRun run = CliRun.of("publish", SharedData.video("city_cc0.mpg").toString(), "--fps", "1",
        "--data-dir", SharedData.work("publish").resolve("kafka-jpeg").toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    assertTrue(run.err().contains("embedded Kafka broker"), "says the broker is embedded:\n" + run.err());
    final String out = run.out();
    final java.util.regex.Matcher m = java.util.regex.Pattern.compile("published (\\d+) frames of stream city_cc0 \\(jpeg\\)")
        .matcher(out);
    assertTrue(m.find(), out);
    final int frames = Integer.parseInt(m.group(1));
    assertTrue(frames >= 7 && frames <= 9, "8 frames at 1 fps: " + frames);
    assertTrue(out.contains("read back " + frames + " frames of stream city_cc0 from the embedded broker (0 malformed): OK"), out);
  }

  @Test
  void shouldPublishPngWithJsonOutput() throws Exception {
    final CliRun run = CliRun.of("publish", SharedData.video("shepard_calais_1906.ogv").toString(), "--format", "png",
        "--fps", "2", "--max-frames", "5", "--stream-id", "calais", "--topic", "films", "--json");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode r = Json.mapper().readTree(run.out());
    assertEquals("png", r.get("format").asText());
    assertEquals("calais", r.get("streamId").asText());
    assertEquals("films", r.get("topic").asText());
    assertEquals(5, r.get("frames").asLong());
    assertEquals(5, r.get("readBack").asLong());
    assertEquals(0, r.get("malformed").asLong());
    assertTrue(r.get("embeddedBroker").asBoolean());
    assertTrue(r.get("valueBytes").asLong() > 5 * 214 * 160 / 10, "PNG payloads: " + r.get("valueBytes"));
  }

  @Test
  void shouldRejectBadFormatAndMissingVideoWithExitTwo() {
    final CliRun format = CliRun.of("publish", SharedData.video("city_cc0.mpg").toString(), "--format", "webp");
    assertEquals(ExitCode.INVALID_INPUT, format.exitCode(), format.dump());
    assertTrue(format.err().contains("--format"), format.err());

    final CliRun missing = CliRun.of("publish", "no/such/video.mp4");
    assertEquals(ExitCode.INVALID_INPUT, missing.exitCode(), missing.dump());
    assertTrue(missing.err().contains("no/such/video.mp4"), missing.err());
    assertTrue(!missing.err().contains("embedded Kafka broker"), "no broker is started for a missing file:\n" + missing.err());
  }
}
