package io.vidctx.qa.eval.run;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.TextEncoder;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.qa.Answer;
import io.vidctx.qa.AnswerException;
import io.vidctx.qa.Answerer;
import io.vidctx.qa.ContextBuilder;
import io.vidctx.qa.Question;
import io.vidctx.qa.VideoContext;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.NeedleRecall;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.eval.Outcome;
import io.vidctx.qa.eval.niah.HaystackFile;
import io.vidctx.qa.export.MemoryFile;
import io.vidctx.qa.frames.KeyframeGrabber;
import io.vidctx.qa.haystack.HaystackSource;
import io.vidctx.qa.haystack.ImageAlterations;
import io.vidctx.qa.haystack.Needle;
import io.vidctx.qa.haystack.NeedleInterval;
import io.vidctx.qa.query.EncodedQuery;
import io.vidctx.qa.query.QueryEncoder;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.MemorySegment;
import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.select.QueryAwareSelector;
import io.vidctx.tokencompress.select.SelectionIndex;
import io.vidctx.tokencompress.select.SelectorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/*
 * Order of work: items are grouped by the video they play (a haystack file with one needle at one
 * depth is its own video), in manifest order. Per video: the frame tokens are made once (decoded and
 * encoded, or read from the haystack token cache with the needle's frames encoded and spliced in),
 * the memory once (or read from the memory cache), then every question of the video is answered by
 * every method. Each result is appended to the log before the next starts, so a killed run redoes at
 * most one item, and a rerun skips the video entirely when all of its items are done.
 *
 * Equal budgets: the baselines get exactly the token count our pipeline kept for the same item
 * (the caller's budget when ours did not run), so accuracy is compared at equal context size.
 *  - uniform: k = max(1, round(kept / P)) evenly spaced whole frames, every patch token of each;
 *  - none: every patch token of every frame, one segment per frame, then the same query-aware
 *    selection, capped at the kept count.
 * Both go through the same ContextBuilder and answerer as ours.
 */

/**
 * Runs a manifest's items through the pipeline and the baselines, appending results to a {@link
 * ResultLog}. Caches under {@code out/cache}: the encoded frames of each haystack ({@code tokens/},
 * shared by every needle and depth on it) and the compressed memory of each video ({@code memories/},
 * shared by its questions and by reruns). Not thread-safe; the encoder, text encoder and answerer
 * belong to the caller.
 */
public final class EvalRunner {

  /** Receives progress; every method has a default that ignores it. */
  public interface Listener {
    /** A line worth telling the user (cache built, video damaged, ...). */
    default void note(final String message) {}

    /** Work on a video starts: its items and the methods still to run. */
    default void video(final String video, final int items) {}

    /** Frames decoded and encoded so far in the current video ({@code total} -1 when unknown). */
    default void frames(final long done, final long total) {}

    /** An item x method result was written. */
    default void result(final EvalItem item, final ItemResult result) {}
  }

  /** Decode settings per ordinary video (for instance sized to the model's input). */
  public interface DecodePlanner {
    DecodeOptions options(String video, DecodeOptions defaults);
  }

  /** What a run did. */
  public record Summary(int items, int results, int skipped, int failed, long nanos) {}

  private final EvalConfig config;
  private final VisionEncoder encoder;
  private final @Nullable TextEncoder text;
  private final String model;
  private final Answerer answerer;
  private final Path cacheDir;
  private final DecodePlanner planner;
  private final Listener listener;
  private final QueryEncoder queries;

  /**
   * @param model the encoder model's name (stored with caches; a cache of another model is not used)
   * @param out the run's folder: the caches go to {@code out/cache}
   */
  public EvalRunner(final EvalConfig config, final VisionEncoder encoder, final @Nullable TextEncoder text,
      final String model, final Answerer answerer, final Path out, final DecodePlanner planner,
      final Listener listener) {
    this.config = config;
    this.encoder = encoder;
    this.text = text;
    this.model = model;
    this.answerer = answerer;
    this.cacheDir = out.resolve("cache");
    this.planner = planner;
    this.listener = listener;
    this.queries = new QueryEncoder(encoder, text, config.compressor());
  }

