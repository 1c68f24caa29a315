package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.ingest.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InfoCommandTest {

  @Test
  void shouldPrintATableForRealClips() {
    final String city = SharedData.video("city_cc0.mpg").toString();
    final String bunny = SharedData.video("big_buck_bunny_0_30.webm").toString();
    final CliRun run = CliRun.of("info", city, bunny);
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final String[] lines = run.out().strip().split("\n");
    assertEquals(3, lines.length, run.out());
    assertTrue(lines[0].startsWith("VIDEO"), lines[0]);
    assertTrue(lines[1].contains("mpeg2video") && lines[1].contains("720x405") && lines[1].contains("00:07.6"), lines[1]);
    assertTrue(lines[2].contains("vp8") && lines[2].contains("1280x720") && lines[2].contains("1/1/2"), lines[2]);
  }

  @Test
  void shouldPrintJsonWithEveryField() throws Exception {
    final CliRun run = CliRun.of("info", "--json", SharedData.video("city_cc0.mpg").toString(),
        SharedData.video("car_detection.mp4").toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode all = Json.mapper().readTree(run.out());
    assertEquals(2, all.size());
    final JsonNode city = all.get(0);
    for (final String field : new String[] {"location", "container", "videoCodec", "pixelFormat", "durationSeconds",
        "durationMicros", "fps", "width", "height", "frameCount", "streamCount", "videoStreams", "audioStreams", "bitRate"}) {
      assertTrue(city.has(field), "missing " + field + " in " + city);
    }
    assertEquals("mpeg2video", city.get("videoCodec").asText());
    assertEquals(720, city.get("width").asInt());
    assertEquals(405, city.get("height").asInt());
    assertEquals(7.6, city.get("durationSeconds").asDouble(), 0.1);
    assertEquals(25.0, city.get("fps").asDouble(), 0.01);
    assertEquals(190, city.get("frameCount").asLong(), 2);
    assertEquals(1, city.get("videoStreams").asInt());
    assertEquals(0, city.get("audioStreams").asInt());
    final JsonNode car = all.get(1);
    assertEquals("h264", car.get("videoCodec").asText());
    assertEquals(1, car.get("audioStreams").asInt());
    assertTrue(car.get("bitRate").asLong() > 0);
    assertEquals("", run.err(), "nothing but JSON on a clean run");
  }

  @Test
  void shouldExitTwoNamingAMissingFileWithoutAStackTrace() {
    final String missing = SharedData.work("info").resolve("no_such_clip.mp4").toString();
    final CliRun run = CliRun.of("info", missing);
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("no_such_clip.mp4"), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace:\n" + run.err());
    assertEquals("", run.out());

    final CliRun traced = CliRun.of("info", missing, "--stacktrace");
    assertEquals(ExitCode.INVALID_INPUT, traced.exitCode());
    assertTrue(traced.err().contains("\tat "), "stack trace with --stacktrace:\n" + traced.err());
  }

  @Test
  void shouldExitTwoForAFileThatIsNotAVideo() throws Exception {
    final Path notVideo = SharedData.work("info").resolve("notes.mp4");
    Files.writeString(notVideo, "these are not the frames you are looking for\n".repeat(20));
    final CliRun run = CliRun.of("info", notVideo.toString());
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("notes.mp4"), run.err());
    assertFalse(run.err().contains("\tat "), run.err());
  }

  @Test
  void shouldReportTheGoodVideosAndExitTwoWhenOneIsMissing() {
    final CliRun run = CliRun.of("info", SharedData.video("city_cc0.mpg").toString(), "missing_clip.mkv");
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.out().contains("mpeg2video"), run.out());
    assertTrue(run.err().contains("missing_clip.mkv"), run.err());
  }
}
