package io.vidctx.qa.eval.report;

import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.NeedleRecall;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.eval.Outcome;
import io.vidctx.qa.eval.RunInfo;
import io.vidctx.qa.eval.SpanRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Hand-built items and results: a needle grid of 2 lengths x 5 depths x 2 needles (a photo found by
 * image, a text card read by a VLM) plus a few multiple-choice items, answered by the three methods
 * with a fixed seed, so that every report section has something to show, failures included.
 */
final class ReportFixtures {

  static final long SECOND = 1_000_000L;
  static final int BUDGET = 2048;
  static final List<Long> LENGTHS = List.of(300 * SECOND, 1200 * SECOND);
  static final List<Double> DEPTHS = List.of(0.0, 0.25, 0.5, 0.75, 1.0);

  private ReportFixtures() {
  }

  static RunInfo run() {
    return new RunInfo("niah-grid-demo", "builtin", "embedding", 1.0, BUDGET, List.of(Method.OURS, Method.UNIFORM,
        Method.NONE), Map.of("compressor", "tr=0.92 tome=0.5 stc=0.8", "memory", "4096 tokens"));
  }

  static NeedleTruth needle(final String label, final NeedleTruth.Kind kind, final long haystack,
      final double depth) {
    final long start = Math.round(depth * haystack / SECOND) * SECOND;
    return new NeedleTruth(label, kind, label + ".png", depth, 2 * SECOND, start, start + SECOND, haystack);
  }

  static EvalItem needleItem(final String id, final NeedleTruth n, final String task) {
    final boolean photo = n.kind() == NeedleTruth.Kind.PHOTO;
    return new EvalItem(id, id + ".haystack.json", photo ? "When does this picture appear?"
        : "What number is written on the card?", List.of(), -1, photo ? null : "4711", photo ? n.image() : null,
        null, n, task, Map.of());
  }

  /** 20 needle items and 4 multiple-choice ones. */
  static List<EvalItem> items() {
    final List<EvalItem> items = new ArrayList<>();
    for (final long length : LENGTHS) {
      for (final double depth : DEPTHS) {
        final String cell = (length / 60 / SECOND) + "m-d" + Math.round(depth * 100);
        items.add(needleItem("niah-cat-" + cell, needle("cat", NeedleTruth.Kind.PHOTO, length, depth), "niah-photo"));
        items.add(needleItem("niah-card-" + cell, needle("card-4711", NeedleTruth.Kind.TEXT, length, depth),
            "niah-text"));
      }
    }
    for (int i = 0; i < 4; i++) {
      items.add(EvalItem.choice("mc-" + i, "clip" + i + ".mp4", "What does the person pick up after <" + i + ">?",
          List.of("a cup", "a phone", "a book", "nothing"), i % 4).withTask(i < 2 ? "action" : "object & order"));
    }
    return items;
  }

  /** One result per item and method, seeded; accuracy falls with length and from ours to uniform. */
  static List<ItemResult> results(final List<EvalItem> items) {
    final SplittableRandom random = new SplittableRandom(42);
    final List<ItemResult> results = new ArrayList<>();
    for (final Method m : run().methods()) {
      for (final EvalItem item : items) {
        results.add(answer(item, m, random));
      }
    }
    return results;
  }