  /**
   * Answers every item not yet in {@code log} with every configured method.
   *
   * @param base the folder relative paths in the items are resolved against (the manifest's folder)
   * @throws IOException when the log cannot be written (item failures are results, not exceptions)
   */
  public Summary run(final List<EvalItem> items, final Path base, final ResultLog log) throws IOException {
    final long t0 = System.nanoTime();
    final Map<String, List<EvalItem>> byVideo = new LinkedHashMap<>();
    int skipped = 0;
    for (final EvalItem item : items) {
      if (config.methods().stream().allMatch(m -> log.isDone(item.id(), m))) {
        skipped++;
        continue;
      }
      byVideo.computeIfAbsent(videoKey(item), k -> new ArrayList<>()).add(item);
    }
    int results = 0;
    int failed = 0;
    for (final List<EvalItem> group : byVideo.values()) {
      listener.video(group.get(0).video(), group.size());
      final VideoWork work = new VideoWork(group.get(0), base);
      try {
        for (final EvalItem item : group) {
          for (final Method m : config.methods()) {
            if (log.isDone(item.id(), m)) {
              continue;
            }
            final ItemResult r = runOne(work, item, m, base, log);
            log.append(r);
            listener.result(item, r);
            results++;
            if (r.outcome() == Outcome.ERROR) {
              failed++;
            }
          }
        }
      } finally {
        work.release();
      }
    }
    return new Summary(items.size(), results, skipped, failed, System.nanoTime() - t0);
  }

  private ItemResult runOne(final VideoWork work, final EvalItem item, final Method method, final Path base,
      final ResultLog log) {
    resetPeaks();
    try {
      return answer(work, item, method, base, log);
    } catch (final IngestException | IllegalArgumentException | UncheckedIOException e) {
      return ItemResult.error(item.id(), method, message(e));
    } catch (final IOException e) {
      return ItemResult.error(item.id(), method, message(e));
    } catch (final RuntimeException e) {
      // An unexpected failure of one item must not end a run of thousands; it is recorded with its type.
      return ItemResult.error(item.id(), method, e.getClass().getSimpleName() + ": " + message(e));
    }
  }

  private ItemResult answer(final VideoWork work, final EvalItem item, final Method method, final Path base,
      final ResultLog log) throws IOException {
    final Map<String, Long> stages = new LinkedHashMap<>();
    final List<String> cached = new ArrayList<>();
    final long tq = System.nanoTime();
    final Path image = item.queryImage() == null ? null : resolvePath(base, item.queryImage());
    final EncodedQuery query = queries.encode(item.question(), image);
    final long queryNanos = System.nanoTime() - tq;
    final Question question = new Question(item.question(), item.options(), item.range());
    final VideoContext context;
    final long frames;
    final long patchTokens;
    final int sourceTokens;
    final ContextBuilder builder;
    switch (method) {
      case OURS: {
        final Built mem = work.memory(cached);
        stages.putAll(mem.sourceNanos());
        stages.put("compress", mem.compressNanos());
        builder = new ContextBuilder(new QueryAwareSelector(), config.keyframes());
        context = builder.build(mem.memory(), model, question, query, config.budget());
        frames = mem.memory().framesIn();
        patchTokens = mem.memory().patchTokensIn();
        sourceTokens = mem.memory().tokenCount();
        break;
      }
      case UNIFORM:
      case NONE: {
        final Frames f = work.frames(cached);
        final int per = f.tokens.get(0).gridH() * f.tokens.get(0).gridW();
        final int equal = equalBudget(item, log);
        final List<FrameTokens> picked;
        final SelectorConfig sc;
        if (method == Method.UNIFORM) {
          final int k = Math.min(f.tokens.size(), Math.max(1, (int) Math.round((double) equal / per)));
          picked = new ArrayList<>(k);
          for (int i = 0; i < k; i++) {
            picked.add(f.tokens.get((int) ((2L * i + 1) * f.tokens.size() / (2L * k))));
          }
          // Keep every token of the sampled frames: uniform sampling does not select within a frame.
          sc = SelectorConfig.DEFAULTS.withFixedRatio(1.0);
          final double share = (double) k / f.tokens.size();
          for (final Map.Entry<String, Long> e : f.sourceNanos.entrySet()) {
            stages.put(e.getKey(), Math.round(e.getValue() * share));
          }
        } else {
          picked = f.tokens;
          sc = SelectorConfig.DEFAULTS;
          stages.putAll(f.sourceNanos);
        }
        final SelectionIndex index = uncompressed(picked, f.patchTokens());
        builder = new ContextBuilder(new QueryAwareSelector(sc), config.keyframes());
        final int cap = method == Method.UNIFORM ? picked.size() * per : equal;
        context = builder.build(index, work.streamId, List.of(), f.tokens.size(), model, question, query, cap);
        frames = f.tokens.size();
        patchTokens = f.patchTokens();
        sourceTokens = index.size();
        break;
      }
      default:
        throw new IllegalStateException("unknown method " + method);
    }
    stages.put("query", queryNanos);
    stages.put("select", context.selection().stats().nanos());
    VideoContext ctx = context;
    if (config.keyframeImages()) {
      final long tk = System.nanoTime();
      ctx = ctx.withKeyframes(work.keyframeImages(ctx));
      stages.put("keyframes", System.nanoTime() - tk);
    }
    final long ta = System.nanoTime();
    Answer answer = null;
    String error = null;
    try {
      answer = answerer.answer(question, ctx);
    } catch (final AnswerException e) {
      error = e.getMessage();
    }
    stages.put("answer", System.nanoTime() - ta);
    final TokenBlock kept = ctx.tokens();
    final NeedleTruth needle = item.needle();
    final NeedleRecall recall = needle == null ? null : Provenance.recall(kept, work.needleFirst, work.needleLast);
    final long gap = Math.round(1e6 / work.fps);
    final Outcome outcome = answer == null ? Outcome.UNANSWERABLE : Scoring.outcome(item, answer);
    final long end = ctx.videoEndMicros();
    return new ItemResult(item.id(), method, outcome, answer == null ? null : answer.text(),
        answer == null ? -1 : answer.choice(), answer == null ? Double.NaN : answer.confidence(),
        answer == null ? -1 : Scoring.time(answer), answer == null ? null : Scoring.grounded(item, answer), recall,
        frames, end, patchTokens, sourceTokens, kept.size(),
        patchTokens == 0 ? 0 : 1 - (double) kept.size() / patchTokens, stages, cached, peakHeap(),
        Provenance.runs(kept, gap), error);
  }

