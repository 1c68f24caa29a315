package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.qa.answer.ChatCompletionsServer;
import io.vidctx.qa.haystack.ImageAlterations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Black-box tests of {@code vidctx ask} and {@code vidctx compress} on city_cc0.mpg (7.6 s, one hard
 * cut at 4.64 s): asking by example image, the coverage fallback of a text question, memory files,
 * export, and bad input.
 */
class AskCommandTest {
  private static final String CITY = SharedData.video("city_cc0.mpg").toString();
  private static final long CUT = 4_640_000L;
  private static Path dir;
  private static Path example;

  @BeforeAll
  static void prepare() throws IOException {
    dir = SharedData.work("ask");
    Broker.deleteTree(dir);
    Files.createDirectories(dir);
    // An altered copy (60 % size, JPEG 40) of the frame at 6 s: the second shot.
    try (VideoFileSource s = VideoFileSource.open(CITY, DecodeOptions.DEFAULTS.withRange(6_000_000, 6_500_000))) {
      final VideoFrame f = s.next().orElseThrow();
      final DecodedImage altered = ImageAlterations.jpegRecompress(
          ImageAlterations.resize(new DecodedImage(f.width(), f.height(), f.rgb()), 0.6), 40);
      example = Files.write(dir.resolve("example.jpg"),
          new ImageCodec(90).encode(altered.rgb(), altered.width(), altered.height(), ImageFormat.JPEG));
    }
  }

  private static String models() {
    return SharedData.work("ask-models").toString();
  }

  private static JsonNode json(final CliRun run) throws IOException {
    return new ObjectMapper().readTree(run.out());
  }

  @Test
  void shouldAnswerWhenAnExamplePictureAppears() throws IOException {
    final Path export = dir.resolve("export-image");
    final CliRun run = CliRun.of("ask", CITY, "When does this picture appear?", "--image", example.toString(),
        "--models-dir", models(), "--export", export.toString(), "--json");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode j = json(run);
    assertEquals("IMAGE", j.get("queryKind").asText());
    final String answer = j.get("answer").asText();
    assertTrue(answer.startsWith("at "), j.toString());
    assertTrue(TimeConverter.parseMicros(answer.substring(3, answer.indexOf(' ', 3))) >= CUT,
        "the answer's time is in the second shot: " + answer);
    assertTrue(j.get("evidence").size() > 0, j.toString());
    for (final JsonNode e : j.get("evidence")) {
      final long start = TimeConverter.parseMicros(e.asText().split("-")[0]);
      assertTrue(start >= CUT, "evidence in the second shot: " + e);
    }
    assertTrue(j.get("selectedTokens").asInt() > 0 && j.get("selectedTokens").asInt() <= 4096);
    assertTrue(j.get("seconds").has("decode") && j.get("seconds").has("select") && j.get("seconds").has("answer"));
    final JsonNode ctx = new ObjectMapper().readTree(export.resolve("context.json").toFile());
    assertEquals(j.get("selectedTokens").asInt(), ctx.at("/tokens/count").asInt());
    assertTrue(ctx.at("/answer/at/startMicros").asLong() >= CUT, ctx.get("answer").toString());
    assertTrue(Files.isRegularFile(export.resolve("tokens.npy")));
    assertTrue(Files.isRegularFile(export.resolve("query.npy")));
    assertTrue(ctx.get("keyframes").size() > 0);
    for (final JsonNode k : ctx.get("keyframes")) {
      final Path jpeg = export.resolve(k.get("file").asText());
      final DecodedImage img = new ImageCodec().read(jpeg);
      assertTrue(img.width() > 0, "keyframe " + jpeg + " decodes");
    }
  }

  @Test
  void shouldSayATextQuestionNeedsAClipModelAndStillExportCoverage() throws IOException {
    final Path export = dir.resolve("export-text");
    final CliRun run = CliRun.of("ask", CITY, "Is it raining?", "--models-dir", models(), "--export",
        export.toString());
    assertEquals(ExitCode.ERROR, run.exitCode(), run.dump());
    assertTrue(run.err().contains("CLIP") && run.err().contains("text tower"), run.dump());
    assertTrue(run.err().contains("no answer") && run.err().contains("--vlm"), run.dump());
    assertTrue(run.out().contains("query: coverage"), run.dump());
    final JsonNode ctx = new ObjectMapper().readTree(export.resolve("context.json").toFile());
    assertEquals("COVERAGE", ctx.at("/query/kind").asText());
    for (final JsonNode s : ctx.get("segments")) {
      assertTrue(s.get("selected").asInt() >= 1, "every segment represented: " + s);
    }
  }