  private static ItemResult answer(final EvalItem item, final Method m, final SplittableRandom random) {
    final NeedleTruth n = item.needle();
    final long video = n != null ? n.haystackMicros() + n.durationMicros() : 95 * SECOND;
    final boolean longVideo = video > 600 * SECOND;
    final double p = switch (m) {
      case OURS -> longVideo ? 0.85 : 0.95;
      case NONE -> longVideo ? 0.45 : 0.8;
      case UNIFORM -> longVideo ? 0.2 : 0.5;
    };
    if (m == Method.NONE && item.id().equals("niah-card-20m-d50")) {
      return ItemResult.error(item.id(), m, "decode failed: clip3.mp4 truncated at frame 811");
    }
    final boolean right = random.nextDouble() < p;
    Outcome outcome = right ? Outcome.CORRECT : Outcome.WRONG;
    if (m == Method.UNIFORM && item.id().equals("mc-3")) {
      outcome = Outcome.PARSE_FAILURE;
    }
    final long frames = video / SECOND;
    final long patch = frames * 196;
    final int memory = switch (m) {
      case OURS -> longVideo ? 4096 : 1700 + random.nextInt(200);
      case UNIFORM -> 1960;
      case NONE -> (int) Math.min(Integer.MAX_VALUE, patch);
    };
    final int kept = Math.min(memory, m == Method.UNIFORM ? 1960 : BUDGET);
    final boolean photo = n != null && n.kind() == NeedleTruth.Kind.PHOTO;
    final long at = photo ? (right ? n.startMicros() : random.nextLong(video)) : -1;
    final Boolean grounded = photo ? n.contains(at) : null;
    final NeedleRecall recall = n == null ? null : recall(m, right, random);
    final Map<String, Long> stages = new LinkedHashMap<>();
    final double scale = frames / 300.0;
    stages.put("decode", (long) (900e6 * scale * (0.9 + 0.2 * random.nextDouble())));
    stages.put("encode", (long) (2400e6 * scale * (0.9 + 0.2 * random.nextDouble())));
    if (m == Method.OURS) {
      stages.put("compress", (long) (350e6 * scale));
    }
    stages.put("query", 18_000_000L);
    stages.put("select", m == Method.NONE ? (long) (120e6 * scale) : 9_000_000L);
    stages.put("answer", 35_000_000L);
    final String answerText = n == null ? item.options().get(right ? item.answerIndex() : (item.answerIndex() + 1) % 4)
        : photo ? Fmt.time(at) : right ? "4711" : "4177";
    final int choice = n == null && outcome != Outcome.PARSE_FAILURE ? item.options().indexOf(answerText) : -1;
    return new ItemResult(item.id(), m, outcome, outcome == Outcome.PARSE_FAILURE ? "I think it's the second"
        : answerText, choice, 0.4 + 0.5 * random.nextDouble(), at, grounded, recall, frames, video, patch, memory, kept,
        1 - kept / (double) patch, stages, List.of(), (300L + random.nextInt(600)) << 20, runs(video, kept, n, right,
        random), null);
  }

  private static NeedleRecall recall(final Method m, final boolean right, final SplittableRandom random) {
    final boolean hit = right || random.nextDouble() < 0.3;
    if (!hit) {
      return NeedleRecall.MISS;
    }
    final double coverage = m == Method.UNIFORM ? 0.5 + 0.5 * random.nextDouble() : 0.2 + 0.5 * random.nextDouble();
    final double purity = m == Method.OURS ? 0.6 + 0.3 * random.nextDouble() : 0.9 + 0.1 * random.nextDouble();
    return new NeedleRecall(true, coverage, purity, 1 + random.nextInt(16));
  }

  /** Selected tokens spread over the video, with a cluster on the needle when the needle was kept. */
  private static List<SpanRun> runs(final long video, final int kept, final @Nullable NeedleTruth n,
      final boolean right, final SplittableRandom random) {
    final int count = 14 + random.nextInt(14);
    final List<SpanRun> runs = new ArrayList<>();
    final long slot = video / count;
    int left = kept;
    for (int i = 0; i < count && left > 0; i++) {
      final long start = i * slot + random.nextLong(slot / 2);
      final int tokens = Math.min(left, 8 + random.nextInt(110));
      left -= tokens;
      if (n != null && n.overlaps(start - slot, start + slot)) {
        continue;
      }
      runs.add(new SpanRun(start, start + random.nextLong(slot / 4) + SECOND, tokens));
    }
    if (n != null && right) {
      runs.add(new SpanRun(n.startMicros(), n.endMicros(), 96 + random.nextInt(64)));
      runs.sort((a, b) -> Long.compare(a.startMicros(), b.startMicros()));
    }
    return runs;
  }
}
