package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code vidctx ask --ocr} and {@code vidctx compress --ocr} on the Sintel trailer (0:36-0:55 of it:
 * the "SINTEL" title card at 41-47 s, then "COMING SOON" and credits) with the real PP-OCRv4 models:
 * a short question answered by the title with its time, a multiple-choice question decided by the
 * on-screen text, and the text carried in a memory file and an exported context.
 */
class AskOcrCommandTest {
  private static final String SINTEL = SharedData.video("sintel_trailer_720p.mp4").toString();
  private static final String OCR_MODELS = SharedData.model("ppocr-v4").toString();
  private static final String[] RANGE = {"--start", "36", "--end", "55", "--ocr-models", OCR_MODELS};

  private static String models() {
    return SharedData.work("ask-models").toString();
  }

  private static JsonNode json(final CliRun run) throws IOException {
    return new ObjectMapper().readTree(run.out());
  }

  private static String[] args(final String... head) {
    final String[] out = new String[head.length + RANGE.length + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(RANGE, 0, out, head.length, RANGE.length);
    out[out.length - 2] = "--models-dir";
    out[out.length - 1] = models();
    return out;
  }

  @Test
  void shouldAnswerFromTheTitleCardWithItsTime() throws IOException {
    final CliRun run = CliRun.of(args("ask", SINTEL, "When does the title 'Sintel' appear?", "--ocr", "--json"));
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode j = json(run);
    assertEquals("sintel", j.get("answer").asText().toLowerCase(java.util.Locale.ROOT), j.toString());
    boolean title = false;
    for (final JsonNode e : j.get("evidence")) {
      final String[] span = e.asText().split("-");
      final long start = TimeConverter.parseMicros(span[0]);
      title |= start >= 40_000_000L && start <= 43_000_000L && TimeConverter.parseMicros(span[1]) >= 45_000_000L;
    }
    assertTrue(title, "evidence spans the title card (41-47 s): " + j.get("evidence"));
    assertTrue(j.get("notes").toString().contains("on-screen text"), j.get("notes").toString());
    final JsonNode ocr = j.get("ocr");
    assertTrue(ocr.get("framesRead").asLong() > 0 && ocr.get("framesRead").asLong() <= ocr.get("frames").asLong(),
        ocr.toString());
    assertTrue(j.get("seconds").get("ocr").asDouble() > 0);
    assertTrue(j.get("reduction").asDouble() > 0.9, "visual tokens still compressed: " + j.get("reduction"));
  }

  @Test
  void shouldChooseTheOptionTheScreenSays() throws IOException {
    final CliRun run = CliRun.of(args("ask", SINTEL, "What is the title of the film?", "--choices",
        "Big Buck Bunny|Sintel|Elephants Dream|Tears of Steel", "--ocr", "--json"));
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode j = json(run);
    assertEquals("B", j.get("letter").asText(), j.toString());
    assertTrue(j.get("confidence").asDouble() > 0.5, j.toString());
    // Without --ocr the built-in encoder cannot read the options off the screen: it says so.
    final CliRun blind = CliRun.of(args("ask", SINTEL, "What is the title of the film?", "--choices",
        "Big Buck Bunny|Sintel", "--json"));
    assertEquals(ExitCode.ERROR, blind.exitCode(), blind.dump());
    assertTrue(blind.err().contains("text tower"), blind.err());
  }

  @Test
  void shouldKeepTheTextInAMemoryFileAndTheExportedContext() throws IOException {
    final Path dir = SharedData.work("ask-ocr");
    Broker.deleteTree(dir);
    Files.createDirectories(dir);
    final Path vmem = dir.resolve("sintel.vmem");
    final CliRun compress = CliRun.of(args("compress", SINTEL, "--ocr", "--out", vmem.toString(), "--json"));
    assertEquals(ExitCode.OK, compress.exitCode(), compress.dump());
    assertTrue(json(compress).get("textTokens").asInt() > 0, compress.out());
    final Path export = dir.resolve("ctx");
    final CliRun ask = CliRun.of("ask", "--memory", vmem.toString(), "When is SINTEL shown?", "--models-dir", models(),
        "--export", export.toString(), "--json");
    assertEquals(ExitCode.OK, ask.exitCode(), ask.dump());
    assertEquals("sintel", json(ask).get("answer").asText().toLowerCase(java.util.Locale.ROOT), ask.out());
    final JsonNode ctx = new ObjectMapper().readTree(export.resolve("context.json").toFile());
    boolean matched = false;
    for (final JsonNode t : ctx.get("texts")) {
      matched |= t.get("matched").asBoolean() && t.get("text").asText().equalsIgnoreCase("sintel");
    }
    assertTrue(matched, ctx.get("texts").toString());
    // --ocr needs the frames: a memory alone is refused with the way out.
    final CliRun refused = CliRun.of("ask", "--memory", vmem.toString(), "When?", "--ocr", "--ocr-models", OCR_MODELS,
        "--models-dir", models());
    assertEquals(ExitCode.INVALID_INPUT, refused.exitCode(), refused.dump());
    assertTrue(refused.err().contains("compress VIDEO --ocr"), refused.err());
  }

  @Test
  void shouldRefuseMissingOcrModelsClearly() {
    final CliRun run = CliRun.of("ask", SINTEL, "When?", "--ocr", "--ocr-models",
        SharedData.work("no-such-ocr-models").toString(), "--models-dir", models());
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("--ocr-models"), run.err());
  }
}
