package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.qa.answer.ChatCompletionsServer;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Black-box tests of {@code vidctx niah make} and {@code vidctx eval}: a small grid on real clips, the
 * three methods, the report, a run killed midway and resumed, an external model through the loopback
 * chat-completions server, and bad arguments.
 */
class EvalCommandTest {
  private static Path dir;
  private static Path grid;

  @BeforeAll
  static void makeGrid() throws IOException {
    dir = SharedData.work("eval-cli");
    Broker.deleteTree(dir);
    Files.createDirectories(dir);
    grid = dir.resolve("grid");
    final CliRun run = CliRun.of("niah", "make", "--haystack", SharedData.video("cockatoo.mp4").toString(),
        SharedData.video("big_buck_bunny_0_30.webm").toString(), "--needles", SharedData.image("eagle.jpg").toString(),
        SharedData.image("mandrill.jpg").toString(), "--text-cards", "1", "--lengths", "1m,2m", "--depths",
        "0.2,0.8", "--size", "160x90", "--out", grid.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    assertTrue(run.out().contains("grid: 12 items (2 lengths x 2 depths x 3 needles: 8 photo, 4 text-card items)"),
        run.dump());
  }

  private static String models() {
    return SharedData.work("eval-models").toString();
  }

  @Test
  void shouldEvaluateTheGridWithEveryMethodAndWriteTheReport() throws IOException {
    final Path out = dir.resolve("run-all");
    final CliRun run = CliRun.of("eval", grid.resolve("manifest.jsonl").toString(), "--baseline", "ours,uniform,none",
        "--out", out.toString(), "--models-dir", models());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final List<String> lines = Files.readAllLines(out.resolve("results.jsonl"));
    assertEquals(36, lines.size());
    // The summary: ours finds every photo needle; the cards are unanswerable for the built-in encoder.
    final String ours = run.out().lines().filter(l -> l.startsWith("ours")).findFirst().orElseThrow();
    assertTrue(ours.contains("100.00 % (8/8)"), run.dump());
    final List<String> header = List.of(run.out().lines().findFirst().orElseThrow().split("\\s{2,}"));
    final List<String> cells = List.of(ours.split("\\s{2,}"));
    assertEquals("4", cells.get(header.indexOf("unanswerable")), "the 4 text-card items: " + ours);
    assertEquals("0", cells.get(header.indexOf("errors")), ours);
    final String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("class=\"chart heatmap") && !html.contains("https://"), "report with its heatmaps");
    assertTrue(Files.isRegularFile(out.resolve("run.json")));
    // The report is redrawn from the folder alone, leaving the results as they were.
    final byte[] results = Files.readAllBytes(out.resolve("results.jsonl"));
    final CliRun again = CliRun.of("eval", "--report-only", "--out", out.toString());
    assertEquals(ExitCode.OK, again.exitCode(), again.dump());
    assertTrue(again.out().contains("report: "), again.dump());
    org.junit.jupiter.api.Assertions.assertArrayEquals(results, Files.readAllBytes(out.resolve("results.jsonl")));
    // Resuming with another budget would mix results of two settings: refused.
    final CliRun changed = CliRun.of("eval", grid.resolve("manifest.jsonl").toString(), "--budget", "2048", "--out",
        out.toString(), "--models-dir", models());
    assertEquals(ExitCode.INVALID_INPUT, changed.exitCode(), changed.dump());
    assertTrue(changed.err().contains("budget 4096 -> 2048"), changed.dump());
    // ... but a run at another budget in its own folder, sharing the cache, feeds a budget sweep.
    final Path small = dir.resolve("run-1024");
    final CliRun sweep = CliRun.of("eval", grid.resolve("manifest.jsonl").toString(), "--budget", "1024", "--baseline",
        "ours,uniform,none", "--cache", out.resolve("cache").toString(), "--out", small.toString(), "--models-dir",
        models());
    assertEquals(ExitCode.OK, sweep.exitCode(), sweep.dump());
    assertTrue(!sweep.err().contains("encoding haystack"), "haystacks and memories from the shared cache: " + sweep.dump());
    final CliRun both = CliRun.of("eval", "--report-only", "--out", out.toString(), "--compare", small.toString());
    assertEquals(ExitCode.OK, both.exitCode(), both.dump());
    final String swept = Files.readString(out.resolve("report.html"));
    assertTrue(swept.contains("Token budget sweep") && swept.contains("budget 1,024"), "sweep in the report");
  }

