package io.vidctx.qa.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.ocr.OcrConfig;
import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.encoder.ocr.OcrModels;
import io.vidctx.encoder.ocr.OcrPass;
import io.vidctx.encoder.ocr.OcrSchedule;
import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.qa.answer.EmbeddingChoiceAnswerer;
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
 * Text needles read by the real PP-OCRv4 models: a 2-minute haystack of shared clips with on-screen
 * text of their own (the Sintel trailer's titles and credits among them), two rendered cards (a code
 * and a phrase) at two depths, all three methods with the built-in encoder and answerer.
 */
class EvalOcrTest {
  @TempDir static Path dir;
  static OnnxVisionEncoder encoder;
  static OcrEngine ocr;
  static NiahMaker.Grid grid;

  @BeforeAll
  static void prepare() throws IOException {
    encoder = FootageTokens.builtinEncoder();
    ocr = OcrEngine.open(OcrModels.in(SharedData.model("ppocr-v4")), OcrConfig.DEFAULTS,
        RuntimeOptions.DEFAULTS.withIntraOpThreads(2));
    final NiahConfig config = NiahConfig.of(List.of(SharedData.video("sintel_trailer_720p.mp4"),
        SharedData.video("cockatoo.mp4"), SharedData.video("wanna_work_together.mp4")), List.of(), 2,
        List.of(120_000_000L), List.of(0.25, 0.75));
    grid = new NiahMaker(config, s -> { }).make(dir.resolve("grid"));
  }

  @AfterAll
  static void close() {
    ocr.close();
    encoder.close();
  }

  private static EvalRunner.Ocr reading() {
    return new EvalRunner.Ocr(ocr, "ppocr-v4 test", OcrSchedule.Config.DEFAULTS);
  }

  @Test
  void shouldAnswerTextNeedlesFromTheScreenAtTheirTime() throws IOException {
    final Path out = dir.resolve("run");
    final List<String> notes = new ArrayList<>();
    try (ResultLog log = ResultLog.open(out.resolve("results.jsonl"))) {
      final EvalRunner runner = new EvalRunner(EvalConfig.DEFAULTS.withMethods(List.of(Method.OURS, Method.UNIFORM,
          Method.NONE)), encoder, null, "builtin", "builtin", new EmbeddingChoiceAnswerer(null), out.resolve("cache"),
          (v, d) -> d, new EvalRunner.Listener() {
            @Override
            public void note(final String message) {
              notes.add(message);
            }
          }, reading());
      assertEquals(0, runner.run(grid.items(), dir.resolve("grid"), log).failed(), notes.toString());
    }
    final Map<String, ItemResult> byKey = ResultLog.readAll(out.resolve("results.jsonl")).stream()
        .collect(Collectors.toMap(ItemResult::key, r -> r));
    assertEquals(4, grid.items().size());
    for (final EvalItem item : grid.items()) {
      final ItemResult ours = byKey.get(item.id() + "\u0000ours");
      assertEquals(Outcome.CORRECT, ours.outcome(), item.id() + " " + ours);
      assertEquals(Boolean.TRUE, ours.grounded(), "answered with the card's time: " + ours);
      assertTrue(ours.reduction() > 0.95, ours.toString());
      assertTrue(ours.stageNanos().get("ocr") > 0, ours.stageNanos().toString());
      final ItemResult none = byKey.get(item.id() + "\u0000none");
      assertEquals(Outcome.CORRECT, none.outcome(), "every frame read: " + none);
      assertTrue(none.stageNanos().get("ocr") >= ours.stageNanos().get("ocr"), "none reads every frame");
      final ItemResult uniform = byKey.get(item.id() + "\u0000uniform");
      assertTrue(uniform.outcome() == Outcome.CORRECT || uniform.outcome() == Outcome.WRONG, uniform.toString());
    }
    assertTrue(notes.stream().anyMatch(n -> n.contains("reading the on-screen text of haystack")), notes.toString());
  }

  @Test
  void shouldReadExactlyWhatALivePassOverTheNeedledStreamReads() throws IOException {
    final EvalItem item = grid.items().get(grid.items().size() - 1);
    final HaystackFile hay = HaystackFile.read(dir.resolve("grid").resolve(item.video()));
    final HaystackNeedle needle = HaystackNeedle.locate(hay, item, dir.resolve("grid").resolve(item.needle().image())
        .toString());
    // What the evaluation does: every haystack frame read once (through the cache file), the needle once, spliced.
    final Path cacheFile = dir.resolve("frames.vocr");
    final List<FrameTexts.FrameText> plain = new ArrayList<>();
    try (HaystackSource s = hay.open(hay.spec())) {
      for (Optional<VideoFrame> f = s.next(); f.isPresent(); f = s.next()) {
        plain.add(FrameTexts.FrameText.read(ocr, f.get().width(), f.get().height(), f.get().rgb()));
      }
    }
    FrameTexts.write(cacheFile, plain);
    final List<FrameTexts.FrameText> back = FrameTexts.read(cacheFile);
    assertEquals(plain.size(), back.size());
    for (int k = 0; k < plain.size(); k++) {
      assertEquals(plain.get(k).lines(), back.get(k).lines(), "frame " + k);
      assertEquals(plain.get(k).thumbnail(), back.get(k).thumbnail(), "frame " + k);
    }
    final var fitted = needle.fitted();
    final List<FrameTexts.FrameText> spliced = needle.spliceValues(back, FrameTexts.FrameText.read(ocr, fitted.width(),
        fitted.height(), fitted.rgb()));
    final List<Long> times = new ArrayList<>();
    for (int k = 0; k < spliced.size(); k++) {
      times.add(HaystackSource.framePts(k, hay.spec().fps()));
    }
    final FrameTexts.Replayed replayed = FrameTexts.replay(spliced, times, OcrSchedule.Config.DEFAULTS);
    // A live pass: the needled stream decoded frame by frame, read when its schedule says so.
    final OcrPass live = new OcrPass(OcrSchedule.Config.DEFAULTS);
    try (HaystackSource s = hay.open(hay.spec().withNeedle(needle.needle()))) {
      for (Optional<VideoFrame> f = s.next(); f.isPresent(); f = s.next()) {
        live.accept(f.get().ptsMicros(), f.get().width(), f.get().height(), f.get().rgb(), ocr);
      }
    }
    final List<TextToken> liveTokens = live.finish();
    assertEquals(live.read(), replayed.read(), "the same frames read");
    assertTrue(replayed.read() < spliced.size(), "sparse: " + replayed.read() + " of " + spliced.size());
    assertEquals(liveTokens, replayed.tokens());
    assertTrue(liveTokens.stream().anyMatch(t -> t.text().replace(" ", "").contains(
        item.answer().replace(" ", "")) && item.needle().contains(t.startMicros())),
        "the card's text at the card's time: " + liveTokens);
  }
}
