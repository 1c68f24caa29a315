package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FramesCommandTest {
  private final ImageCodec codec = new ImageCodec();

  private static Path freshDir(final String name) {
    final Path dir = SharedData.work("frames").resolve(name);
    Broker.deleteTree(dir);
    return dir;
  }

  private static List<Path> jpegs(final Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("frame_")).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void shouldWriteFramesContactSheetAndIndexAtOneFps() throws Exception {
    final Path out = freshDir("city-1fps");
    final CliRun run = CliRun.of("frames", SharedData.video("city_cc0.mpg").toString(), "--fps", "1", "--out", out.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());

    final List<Path> files = jpegs(out);
    assertTrue(files.size() >= 7 && files.size() <= 9, "7.6 s at 1 fps is 8 frames (+-1): " + files);
    for (final Path f : files) {
      final DecodedImage img = codec.read(f);
      assertEquals(720, img.width(), f.toString());
      assertEquals(405, img.height(), f.toString());
    }
    assertEquals("frame_000000_t0000.000.jpg", files.get(0).getFileName().toString());
    assertTrue(files.get(1).getFileName().toString().matches("frame_000001_t0001\\.\\d{3}\\.jpg"), files.get(1).toString());

    final DecodedImage sheet = codec.read(out.resolve(FramesCommand.CONTACT_SHEET));
    assertTrue(sheet.width() > 240 && sheet.height() > 135, sheet.width() + "x" + sheet.height());

    final JsonNode index = Json.mapper().readTree(out.resolve(FramesCommand.INDEX).toFile());
    final JsonNode frames = index.get("frames");
    assertEquals(files.size(), frames.size());
    assertEquals(files.size(), index.get("frameCount").asInt());
    assertEquals(720, index.get("width").asInt());
    assertEquals("city_cc0", index.get("streamId").asText());
    assertEquals(files.size(), index.get("contactSheetFrames").asInt());
    long prevPts = -1;
    for (int i = 0; i < frames.size(); i++) {
      final JsonNode f = frames.get(i);
      assertEquals(i, f.get("index").asLong());
      assertEquals(files.get(i).getFileName().toString(), f.get("file").asText());
      assertEquals(Files.size(files.get(i)), f.get("bytes").asLong());
      final long pts = f.get("ptsMicros").asLong();
      if (prevPts >= 0) {
        assertEquals(1_000_000, pts - prevPts, 80_000, "1 fps spacing at frame " + i);
      }
      assertEquals(pts / 1e6, f.get("seconds").asDouble(), 1e-6);
      prevPts = pts;
    }
    assertTrue(run.out().contains("wrote " + files.size() + " frames"), run.out());
  }

  @Test
  void shouldHonourRangeSizeAndSheetCap() throws Exception {
    final Path out = freshDir("city-range");
    final CliRun run = CliRun.of("frames", SharedData.video("city_cc0.mpg").toString(), "--fps", "0", "--start", "00:02",
        "--end", "3.0", "--width", "360", "--sheet-max", "5", "--out", out.toString(), "--json");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode index = Json.mapper().readTree(run.out());
    final int n = index.get("frameCount").asInt();
    assertTrue(n >= 24 && n <= 26, "one second of 25 fps: " + n);
    assertEquals(5, index.get("contactSheetFrames").asInt());
    for (final JsonNode f : index.get("frames")) {
      final long pts = f.get("ptsMicros").asLong();
      assertTrue(pts >= 2_000_000 && pts < 3_000_000, "pts " + pts + " outside [2 s, 3 s)");
    }
    final DecodedImage first = codec.read(out.resolve(index.get("frames").get(0).get("file").asText()));
    assertEquals(360, first.width());
    assertEquals(202, first.height(), 1);
  }

  @Test
  void shouldRefuseToMixWithAnEarlierRunUnlessOverwriting() throws Exception {
    final Path out = freshDir("city-twice");
    final String city = SharedData.video("city_cc0.mpg").toString();
    assertEquals(ExitCode.OK, CliRun.of("frames", city, "--max-frames", "2", "--out", out.toString()).exitCode());
    final CliRun again = CliRun.of("frames", city, "--max-frames", "3", "--out", out.toString());
    assertEquals(ExitCode.INVALID_INPUT, again.exitCode(), again.dump());
    assertTrue(again.err().contains("--overwrite"), again.err());
    assertEquals(2, jpegs(out).size(), "nothing written by the refused run");

    final CliRun over = CliRun.of("frames", city, "--max-frames", "3", "--out", out.toString(), "--overwrite");
    assertEquals(ExitCode.OK, over.exitCode(), over.dump());
    assertEquals(3, jpegs(out).size());
  }

  @Test
  void shouldRejectBadRangesAndValuesWithExitTwo() {
    final String city = SharedData.video("city_cc0.mpg").toString();
    final String out = freshDir("city-bad").toString();
    final CliRun endBeforeStart = CliRun.of("frames", city, "--out", out, "--start", "5", "--end", "4");
    assertEquals(ExitCode.INVALID_INPUT, endBeforeStart.exitCode(), endBeforeStart.dump());
    assertTrue(endBeforeStart.err().contains("--end (00:04.000) must be after --start (00:05.000)"), endBeforeStart.err());

    final CliRun quality = CliRun.of("frames", city, "--out", out, "--quality", "0");
    assertEquals(ExitCode.INVALID_INPUT, quality.exitCode());
    assertTrue(quality.err().contains("--quality must be in 1..100"), quality.err());

    final CliRun pastEnd = CliRun.of("frames", city, "--out", out, "--start", "00:30");
    assertEquals(ExitCode.INVALID_INPUT, pastEnd.exitCode(), pastEnd.dump());
    assertTrue(pastEnd.err().contains("city_cc0.mpg") && pastEnd.err().contains("30"), "names the clip and the time: "
        + pastEnd.err());
    assertTrue(!pastEnd.err().contains("\tat "), pastEnd.err());

    final CliRun missing = CliRun.of("frames", "nowhere/clip.mp4", "--out", out);
    assertEquals(ExitCode.INVALID_INPUT, missing.exitCode(), missing.dump());
    assertTrue(missing.err().contains("nowhere/clip.mp4"), missing.err());
  }
}