  @Test
  void shouldResumeAKilledRunWithOnlyTheMissingItems() throws Exception {
    final Path out = dir.resolve("run-killed");
    final Path results = out.resolve("results.jsonl");
    final List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "eval", grid.resolve("manifest.jsonl").toString(),
        "--baseline", "ours,uniform", "--out", out.toString(), "--models-dir", models());
    final Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("killed.log").toFile()).start();
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try {
      while (System.nanoTime() < deadline && p.isAlive()
          && (!Files.exists(results) || Files.readAllLines(results).size() < 3)) {
        Thread.sleep(20);
      }
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(Files.exists(results), Files.readString(dir.resolve("killed.log")));
    final List<String> before = Files.readAllLines(results);
    assertTrue(before.size() >= 3 && before.size() < 24, "killed midway: " + before.size() + " of 24 results");
    final CliRun rerun = CliRun.of("eval", grid.resolve("manifest.jsonl").toString(), "--baseline", "ours,uniform",
        "--out", out.toString(), "--models-dir", models());
    assertEquals(ExitCode.OK, rerun.exitCode(), rerun.dump());
    final List<String> after = Files.readAllLines(results);
    assertEquals(24, after.size(), "every item x method once: " + rerun.dump());
    final Set<String> keys = new HashSet<>();
    final ObjectMapper json = new ObjectMapper();
    for (final String line : after) {
      final JsonNode r = json.readTree(line);
      assertTrue(keys.add(r.get("item").asText() + "/" + r.get("method").asText()), "twice: " + line);
    }
    // The finished results were kept, not redone (a torn last line, if any, is the one that ran again).
    final int complete = before.get(before.size() - 1).endsWith("}") ? before.size() : before.size() - 1;
    assertEquals(before.subList(0, complete), after.subList(0, complete));
    assertTrue(rerun.err().contains("resuming: " + complete + " of 24 results"), rerun.dump());
  }

  @Test
  void shouldCountUnparsableRepliesOfAnExternalModelApart() throws IOException {
    final String video = SharedData.video("city_cc0.mpg").toString();
    final Path manifest = dir.resolve("vlm.jsonl");
    Manifest.write(manifest, List.of(
        EvalItem.choice("street", video, "What is shown?", List.of("a beach", "a city street", "a forest"), 1),
        EvalItem.choice("sky", video, "What colour is the sky?", List.of("green", "grey"), 1),
        EvalItem.choice("cars", video, "Are there cars?", List.of("yes", "no"), 0)));
    try (ChatCompletionsServer server = new ChatCompletionsServer()) {
      server.then(ChatCompletionsServer.Reply.content("B"), ChatCompletionsServer.Reply.content("I cannot tell."),
          ChatCompletionsServer.Reply.content("(B)"));
      final Path out = dir.resolve("run-vlm");
      final CliRun run = CliRun.of("eval", manifest.toString(), "--vlm", server.baseUrl(), "--vlm-model", "test-vlm",
          "--keyframes", "2", "--out", out.toString(), "--models-dir", models());
      assertEquals(ExitCode.OK, run.exitCode(), run.dump());
      assertEquals(3, server.requests().size());
      final Map<String, String> outcome = new java.util.HashMap<>();
      for (final String line : Files.readAllLines(out.resolve("results.jsonl"))) {
        final JsonNode r = new ObjectMapper().readTree(line);
        outcome.put(r.get("item").asText(), r.get("outcome").asText());
      }
      assertEquals(Map.of("street", "CORRECT", "sky", "PARSE_FAILURE", "cars", "WRONG"), outcome);
      final String ours = run.out().lines().filter(l -> l.startsWith("ours")).findFirst().orElseThrow();
      assertTrue(ours.contains("33.33 % (1/3)"), run.dump());
      // Keyframes were sent as pictures.
      assertTrue(server.requests().get(0).body().contains("data:image/jpeg;base64,"));
    }
  }

  @Test
  void shouldReadTextCardsWithOcrAndRefuseToResumeWithoutIt() throws IOException {
    final Path cards = dir.resolve("cards");
    final CliRun make = CliRun.of("niah", "make", "--haystack", SharedData.video("cockatoo.mp4").toString(),
        "--text-cards", "2", "--lengths", "1m", "--depths", "0.5", "--size", "320x180", "--out", cards.toString());
    assertEquals(ExitCode.OK, make.exitCode(), make.dump());
    final Path out = dir.resolve("run-ocr");
    final String ocrModels = SharedData.model("ppocr-v4").toString();
    final CliRun run = CliRun.of("eval", cards.resolve("manifest.jsonl").toString(), "--baseline", "ours,uniform",
        "--ocr", "--ocr-models", ocrModels, "--out", out.toString(), "--models-dir", models());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final String ours = run.out().lines().filter(l -> l.startsWith("ours")).findFirst().orElseThrow();
    assertTrue(ours.contains("100.00 % (2/2)"), "both cards read off the screen: " + ours);
    assertTrue(Files.readString(out.resolve("run.json")).contains("\"ocr\""), "the OCR setting is recorded");
    assertTrue(Files.list(out.resolve("cache/texts")).anyMatch(p -> p.toString().endsWith(".vocr")));
    final CliRun blind = CliRun.of("eval", cards.resolve("manifest.jsonl").toString(), "--baseline", "ours,uniform",
        "--out", out.toString(), "--models-dir", models());
    assertEquals(ExitCode.INVALID_INPUT, blind.exitCode(), blind.dump());
    assertTrue(blind.err().contains("ocr"), blind.err());
  }

  @Test
  void shouldRefuseBadArgumentsNamingWhatToFix() throws IOException {
    final Path out = dir.resolve("bad");
    CliRun r = CliRun.of("eval", "--out", out.toString());
    assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.dump());
    assertTrue(r.err().contains("give a manifest"), r.dump());
    r = CliRun.of("eval", grid.resolve("manifest.jsonl").toString(), "--baseline", "ours,random", "--out", out.toString());
    assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.dump());
    assertTrue(r.err().contains("unknown method 'random'"), r.dump());
    r = CliRun.of("eval", "--benchmark", "mlvu", "--out", out.toString());
    assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.dump());
    assertTrue(r.err().contains("--data"), r.dump());
    r = CliRun.of("eval", "--benchmark", "kinetics", "--data", dir.toString(), "--out", out.toString());
    assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.dump());
    assertTrue(r.err().contains("egoschema"), r.dump());
    final Path broken = dir.resolve("broken.jsonl");
    Files.writeString(broken, "{\"id\":\"a\",\"video\":\"v.mp4\",\"question\":\"Q?\"}\n{\"id\":\"b\",\"video\":\"v.mp4\"}\n");
    r = CliRun.of("eval", broken.toString(), "--out", out.toString());
    assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.dump());
    assertTrue(r.err().contains("line 2") && r.err().contains("question"), r.dump());
    r = CliRun.of("niah", "make", "--haystack", dir.resolve("missing.mp4").toString(), "--out", out.toString());
    assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.dump());
    assertTrue(r.err().contains("missing.mp4"), r.dump());
    r = CliRun.of("niah", "make", "--haystack", SharedData.video("cockatoo.mp4").toString(), "--depths", "0.5,2",
        "--out", out.toString());
    assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.dump());
    assertTrue(r.err().contains("depths"), r.dump());
  }

  @Test
  void shouldReportAMissingVideoAsAFailedItemAndGoOn() throws IOException {
    final Path manifest = dir.resolve("missing.jsonl");
    Manifest.write(manifest, List.of(
        new EvalItem("gone", dir.resolve("no-such.mp4").toString(), "When does this picture appear?", List.of(), -1,
            null, SharedData.image("eagle.jpg").toString(), null, null, null, Map.of()),
        new EvalItem("here", SharedData.video("city_cc0.mpg").toString(), "When does this picture appear?", List.of(),
            -1, null, SharedData.image("eagle.jpg").toString(), null, null, null, Map.of())));
    final Path out = dir.resolve("run-missing");
    final CliRun run = CliRun.of("eval", manifest.toString(), "--out", out.toString(), "--models-dir", models());
    assertEquals(ExitCode.ERROR, run.exitCode(), run.dump());
    assertTrue(run.err().contains("no-such.mp4"), run.dump());
    final List<String> lines = Files.readAllLines(out.resolve("results.jsonl"));
    assertEquals(2, lines.size());
    assertTrue(lines.get(0).contains("\"ERROR\"") && lines.get(1).contains("\"UNSCORED\""), lines.toString());
  }
}