  /** The token count every method gets: what ours kept for this item, else the budget. */
  private int equalBudget(final EvalItem item, final ResultLog log) {
    final ItemResult ours = log.get(item.id(), Method.OURS);
    if (ours != null && ours.outcome() != Outcome.ERROR && ours.keptTokens() > 0) {
      return Math.min(config.budget(), ours.keptTokens());
    }
    return config.budget();
  }

  /** Every patch token of the frames, one segment per frame (the uncompressed store). */
  static SelectionIndex uncompressed(final List<FrameTokens> frames, final long patchTokensIn) {
    final FrameTokens f0 = frames.get(0);
    final int p = f0.gridH() * f0.gridW();
    final TokenBlock all = new TokenBlock(f0.dim(), f0.gridH(), f0.gridW(), frames.size() * p);
    final List<MemorySegment> segments = new ArrayList<>(frames.size());
    for (int i = 0; i < frames.size(); i++) {
      final FrameTokens f = frames.get(i);
      all.appendAll(TokenBlock.ofFrame(f));
      segments.add(new MemorySegment(i, i, f.ptsMicros(), f.ptsMicros(), p * i, p, p));
    }
    return SelectionIndex.of(all, segments, patchTokensIn);
  }

  private static String videoKey(final EvalItem item) {
    final NeedleTruth n = item.needle();
    return n == null ? item.video() : item.video() + "\u0000" + n.label() + "\u0000" + n.image() + "\u0000" + n.depth()
        + "\u0000" + n.durationMicros();
  }

  static Path resolvePath(final Path base, final String path) {
    final Path p = Path.of(path);
    return p.isAbsolute() ? p : base.resolve(p).normalize();
  }

  static String resolveVideo(final Path base, final String video) {
    return video.contains("://") || video.startsWith("/dev/") ? video : resolvePath(base, video).toString();
  }

