package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code vidctx ocr} on the Sintel trailer's title and credits. */
class OcrCommandTest {
  private static final String SINTEL = SharedData.video("sintel_trailer_720p.mp4").toString();
  private static final String MODELS = SharedData.model("ppocr-v4").toString();

  @Test
  void shouldPrintTheTitleWithItsTimeSpan() throws IOException {
    final CliRun run = CliRun.of("ocr", SINTEL, "--start", "38", "--end", "49", "--ocr-models", MODELS, "--json");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode j = new ObjectMapper().readTree(run.out());
    JsonNode title = null;
    for (final JsonNode e : j.get("text")) {
      if (e.get("text").asText().equals("SINTEL") && (title == null
          || e.get("readings").asInt() > title.get("readings").asInt())) {
        title = e;
      }
    }
    assertTrue(title != null, run.out());
    // DATA.md: the logo shows from about 40 s to 47 s.
    assertTrue(title.get("startMicros").asLong() >= 39_000_000 && title.get("startMicros").asLong() <= 42_000_000,
        title.toString());
    assertTrue(title.get("endMicros").asLong() >= 44_000_000 && title.get("endMicros").asLong() <= 48_000_000,
        title.toString());
    assertTrue(j.get("framesRead").asLong() <= j.get("frames").asLong());
  }

  @Test
  void shouldRefuseAFolderWithoutModels() {
    final CliRun run = CliRun.of("ocr", SINTEL, "--ocr-models", SharedData.work("no-ocr-models").toString());
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("--ocr-models"), run.dump());
  }
}
