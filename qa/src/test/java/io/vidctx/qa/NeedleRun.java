package io.vidctx.qa;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.qa.answer.EmbeddingChoiceAnswerer;
import io.vidctx.qa.haystack.HaystackSource;
import io.vidctx.qa.haystack.HaystackSpec;
import io.vidctx.qa.haystack.ImageAlterations;
import io.vidctx.qa.haystack.Needle;
import io.vidctx.qa.haystack.NeedleInterval;
import io.vidctx.qa.query.EncodedQuery;
import io.vidctx.qa.query.QueryEncoder;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.select.QueryAwareSelector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One needle-by-image trial through the whole pipeline: a haystack of every shared clip at 1 fps with
 * a shared photo inserted as real frames for 2 s, encoded by the built-in encoder, compressed with
 * the defaults, queried with an altered copy of the photo (60 % size, JPEG quality 40), answered by
 * the embedding answerer; plus the uniform-sampling baseline at the same token budget. Test code.
 */
final class NeedleRun {
  static final double FPS = 1.0;
  static final long NEEDLE_MICROS = 2_000_000L;
  static final int BUDGET = Integer.getInteger("needle.budget", 4096);
  static final String QUESTION = "When does this picture appear?";

  /** What one trial gave. */
  record Result(String photo, double depth, NeedleInterval needle, long frames, long patchTokens, int memoryTokens,
      int selected, double reduction, double ratio, double entropy, Answer answer, boolean hit, int baselineFrames, long baselinePts,
      boolean baselineHit, long baselineHitsPossible) {

    String line() {
      return String.format(java.util.Locale.ROOT,
          "%-14s depth %.1f: needle %s-%s, %d frames, %d patch tokens -> memory %d -> %d selected (%.2f %%"
              + " reduction, rho %.3f, H %.3f); answer %s -> %s; uniform baseline %d frames (%d tokens) answers %s -> %s",
          photo, depth, io.vidctx.tokencompress.select.TimeRange.format(needle.startMicros()),
          io.vidctx.tokencompress.select.TimeRange.format(needle.endMicros()), frames, patchTokens, memoryTokens,
          selected, 100 * reduction, ratio, entropy, answer.text(), hit ? "HIT" : "MISS", baselineFrames, baselineFrames * 196,
          io.vidctx.tokencompress.select.TimeRange.format(baselinePts), baselineHit ? "HIT" : "MISS");
    }
  }

  private final OnnxVisionEncoder encoder;
  private final List<Path> clips;
  private @Nullable List<Long> counts;

  NeedleRun(final OnnxVisionEncoder encoder) {
    this.encoder = encoder;
    this.clips = SharedData.videos().stream().map(v -> SharedData.video(v.file())).toList();
  }

  /** The query: the photo at 60 % of its size, recompressed as JPEG at quality 40. */
  static DecodedImage altered(final DecodedImage photo) {
    return ImageAlterations.jpegRecompress(ImageAlterations.resize(photo, 0.6), 40);
  }

  Result run(final String photo, final DecodedImage image, final double depth) {
    final HaystackSpec spec = HaystackSpec.of(clips, FPS)
        .withNeedle(new Needle(image, depth, NEEDLE_MICROS, photo));
    final List<FrameTokens> encoded = new ArrayList<>();
    final HierarchicalCompressor compressor = new HierarchicalCompressor(CompressorConfig.DEFAULTS);
    final NeedleInterval needle;
    try (HaystackSource source = counts == null ? HaystackSource.open(spec) : HaystackSource.open(spec, counts)) {
      final List<VideoFrame> batch = new ArrayList<>();
      for (Optional<VideoFrame> f = source.next(); ; f = source.next()) {
        f.ifPresent(batch::add);
        if (batch.size() == 32 || (f.isEmpty() && !batch.isEmpty())) {
          for (final FrameTokens t : encoder.encode(batch)) {
            compressor.accept(t);
            encoded.add(t);
          }
          batch.clear();
        }
        if (f.isEmpty()) {
          break;
        }
      }
      counts = source.clipFrameCounts();
      needle = source.needleIntervals().get(0);
    }
    compressor.flush();
    final VideoMemory memory = compressor.snapshot();
    final EncodedQuery query = new QueryEncoder(encoder, null, CompressorConfig.DEFAULTS)
        .encode(QUESTION, altered(image));
    final VideoContext context = new ContextBuilder(new QueryAwareSelector(), ContextBuilder.DEFAULT_KEYFRAMES)
        .build(memory, "builtin", Question.open(QUESTION), query, BUDGET);
    final Answer answer = new EmbeddingChoiceAnswerer(null).answer(context.question(), context);
    boolean hit = !answer.evidence().isEmpty() && answer.atMicros() >= needle.startMicros()
        && answer.atMicros() <= needle.endMicros();
    for (final EvidenceRange e : answer.evidence()) {
      hit &= e.startMicros() >= needle.startMicros() && e.endMicros() <= needle.endMicros();
    }
    // Baseline: as many whole frames as the selection's tokens buy, evenly spaced, all their patches;
    // the frame whose patches best match the query (same Chamfer score) is the answer.
    final int per = encoded.get(0).gridH() * encoded.get(0).gridW();
    final int k = Math.max(1, (int) Math.round((double) context.selection().size() / per));
    long bestPts = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    long possible = 0;
    for (int i = 0; i < k; i++) {
      final FrameTokens f = encoded.get((int) ((2L * i + 1) * encoded.size() / (2L * k)));
      if (f.ptsMicros() >= needle.startMicros() && f.ptsMicros() <= needle.endMicros()) {
        possible++;
      }
      final double s = chamfer(query.vectors(), f);
      if (s > bestScore) {
        bestScore = s;
        bestPts = f.ptsMicros();
      }
    }
    final boolean baselineHit = bestPts >= needle.startMicros() && bestPts <= needle.endMicros();
    return new Result(photo, depth, needle, encoded.size(), memory.patchTokensIn(), memory.tokenCount(),
        context.selection().size(), context.selection().reduction(), context.selection().stats().ratio(),
        context.selection().stats().entropy(), answer, hit, k, bestPts, baselineHit, possible);
  }

  /** Mean over query vectors of the best cosine among the frame's patches. */
  private static double chamfer(final float[][] q, final FrameTokens f) {
    final int d = f.dim();
    final int p = f.gridH() * f.gridW();
    double sum = 0;
    for (final float[] v : q) {
      double nv = 0;
      for (final float x : v) {
        nv += (double) x * x;
      }
      double best = -2;
      for (int i = 0; i < p; i++) {
        double dot = 0;
        double np = 0;
        for (int c = 0; c < d; c++) {
          dot += (double) f.patches()[i * d + c] * v[c];
          np += (double) f.patches()[i * d + c] * f.patches()[i * d + c];
        }
        best = Math.max(best, dot / Math.sqrt(nv * np + 1e-30));
      }
      sum += best;
    }
    return sum / q.length;
  }
}