  @Test
  void shouldAskAMemoryFileWithoutReencoding() throws IOException {
    final Path memory = dir.resolve("city.vmem");
    final CliRun compress = CliRun.of("compress", CITY, "--out", memory.toString(), "--models-dir", models(),
        "--overwrite", "--json");
    assertEquals(ExitCode.OK, compress.exitCode(), compress.dump());
    final JsonNode c = json(compress);
    assertTrue(c.get("memoryTokens").asInt() > 0 && c.get("reduction").asDouble() > 0.9, c.toString());

    final CliRun direct = CliRun.of("ask", CITY, "When?", "--image", example.toString(), "--models-dir", models(),
        "--json");
    final CliRun fromFile = CliRun.of("ask", "--memory", memory.toString(), "When?", "--image", example.toString(),
        "--models-dir", models(), "--json");
    assertEquals(ExitCode.OK, direct.exitCode(), direct.dump());
    assertEquals(ExitCode.OK, fromFile.exitCode(), fromFile.dump());
    final JsonNode a = json(direct);
    final JsonNode b = json(fromFile);
    assertEquals(a.get("answer"), b.get("answer"), "the same answer from the memory file");
    assertEquals(a.get("selectedTokens"), b.get("selectedTokens"));
    assertTrue(b.get("seconds").has("load") && !b.get("seconds").has("decode"), b.toString());

    final CliRun exists = CliRun.of("compress", CITY, "--out", memory.toString(), "--models-dir", models());
    assertEquals(ExitCode.INVALID_INPUT, exists.exitCode(), exists.dump());
    assertTrue(exists.err().contains("--overwrite"), exists.dump());
  }

  @Test
  void shouldRefuseBadInputWithClearErrors() throws IOException {
    final Path garbage = Files.writeString(dir.resolve("not-a-picture.png"), "garbage");
    final Path oldMemory = dir.resolve("old.vmem");
    final byte[] header = {'V', 'I', 'D', 'C', 'T', 'X', 'M', 0, 0, 0, 0, 7};
    Files.write(oldMemory, header);
    final String[][] cases = {
      {"empty", "ask", CITY, "  "},
      {"--budget must be >= 1", "ask", CITY, "q", "--budget", "0"},
      {"outside the video", "ask", CITY, "q", "--image", example.toString(), "--between", "10:00,11:00"},
      {"cannot be decoded", "ask", CITY, "q", "--image", garbage.toString()},
      {"does not exist", "ask", CITY, "q", "--image", dir.resolve("missing.jpg").toString()},
      {"exclude each other", "ask", CITY, "q", "--between", "0,2", "--last", "1m"},
      {"format version 7", "ask", "--memory", oldMemory.toString(), "q"},
      {"not a time range", "ask", CITY, "q", "--between", "abc"},
      {"at least 2 choices", "ask", CITY, "q", "--choices", "only"},
      {"give the video and the question", "ask", "q"},
    };
    for (final String[] c : cases) {
      final String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      final String[] withModels = java.util.Arrays.copyOf(args, args.length + 2);
      withModels[args.length] = "--models-dir";
      withModels[args.length + 1] = models();
      final CliRun run = CliRun.of(withModels);
      assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), String.join(" ", args) + "\n" + run.dump());
      assertTrue(run.err().contains(c[0]), "'" + c[0] + "' in the error of " + String.join(" ", args) + "\n"
          + run.dump());
    }
  }

  @Test
  void shouldPickAChoiceWithAClipShapedModel() throws IOException {
    final Path model = TinyClip.folder(dir.resolve("tiny-clip"));
    final CliRun run = CliRun.of("ask", CITY, "What is shown?", "--choices", "a street|a beach|a kitchen",
        "--model", model.toString(), "--json");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode j = json(run);
    assertEquals("TEXT", j.get("queryKind").asText());
    assertTrue(j.get("letter").asText().matches("[ABC]"), j.toString());
    final double conf = j.get("confidence").asDouble();
    assertTrue(conf > 0 && conf <= 1, j.toString());
  }

  @Test
  void shouldSendKeyframesToAnOpenAiCompatibleServer() throws IOException {
    try (ChatCompletionsServer server = new ChatCompletionsServer()) {
      server.always(ChatCompletionsServer.Reply.content("B"));
      final Path export = dir.resolve("export-vlm");
      final CliRun run = CliRun.of("ask", CITY, "What is shown?", "--choices", "a beach|a city street|a forest",
          "--vlm", server.baseUrl(), "--vlm-model", "test-vlm", "--keyframes", "3", "--models-dir", models(),
          "--export", export.toString(), "--json");
      assertEquals(ExitCode.OK, run.exitCode(), run.dump());
      final JsonNode j = json(run);
      assertEquals("B", j.get("letter").asText());
      assertEquals("a city street", j.get("answer").asText());
      assertEquals(1, server.requests().size());
      final JsonNode body = new ObjectMapper().readTree(server.requests().get(0).body());
      assertEquals("test-vlm", body.get("model").asText());
      int images = 0;
      boolean question = false;
      for (final JsonNode part : body.at("/messages/1/content")) {
        if (part.get("type").asText().equals("image_url")) {
          images++;
          assertTrue(part.at("/image_url/url").asText().startsWith("data:image/jpeg;base64,"));
        } else {
          question |= part.get("text").asText().contains("What is shown?");
        }
      }
      assertTrue(images >= 1 && images <= 3, images + " keyframes sent");
      assertTrue(question);
      final JsonNode ctx = new ObjectMapper().readTree(export.resolve("context.json").toFile());
      assertEquals("B", ctx.at("/answer/letter").asText());
      assertTrue(ctx.at("/answer/raw").asText().equals("B"));
    }
    // A server that is not there: a clear error naming the URL, exit 1.
    final CliRun down = CliRun.of("ask", CITY, "What is shown?", "--choices", "a|b", "--vlm",
        "http://127.0.0.1:9/v1", "--vlm-retries", "0", "--models-dir", models());
    assertEquals(ExitCode.ERROR, down.exitCode(), down.dump());
    assertTrue(down.err().contains("127.0.0.1:9"), down.dump());
  }
}
