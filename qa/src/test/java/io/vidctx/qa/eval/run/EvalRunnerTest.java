package io.vidctx.qa.eval.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.qa.ContextBuilder;
import io.vidctx.qa.answer.ChatCompletionsServer;
import io.vidctx.qa.answer.EmbeddingChoiceAnswerer;
import io.vidctx.qa.answer.OpenAiCompatibleAnswerer;
import io.vidctx.qa.answer.OpenAiConfig;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.Outcome;
import io.vidctx.qa.eval.niah.HaystackFile;
import io.vidctx.qa.eval.niah.NiahConfig;
import io.vidctx.qa.eval.niah.NiahMaker;
import io.vidctx.qa.haystack.HaystackSource;
import io.vidctx.tokencompress.FootageTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner on a small real grid: a 2-minute haystack of three shared clips (looped), one photo
 * needle and one text card at two depths, all three methods, the built-in encoder and answerer.
 */
class EvalRunnerTest {

  @TempDir static Path dir;
  static OnnxVisionEncoder encoder;
  static NiahMaker.Grid grid;

  @BeforeAll
  static void makeGrid() throws IOException {
    encoder = FootageTokens.builtinEncoder();
    final NiahConfig config = NiahConfig.of(
        List.of(SharedData.video("cockatoo.mp4"), SharedData.video("big_buck_bunny_0_30.webm"),
            SharedData.video("bottle_detection.mp4")),
        List.of(SharedData.image("eagle.jpg")), 1, List.of(120_000_000L), List.of(0.3, 0.8));
    grid = new NiahMaker(config, s -> { }).make(dir.resolve("grid"));
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  private static EvalRunner runner(final Path out, final List<String> notes) {
    return new EvalRunner(EvalConfig.DEFAULTS.withMethods(List.of(Method.OURS, Method.UNIFORM, Method.NONE)), encoder,
        null, "builtin", "builtin", new EmbeddingChoiceAnswerer(null), out.resolve("cache"), (v, d) -> d, new EvalRunner.Listener() {
          @Override
          public void note(final String message) {
            notes.add(message);
          }
        });
  }

  @Test
  void shouldAnswerTheGridWithEveryMethodAndCountUnanswerableCardsApart() throws IOException {
    final Path out = dir.resolve("run1");
    final List<String> notes = new ArrayList<>();
    final EvalRunner.Summary s;
    try (ResultLog log = ResultLog.open(out.resolve("results.jsonl"))) {
      s = runner(out, notes).run(grid.items(), dir.resolve("grid"), log);
    }
    assertEquals(4, grid.items().size());
    assertEquals(12, s.results());
    assertEquals(0, s.failed(), notes.toString());
    final List<ItemResult> results = ResultLog.readAll(out.resolve("results.jsonl"));
    assertEquals(12, results.size());
    final Map<String, ItemResult> byKey = results.stream().collect(Collectors.toMap(ItemResult::key, r -> r));
    for (final EvalItem item : grid.items()) {
      final ItemResult ours = byKey.get(item.id() + "\u0000ours");
      assertNotNull(ours, item.id());
      if (item.needle().kind() == io.vidctx.qa.eval.NeedleTruth.Kind.PHOTO) {
        assertEquals(Outcome.CORRECT, ours.outcome(), item.id() + " " + ours);
        assertEquals(Boolean.TRUE, ours.grounded());
        assertTrue(ours.recall().hit(), ours.toString());
        assertTrue(ours.reduction() > 0.9, ours.toString());
        assertTrue(item.needle().contains(ours.atMicros()));
        // Equal budgets: uniform takes whole frames within what ours kept, none exactly as many tokens.
        final ItemResult uniform = byKey.get(item.id() + "\u0000uniform");
        assertTrue(uniform.keptTokens() <= ours.keptTokens() && uniform.keptTokens() > ours.keptTokens() - 196,
            uniform + " vs " + ours);
        assertEquals(0, uniform.keptTokens() % 196, "whole frames: " + uniform);
        final ItemResult none = byKey.get(item.id() + "\u0000none");
        assertEquals(ours.keptTokens(), none.keptTokens(), none + " vs " + ours);
        assertEquals(none.patchTokens(), ours.patchTokens());
      } else {
        // The built-in encoder cannot read text: reported as unanswerable, never guessed.
        assertEquals(Outcome.UNANSWERABLE, ours.outcome(), ours.toString());
        assertNull(ours.answer());
        assertNotNull(ours.error());
      }
      assertTrue(ours.stageNanos().containsKey("compress"));
      assertTrue(ours.peakHeapBytes() > 0);
      assertFalse(ours.runs().isEmpty());
    }
    assertTrue(Files.list(out.resolve("cache/memories")).anyMatch(p -> p.toString().endsWith(".vmem")));
  }

  @Test
  void shouldShowAnExternalModelTheHaystackKeyframesAsPictures() throws IOException {
    final EvalItem card = grid.items().stream().filter(i -> "niah-text".equals(i.task())).findFirst().orElseThrow();
    final Path out = dir.resolve("run-vlm");
    try (ChatCompletionsServer server = new ChatCompletionsServer();
        OpenAiCompatibleAnswerer vlm = new OpenAiCompatibleAnswerer(OpenAiConfig.of(server.baseUrl(), "test-vlm"));
        ResultLog log = ResultLog.open(out.resolve("results.jsonl"))) {
      server.always(ChatCompletionsServer.Reply.content(String.valueOf((char) ('A' + card.answerIndex()))));
      final EvalRunner runner = new EvalRunner(EvalConfig.DEFAULTS.withKeyframeImages(true), encoder, null, "builtin",
          "builtin", vlm, out.resolve("cache"), (v, d) -> d, new EvalRunner.Listener() { });
      final EvalRunner.Summary s = runner.run(List.of(card), dir.resolve("grid"), log);
      assertEquals(1, s.results());
      final ItemResult r = log.results().get(0);
      assertEquals(Outcome.CORRECT, r.outcome(), r.toString());
      assertTrue(r.stageNanos().containsKey("keyframes"));
      final String body = server.requests().get(0).body();
      final int pictures = body.split("data:image/jpeg;base64,", -1).length - 1;
      assertEquals(ContextBuilder.DEFAULT_KEYFRAMES, pictures, "every keyframe sent as a picture");
    }
  }

  @Test
  void shouldSpliceTheNeedleExactlyWhereTheHaystackShowsIt() throws IOException {
    final EvalItem item = grid.items().stream().filter(i -> "niah-photo".equals(i.task())).findFirst().orElseThrow();
    final HaystackFile hay = HaystackFile.read(dir.resolve("grid").resolve(item.video()));
    final HaystackNeedle needle = HaystackNeedle.locate(hay, item, dir.resolve("grid").resolve(item.needle().image())
        .toString());
    final List<FrameTokens> cached = new ArrayList<>();
    try (HaystackSource s = hay.open(hay.spec())) {
      for (Optional<VideoFrame> f = s.next(); f.isPresent(); f = s.next()) {
        cached.add(encoder.encode(List.of(f.get())).get(0));
      }
    }
    final List<FrameTokens> spliced = needle.splice(cached, needle.encodeNeedle(encoder, "s"), "s");
    final List<FrameTokens> direct = new ArrayList<>();
    try (HaystackSource s = hay.open(hay.spec().withNeedle(needle.needle()))) {
      for (Optional<VideoFrame> f = s.next(); f.isPresent(); f = s.next()) {
        direct.add(encoder.encode(List.of(f.get())).get(0));
      }
    }
    assertEquals(direct.size(), spliced.size());
    for (int k = 0; k < direct.size(); k++) {
      assertEquals(direct.get(k).index(), spliced.get(k).index());
      assertEquals(direct.get(k).ptsMicros(), spliced.get(k).ptsMicros(), "frame " + k);
      assertArrayEquals(direct.get(k).patches(), spliced.get(k).patches(), "frame " + k);
    }
    assertEquals(item.needle().startMicros(), spliced.get((int) needle.interval().firstIndex()).ptsMicros());
  }

  @Test
  void shouldReuseTheCachesOnARerunAndRetryFailures() throws IOException {
    final Path out = dir.resolve("run3");
    final List<String> notes = new ArrayList<>();
    final List<EvalItem> two = grid.items().subList(0, 2);
    try (ResultLog log = ResultLog.open(out.resolve("results.jsonl"))) {
      runner(out, notes).run(two, dir.resolve("grid"), log);
    }
    // A failed result (as an endpoint outage leaves) is not done: the next run tries it again.
    try (ResultLog log = ResultLog.open(out.resolve("results.jsonl"))) {
      log.append(ItemResult.error(two.get(0).id(), Method.OURS, "endpoint down"));
    }
    final EvalRunner.Summary s;
    try (ResultLog log = ResultLog.open(out.resolve("results.jsonl"))) {
      s = runner(out, notes).run(two, dir.resolve("grid"), log);
      assertEquals(1, s.results(), "only the failed one again");
      assertEquals(1, s.skipped(), "the other item is done");
      final ItemResult redone = log.get(two.get(0).id(), Method.OURS);
      assertEquals(Outcome.CORRECT, redone.outcome());
      assertTrue(redone.cached().contains("memory"), redone.cached().toString());
    }
  }

  @Test
  void shouldFailTheItemsOfAMissingHaystackAndGoOn() throws IOException {
    final EvalItem good = grid.items().get(0);
    final EvalItem gone = new EvalItem("gone", "haystacks/none.haystack.json", good.question(), List.of(), -1, null,
        good.queryImage(), null, good.needle(), good.task(), java.util.Map.of());
    final Path out = dir.resolve("run4");
    try (ResultLog log = ResultLog.open(out.resolve("results.jsonl"))) {
      final EvalRunner.Summary s = runner(out, new ArrayList<>()).run(List.of(gone, good), dir.resolve("grid"), log);
      assertEquals(6, s.results());
      assertEquals(3, s.failed());
      assertEquals(Outcome.ERROR, log.get("gone", Method.OURS).outcome());
      assertTrue(log.get("gone", Method.NONE).error().contains("none.haystack.json"), log.get("gone", Method.NONE).error());
      assertEquals(Outcome.CORRECT, log.get(good.id(), Method.OURS).outcome());
    }
  }

  @Test
  void shouldRefuseADamagedLineInTheMiddleOfTheLog() throws IOException {
    final Path file = dir.resolve("damaged/results.jsonl");
    Files.createDirectories(file.getParent());
    final String ok = ResultLog.toJson(ItemResult.error("a", Method.OURS, "x")).toString();
    Files.writeString(file, ok + "\n{\"item\":\"b\",\n" + ok + "\n");
    final IOException e = assertThrows(IOException.class, () -> ResultLog.open(file));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    // Reading for a report never writes.
    final byte[] before = Files.readAllBytes(file);
    assertThrows(IOException.class, () -> ResultLog.readAll(file));
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void shouldResumeWithOnlyTheMissingItems() throws IOException {
    final Path out = dir.resolve("run2");
    final List<String> notes = new ArrayList<>();
    // First run: only the first two items (as if killed after them), then a torn line.
    try (ResultLog log = ResultLog.open(out.resolve("results.jsonl"))) {
      runner(out, notes).run(grid.items().subList(0, 2), dir.resolve("grid"), log);
    }
    Files.writeString(out.resolve("results.jsonl"), "{\"item\":\"niah-2m-d0.80-eagle\",\"meth",
        java.nio.file.StandardOpenOption.APPEND);
    final EvalRunner.Summary s;
    try (ResultLog log = ResultLog.open(out.resolve("results.jsonl"))) {
      assertNotNull(log.repaired());
      s = runner(out, notes).run(grid.items(), dir.resolve("grid"), log);
    }
    assertEquals(2, s.skipped());
    assertEquals(6, s.results());
    final List<ItemResult> all = ResultLog.readAll(out.resolve("results.jsonl"));
    assertEquals(12, all.size());
    assertEquals(12, Files.readAllLines(out.resolve("results.jsonl")).size());
  }
}
