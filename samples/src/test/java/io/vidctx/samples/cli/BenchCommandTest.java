package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.ingest.testing.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Smoke tests of the benchmarks: they run and report figures; no speed is asserted. */
class BenchCommandTest {

  @Test
  void shouldReportOurDecodeRateAndExplainAMissingFfmpeg() {
    final CliRun run = CliRun.of("bench", "decode", "--repeat", "1", "--ffmpeg", "/nonexistent/bin/ffmpeg",
        SharedData.video("city_cc0.mpg").toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    assertTrue(run.err().contains("apt-get install ffmpeg"), run.err());
    final String[] lines = run.out().strip().split("\n");
    assertTrue(lines[0].startsWith("CLIP") && lines[0].contains("OURS fr/s"), lines[0]);
    final String[] cells = lines[1].trim().split("\\s+");
    assertEquals("city_cc0.mpg", cells[0]);
    assertEquals(190, Long.parseLong(cells[1]), 2);
    assertTrue(Double.parseDouble(cells[3]) > 0, "our rate: " + lines[1]);
    assertEquals("-", cells[4], "no ffmpeg figure: " + lines[1]);
  }

  @Test
  void shouldPrintJsonForTheDecodeBench() throws Exception {
    final CliRun run = CliRun.of("bench", "decode", "--repeat", "1", "--json", "--ffmpeg", "/nonexistent/ffmpeg",
        SharedData.video("city_cc0.mpg").toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode r = Json.mapper().readTree(run.out());
    final JsonNode clip = r.get("clips").get(0);
    assertTrue(clip.get("oursFramesPerSecond").asDouble() > 0);
    assertEquals(8, clip.get("sampledFrames").asLong(), 1);
    assertTrue(clip.get("ratio").isNull(), "no ratio without ffmpeg: " + clip);
  }

  @Test
  void shouldTimeOcrOnTheSintelTitle() throws Exception {
    // DATA.md: the "SINTEL" logo shows from about 40 s; 3 frames at 1 fps from 41 s after a warm-up at 40 s.
    final CliRun run = CliRun.of("bench", "ocr", SharedData.video("sintel_trailer_720p.mp4").toString(),
        "--start", "40", "--frames", "3", "--height", "360", "--ocr-models", SharedData.model("ppocr-v4").toString(),
        "--json");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode r = Json.mapper().readTree(run.out());
    assertEquals(640, r.get("width").asInt(), run.out());
    assertEquals(3, r.get("frames").asInt(), run.out());
    assertTrue(r.get("framesWithText").asInt() >= 1, run.out());
    for (final String figure : new String[] {"detectMsMean", "detectMsP50", "detectMsP95", "recognizeMsPerCrop",
        "cropsPerFrame", "totalMsPerFrame"}) {
      assertTrue(r.get(figure).asDouble() > 0, figure + ": " + run.out());
    }
    assertTrue(r.get("detectMsP95").asDouble() >= r.get("detectMsP50").asDouble(), run.out());
  }

  @Test
  void shouldRejectAMissingClip() {
    final CliRun run = CliRun.of("bench", "decode", "--repeat", "1", "no/clip.mp4");
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("clip not found: no/clip.mp4"), run.err());
  }

  @Test
  @Tag("slow")
  void shouldCompareThePublisherWithKafkasProducerTool() {
    final CliRun run = CliRun.of("bench", "publish", "--frames", "60", "--clip", SharedData.video("city_cc0.mpg").toString(),
        "--width", "640", "--height", "360");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    assertTrue(run.out().contains("FramePublisher.sendEncoded"), run.out());
    assertTrue(run.out().contains("kafka ProducerPerformance"), run.out());
    assertTrue(run.out().contains("ours/kafka"), run.out());
  }
}