  private static String message(final Throwable e) {
    final String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static void resetPeaks() {
    for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.isValid()) {
        p.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.isValid() && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** A memory and what it cost (times measured when it was built, kept with the cache). */
  private record Built(VideoMemory memory, Map<String, Long> sourceNanos, long compressNanos) {}

  /** The frame tokens of a video and what making them cost. */
  private static final class Frames {
    final List<FrameTokens> tokens;
    final Map<String, Long> sourceNanos;

    Frames(final List<FrameTokens> tokens, final Map<String, Long> sourceNanos) {
      this.tokens = tokens;
      this.sourceNanos = sourceNanos;
    }

    long patchTokens() {
      return tokens.isEmpty() ? 0 : (long) tokens.size() * tokens.get(0).gridH() * tokens.get(0).gridW();
    }
  }

  /** Everything about the video of one item group, made lazily and dropped after the group. */
  private final class VideoWork {
    final EvalItem first;
    final Path base;
    final String video;
    final String streamId;
    final @Nullable HaystackFile haystack;
    final double fps;
    long needleFirst;
    long needleLast;
    private @Nullable Frames frames;
    private @Nullable Built built;
    private @Nullable NeedleInterval interval;
    private @Nullable Needle needle;

    VideoWork(final EvalItem first, final Path base) {
      this.first = first;
      this.base = base;
      this.video = resolveVideo(base, first.video());
      HaystackFile hay = null;
      if (HaystackFile.isHaystack(first.video())) {
        try {
          hay = HaystackFile.read(Path.of(video));
        } catch (final IOException e) {
          throw new UncheckedIOException(e.getMessage(), e);
        }
      }
      this.haystack = hay;
      this.fps = hay != null ? hay.spec().fps() : config.fps();
      this.streamId = first.id();
      final NeedleTruth n = first.needle();
      if (n != null) {
        // Needle frames on the fps grid; a haystack's exact interval replaces this below.
        needleFirst = Math.round(n.startMicros() * fps / 1e6);
        needleLast = Math.round(n.endMicros() * fps / 1e6);
      }
    }

    void release() {
      frames = null;
      built = null;
    }

    Built memory(final List<String> cached) throws IOException {
      if (built != null) {
        cached.add("memory");
        return built;
      }
      final Caches.Key key = Caches.memoryKey(identity(), model, fps, config.compressor().toString());
      final Caches.Stored stored = Caches.readMemory(cacheDir, key, model);
      if (stored != null) {
        cached.add("memory");
        if (haystack != null && first.needle() != null) {
          locateNeedle();
        }
        built = new Built(stored.file().memory(), stored.sourceNanos(), stored.compressNanos());
        return built;
      }
      final Frames f = frames(cached);
      final HierarchicalCompressor compressor = new HierarchicalCompressor(config.compressor());
      final long tc = System.nanoTime();
      for (final FrameTokens t : f.tokens) {
        compressor.accept(t);
      }
      compressor.flush();
      final VideoMemory memory = compressor.snapshot();
      final long compressNanos = System.nanoTime() - tc;
      Caches.writeMemory(cacheDir, key, new MemoryFile(model, video, fps, config.compressor().toString(), memory),
          f.sourceNanos, compressNanos);
      built = new Built(memory, f.sourceNanos, compressNanos);
      return built;
    }

    Frames frames(final List<String> cached) throws IOException {
      if (frames != null) {
        return frames;
      }
      frames = haystack != null ? haystackFrames(haystack, cached) : decode();
      if (frames.tokens.isEmpty()) {
        throw new IngestException("no frames decoded from " + video + " at " + fps + " fps");
      }
      return frames;
    }

    private String identity() throws IOException {
      if (haystack != null) {
        final NeedleTruth n = first.needle();
        String needleId = "";
        if (n != null) {
          final Path img = resolvePath(base, n.image());
          needleId = "|needle " + n.label() + " " + Caches.fileIdentity(img) + " @" + n.depth() + " for "
              + n.durationMicros();
        }
        return "haystack " + haystack.contentHash() + needleId;
      }
      return "video " + (video.contains("://") ? video : Caches.fileIdentity(Path.of(video)));
    }

    private Frames decode() {
      final DecodeOptions options = planner.options(video,
          DecodeOptions.DEFAULTS.withFps(fps).withStreamId(streamId));
      final List<FrameTokens> out = new ArrayList<>();
      long decodeNanos = 0;
      long encodeNanos = 0;
      try (VideoFileSource source = VideoFileSource.open(video, options)) {
        final long total = source.expectedFrames().orElse(-1);
        final List<VideoFrame> batch = new ArrayList<>(config.batchSize());
        boolean more = true;
        while (more) {
          final long td = System.nanoTime();
          try {
            final Optional<VideoFrame> f = source.next();
            if (f.isPresent()) {
              batch.add(f.get());
            } else {
              more = false;
            }
          } catch (final IngestException.CorruptVideoException e) {
            listener.note(video + ": " + e.getMessage() + " (evaluated on the " + out.size() + " frames before it)");
            more = false;
          }
          decodeNanos += System.nanoTime() - td;
          if (batch.size() == config.batchSize() || (!more && !batch.isEmpty())) {
            final long te = System.nanoTime();
            out.addAll(encoder.encode(batch));
            encodeNanos += System.nanoTime() - te;
            batch.clear();
            listener.frames(out.size(), total);
          }
        }
      }
      return new Frames(out, stages(decodeNanos, encodeNanos));
    }

    private Frames haystackFrames(final HaystackFile hay, final List<String> cached) throws IOException {
      final Caches.Tokens base = Caches.haystackTokens(cacheDir, hay, model, encoder, config.batchSize(), listener);
      if (base.reused()) {
        cached.add("tokens");
      }
      final List<FrameTokens> hayTokens = base.frames();
      final NeedleTruth n = first.needle();
      if (n == null) {
        final List<FrameTokens> out = new ArrayList<>(hayTokens.size());
        for (int k = 0; k < hayTokens.size(); k++) {
          out.add(restamp(hayTokens.get(k), k));
        }
        return new Frames(out, base.sourceNanos());
      }
      final NeedleInterval at = locateNeedle();
      final long te = System.nanoTime();
      final DecodedImage fitted = ImageAlterations.letterbox(Objects.requireNonNull(needle).image(),
          hay.spec().width(), hay.spec().height());
      final FrameTokens needleTokens = encoder.encode(List.of(new VideoFrame(streamId, at.firstIndex(),
          at.startMicros(), fitted.width(), fitted.height(), fitted.rgb()))).get(0);
      final long needleNanos = System.nanoTime() - te;
      final long nf = at.frames();
      final List<FrameTokens> out = new ArrayList<>((int) (hayTokens.size() + nf));
      for (long k = 0; k < hayTokens.size() + nf; k++) {
        if (k >= at.firstIndex() && k <= at.lastIndex()) {
          out.add(restamp(needleTokens, k));
        } else {
          out.add(restamp(hayTokens.get((int) (k < at.firstIndex() ? k : k - nf)), k));
        }
      }
      final Map<String, Long> stages = new LinkedHashMap<>(base.sourceNanos());
      stages.merge("encode", needleNanos * nf, Long::sum);
      return new Frames(out, stages);
    }

    /** The needle's exact place in the haystack (no decoding: the haystack file has the counts). */
    private NeedleInterval locateNeedle() throws IOException {
      if (interval != null) {
        return interval;
      }
      final NeedleTruth n = Objects.requireNonNull(first.needle());
      final HaystackFile hay = Objects.requireNonNull(haystack);
      final DecodedImage img = new ImageCodec().read(resolvePath(base, n.image()));
      needle = new Needle(img, n.depth(), n.durationMicros(), n.label());
      try (HaystackSource s = hay.open(hay.spec().withNeedle(needle))) {
        interval = s.needleIntervals().get(0);
      }
      if (interval.startMicros() != n.startMicros() || interval.endMicros() != n.endMicros()) {
        throw new IllegalArgumentException("item " + first.id() + ": the manifest puts needle '" + n.label() + "' at "
            + n.startMicros() + ".." + n.endMicros() + " us, but " + first.video() + " places it at "
            + interval.startMicros() + ".." + interval.endMicros() + " us: the haystack file changed; make the grid again");
      }
      needleFirst = interval.firstIndex();
      needleLast = interval.lastIndex();
      return interval;
    }

    private FrameTokens restamp(final FrameTokens t, final long k) {
      return new FrameTokens(streamId, k, HaystackSource.framePts(k, fps), t.gridH(), t.gridW(), t.dim(), t.patches(),
          t.global());
    }

    List<io.vidctx.qa.Keyframe> keyframeImages(final VideoContext ctx) {
      if (haystack != null) {
        return HaystackKeyframes.grab(Objects.requireNonNull(haystack), needle, ctx.keyframes());
      }
      return new KeyframeGrabber(video, KeyframeGrabber.DEFAULT_MAX_WIDTH, KeyframeGrabber.DEFAULT_JPEG_QUALITY)
          .grab(ctx.keyframes());
    }
  }

  static Map<String, Long> stages(final long decodeNanos, final long encodeNanos) {
    final Map<String, Long> m = new LinkedHashMap<>();
    m.put("decode", decodeNanos);
    m.put("encode", encodeNanos);
    return m;
  }
}
