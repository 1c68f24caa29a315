package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.encoder.ocr.OcrModels;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vidctx ocr} on the Sintel trailer's title and credits. */
class OcrCommandTest {
  private static final String SINTEL = SharedData.video("sintel_trailer_720p.mp4").toString();
  private static final String MODELS = SharedData.model("ppocr-v4").toString();

  @Test
  void shouldPrintTheTitleWithItsTimeSpan() throws IOException {
    assertTitleSpan("--change", "4");
  }

  @Test
  void shouldFindTheTitleReadingEveryFrame() throws IOException {
    final JsonNode j = assertTitleSpan("--change", "0");
    assertEquals(j.get("frames").asLong(), j.get("framesRead").asLong(), "--change 0 reads every frame");
  }

  @Test
  void shouldReadFewerFramesWithAGap() throws IOException {
    final JsonNode sparse = assertTitleSpan("--min-gap", "3s");
    final JsonNode dense = assertTitleSpan("--min-gap", "0");
    assertTrue(sparse.get("framesRead").asLong() <= dense.get("framesRead").asLong(), sparse + " vs " + dense);
  }

  @Test
  void shouldRefuseBadScheduleOptions() {
    CliRun run = CliRun.of("ocr", SINTEL, "--ocr-models", MODELS, "--cut", "-1");
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("--cut must be >= 0"), run.dump());
    run = CliRun.of("ocr", SINTEL, "--ocr-models", MODELS, "--min-gap", "soon");
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("soon"), run.dump());
  }

  @Test
  void shouldReadTheLevelTitleWithTheClassifierOnToo() throws IOException {
    assertTitleSpan("--classify");
  }

  @Test
  void shouldRefuseClassifyingWithoutTheClassifier(@TempDir final Path dir) throws IOException {
    for (final String f : List.of(OcrModels.DETECTOR, OcrModels.RECOGNIZER, OcrModels.DICTIONARY)) {
      Files.createSymbolicLink(dir.resolve(f), Path.of(MODELS, f).toAbsolutePath());
    }
    final CliRun run = CliRun.of("ocr", SINTEL, "--start", "40", "--end", "41", "--ocr-models", dir.toString(),
        "--classify");
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains(OcrModels.CLASSIFIER), run.dump());
  }

  @Test
  void shouldParseGapsInSecondsMillisecondsAndZero() {
    final OcrCommand.GapConverter c = new OcrCommand.GapConverter();
    assertEquals(2_000_000L, c.convert("2s"));
    assertEquals(1_500_000L, c.convert("1.5"));
    assertEquals(500_000L, c.convert("500ms"));
    assertEquals(0L, c.convert("0"));
    assertEquals(0L, c.convert("0s"));
  }

  /** Runs ocr on 38-49 s with {@code options} and checks "SINTEL" spans about 40-47 s; returns the JSON. */
  private static JsonNode assertTitleSpan(final String... options) throws IOException {
    final List<String> args = new ArrayList<>(List.of("ocr", SINTEL, "--start", "38", "--end", "49", "--ocr-models",
        MODELS, "--json"));
    args.addAll(List.of(options));
    final CliRun run = CliRun.of(args.toArray(String[]::new));
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
    return j;
  }

  @Test
  void shouldRefuseAFolderWithoutModels() {
    final CliRun run = CliRun.of("ocr", SINTEL, "--ocr-models", SharedData.work("no-ocr-models").toString());
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("--ocr-models"), run.dump());
  }
}
