package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.ingest.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

  @Test
  void shouldRunEndToEndAndPassEveryCheck() {
    final Path out = SharedData.work("demo").resolve("text");
    final CliRun run = CliRun.of("demo", "--duration", "8", "--out", out.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final Matcher m = Pattern.compile("published (\\d+), consumed (\\d+): all (\\d+) checks passed").matcher(run.out());
    assertTrue(m.find(), run.out());
    assertTrue(Integer.parseInt(m.group(1)) > 0);
    assertEquals(m.group(1), m.group(2));
    assertTrue(Files.isRegularFile(out.resolve("demo.mp4")), "--out keeps the video");
    assertTrue(!Files.exists(out.resolve("kafka")) || isEmpty(out.resolve("kafka")), "broker data is removed");
  }

  @Test
  void shouldReportJsonWithMatchingCountsAndPixels() throws Exception {
    final CliRun run = CliRun.of("demo", "--duration", "6", "--fps", "1", "--seed", "7", "--json");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode s = Json.mapper().readTree(run.out());
    assertTrue(s.get("ok").asBoolean());
    assertEquals(6, s.get("decodedFrames").asLong(), 1);
    assertEquals(s.get("publishedFrames").asLong(), s.get("consumedFrames").asLong());
    assertEquals(s.get("decodedFrames").asLong(), s.get("publishedFrames").asLong());
    assertEquals(0, s.get("malformedRecords").asLong());
    assertEquals("demo", s.get("streams").get(0).asText());
    assertEquals(0, s.get("firstPtsMicros").asLong());
    assertTrue(s.get("meanAbsError").asDouble() >= 0 && s.get("meanAbsError").asDouble() <= 3.0, s.toString());
    assertEquals(s.get("cutsMicros").size(), s.get("cutsSeen").asInt(), "at 1 fps every cut of a 6 s video lies between samples");
    assertEquals(s.get("consumedFrames").asLong(), s.get("encodedFrames").asLong(), "every frame read back is encoded");
    assertEquals("14x14x64", s.get("tokenGrid").asText());
    assertEquals(196 * s.get("encodedFrames").asLong(), s.get("patchTokens").asLong());
    assertEquals(s.get("cutsMicros").size(), s.get("cutsSeenInTokens").asInt(), "cuts stand out in the global embeddings");
    for (final JsonNode c : s.get("checks")) {
      assertTrue(c.get("ok").asBoolean(), c.toString());
    }
  }

  @Test
  void shouldFailTheCheckWhenTheToleranceCannotBeMet() {
    final CliRun run = CliRun.of("demo", "--duration", "3", "--fps", "1", "--tolerance", "0", "--quality", "10");
    assertEquals(ExitCode.UNEXPECTED_STATE, run.exitCode(), run.dump());
    assertTrue(run.out().contains("[FAILED] pixels"), run.out());
    assertTrue(run.out().contains("CHECKS FAILED"), run.out());
  }

  @Test
  void shouldRejectABadDuration() {
    final CliRun run = CliRun.of("demo", "--duration", "0.5");
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("--duration must be in 1..600"), run.err());
  }

  private static boolean isEmpty(final Path dir) {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (final java.io.IOException e) {
      return false;
    }
  }
}
