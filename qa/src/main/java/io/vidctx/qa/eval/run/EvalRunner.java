package io.vidctx.qa.eval.run;

import io.vidctx.encoder.EncodedBatches;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.TextEncoder;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.encoder.ocr.OcrSchedule;
import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.qa.Answer;
import io.vidctx.qa.AnswerException;
import io.vidctx.qa.Answerer;
import io.vidctx.qa.ContextBuilder;
import io.vidctx.qa.Keyframe;
import io.vidctx.qa.Question;
import io.vidctx.qa.UnanswerableException;
import io.vidctx.qa.VideoContext;
import io.vidctx.qa.eval.EvalFiles;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.NeedleRecall;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.eval.Outcome;
import io.vidctx.qa.eval.niah.HaystackFile;
import io.vidctx.qa.export.MemoryFile;
import io.vidctx.qa.frames.KeyframeGrabber;
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
import org.jspecify.annotations.Nullable;

/*
 * Order of work: items are grouped by the video they play (a haystack file with one needle at one
 * depth is its own video), in manifest order. Per video: the frame tokens are made once (decoded and
 * encoded, or read from the haystack token cache with the needle's frames encoded and spliced in),
 * the memory once (or read from the memory cache), and a failure to make them once (a missing file)
 * is remembered, not retried per item. Per item the query is encoded once, then every method answers.
 * Each result is appended to the log before the next starts, so a killed run redoes at most one item;
 * a rerun skips what is done and retries what failed (ERROR), never what was unanswerable.
 *
 * Equal budgets: the baselines get exactly the token count our pipeline kept for the same item
 * (the caller's budget when ours did not run), so accuracy is compared at equal context size.
 *  - uniform: k = max(1, floor(kept / P)) evenly spaced whole frames, every patch token of each (when
 *    kept < P, the one middle frame's most relevant tokens);
 *  - none: every patch token of every frame, one segment per frame, then the same query-aware
 *    selection, capped at the kept count.
 * Both go through the same ContextBuilder and answerer as ours.
 *
 * On-screen text (with an Ocr): every frame is read once and cached per haystack (texts/), the needle
 * picture once per item; ours replays its sparse schedule over the frames' readings (FrameTexts), the
 * baselines read every frame they keep (uniform: its sampled frames; none: all of them). Each method is
 * charged the OCR time of the frames it read.
 */

/**
 * Runs a manifest's items through the pipeline and the baselines, appending results to a {@link
 * ResultLog}. Caches (in the folder given, {@code <out>/cache} from the command): the encoded frames of each haystack ({@code tokens/},
 * shared by every needle and depth on it) and the compressed memory of each video ({@code memories/},
 * shared by its questions and by reruns). Not thread-safe; the encoder, text encoder and answerer
 * belong to the caller.
 */
public final class EvalRunner {

  /** Receives progress; every method has a default that ignores it. */
  public interface Listener {
    /** A line worth telling the user (cache built, video damaged, ...). */
    default void note(final String message) {}

    /** Work on a video starts, with the number of its items that have something left to run. */
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

  /**
   * On-screen text reading for a run: the engine, what identifies its models (in cache keys), and the
   * schedule our pipeline reads frames on (the baselines read every frame they keep).
   */
  public record Ocr(OcrEngine engine, String modelKey, OcrSchedule.Config schedule) {
    public Ocr {
      Objects.requireNonNull(engine, "engine");
      Objects.requireNonNull(modelKey, "modelKey");
      Objects.requireNonNull(schedule, "schedule");
    }

    String describe() {
      return "ocr " + modelKey + " " + schedule;
    }
  }

  /** What a run did: items in the manifest, results written, items already done, results that failed. */
  public record Summary(int items, int results, int skipped, int failed, long nanos) {}

  private final EvalConfig config;
  private final VisionEncoder encoder;
  private final String model;
  private final Answerer answerer;
  private final Caches caches;
  private final DecodePlanner planner;
  private final Listener listener;
  private final QueryEncoder queries;
  private final @Nullable Ocr ocr;

  /**
   * @param model the encoder model's name (stored with caches; a cache of another model is not used)
   * @param modelKey what identifies the model's weights in cache keys (for instance the name plus the
   *     model files' sizes and times), so two exports sharing a name never share a cache
   * @param cacheDir where the caches go ({@code <out>/cache} by default; runs of one manifest at other
   *     budgets may share one: the memories do not depend on the budget)
   */
  public EvalRunner(final EvalConfig config, final VisionEncoder encoder, final @Nullable TextEncoder text,
      final String model, final String modelKey, final Answerer answerer, final Path cacheDir, final DecodePlanner planner,
      final Listener listener) {
    this(config, encoder, text, model, modelKey, answerer, cacheDir, planner, listener, null);
  }

  /**
   * A runner that also reads on-screen text ({@code ocr}, or none when null): every method's context
   * then carries the text tokens of the frames it kept (ours: the frames its schedule reads; uniform: its
   * sampled frames; none: every frame).
   */
  public EvalRunner(final EvalConfig config, final VisionEncoder encoder, final @Nullable TextEncoder text,
      final String model, final String modelKey, final Answerer answerer, final Path cacheDir, final DecodePlanner planner,
      final Listener listener, final @Nullable Ocr ocr) {
    this.ocr = ocr;
    this.config = config;
    this.encoder = encoder;
    this.model = model;
    this.answerer = answerer;
    this.caches = new Caches(cacheDir, model, modelKey, listener);
    this.planner = planner;
    this.listener = listener;
    this.queries = new QueryEncoder(encoder, text, config.compressor());
  }

  /**
   * Answers every item not yet done in {@code log} with every configured method; failed results of an
   * earlier run are tried again.
   *
   * @param base the folder relative paths in the items are resolved against (the manifest's folder)
   * @throws IOException when the log cannot be written (item failures are results, not exceptions)
   */
  public Summary run(final List<EvalItem> items, final Path base, final ResultLog log) throws IOException {
    final long t0 = System.nanoTime();
    final Map<String, List<EvalItem>> byVideo = new LinkedHashMap<>();
    int skipped = 0;
    for (final EvalItem item : items) {
      if (pending(item, log).isEmpty()) {
        skipped++;
      } else {
        byVideo.computeIfAbsent(videoKey(item), k -> new ArrayList<>()).add(item);
      }
    }
    int results = 0;
    int failed = 0;
    for (final List<EvalItem> group : byVideo.values()) {
      listener.video(group.get(0).video(), group.size());
      final VideoWork work = new VideoWork(group.get(0), base);
      for (final EvalItem item : group) {
        final Query query = query(item, base);
        for (final Method m : pending(item, log)) {
          final ItemResult r = runOne(work, item, query, m, log);
          log.append(r);
          listener.result(item, r);
          results++;
          failed += r.outcome() == Outcome.ERROR ? 1 : 0;
        }
      }
    }
    return new Summary(items.size(), results, skipped, failed, System.nanoTime() - t0);
  }

  private List<Method> pending(final EvalItem item, final ResultLog log) {
    return config.methods().stream().filter(m -> !log.isDone(item.id(), m)).toList();
  }

  /** An item's encoded query, or why it could not be encoded (then every method of the item fails with it). */
  private record Query(@Nullable EncodedQuery encoded, long nanos, @Nullable String error) {}

  private Query query(final EvalItem item, final Path base) {
    final long t0 = System.nanoTime();
    try {
      final Path image = item.queryImage() == null ? null : resolvePath(base, item.queryImage());
      return new Query(queries.encode(item.question(), image), System.nanoTime() - t0, null);
    } catch (final IngestException | IllegalArgumentException e) {
      return new Query(null, 0, "query: " + message(e));
    }
  }

  private ItemResult runOne(final VideoWork work, final EvalItem item, final Query query, final Method method,
      final ResultLog log) {
    if (query.encoded() == null) {
      return ItemResult.error(item.id(), method, Objects.requireNonNull(query.error()));
    }
    resetPeaks();
    try {
      final Question question = new Question(item.question(), item.options(), item.range());
      final Made made = contextFor(work, item, question, query.encoded(), method, log);
      final Map<String, Long> stages = new LinkedHashMap<>(made.stages());
      stages.put("query", query.nanos());
      stages.put("select", made.context().selection().stats().nanos());
      VideoContext ctx = made.context().withTextRead(ocr != null);
      if (config.keyframeImages()) {
        final long tk = System.nanoTime();
        ctx = ctx.withKeyframes(work.keyframeImages(ctx));
        stages.put("keyframes", System.nanoTime() - tk);
      }
      final long ta = System.nanoTime();
      Answer answer = null;
      Outcome failure = null;
      String error = null;
      try {
        answer = answerer.answer(question, ctx);
      } catch (final UnanswerableException e) {
        failure = Outcome.UNANSWERABLE;
        error = e.getMessage();
      } catch (final AnswerException e) {
        // An endpoint down or timing out: an error, tried again by the next run, never a wrong answer.
        failure = Outcome.ERROR;
        error = e.getMessage();
      }
      stages.put("answer", System.nanoTime() - ta);
      return result(work, item, method, made, ctx, answer, failure, error, stages);
    } catch (final IngestException | IllegalArgumentException | IOException | UncheckedIOException e) {
      return ItemResult.error(item.id(), method, message(e));
    } catch (final RuntimeException e) {
      // An unexpected failure of one item must not end a run of thousands; it is recorded with its type.
      return ItemResult.error(item.id(), method, e.getClass().getSimpleName() + ": " + message(e));
    }
  }

  /** A method's context and what it took to make its source (frames, patch tokens, tokens before selection). */
  private record Made(VideoContext context, long frames, long patchTokens, int sourceTokens, Map<String, Long> stages,
      List<String> cached) {}

  private Made contextFor(final VideoWork work, final EvalItem item, final Question question,
      final EncodedQuery query, final Method method, final ResultLog log) throws IOException {
    final List<String> cached = new ArrayList<>();
    if (method == Method.OURS) {
      final Built mem = work.memory(cached);
      final Map<String, Long> stages = new LinkedHashMap<>(mem.sourceNanos());
      stages.put("compress", mem.compressNanos());
      final VideoContext ctx = new ContextBuilder(new QueryAwareSelector(), config.keyframes())
          .build(mem.memory(), model, question, query, config.budget());
      return new Made(ctx, mem.memory().framesIn(), mem.memory().patchTokensIn(), mem.memory().tokenCount(), stages,
          cached);
    }
    final Frames f = work.frames(cached);
    final int equal = equalBudget(item, log);
    if (method == Method.NONE) {
      final SelectionIndex index = work.uncompressedIndex();
      final VideoContext ctx = new ContextBuilder(new QueryAwareSelector(), config.keyframes())
          .build(index, work.streamId, List.of(), f.tokens().size(), model, question, query, equal);
      final Map<String, Long> stages = new LinkedHashMap<>(f.sourceNanos());
      if (f.texts() != null) {
        stages.put("ocr", f.texts().stream().mapToLong(FrameTexts.FrameText::nanos).sum());
      }
      return new Made(ctx, f.tokens().size(), f.patchTokens(), index.size(), stages, cached);
    }
    final int per = f.perFrame();
    final int k = Math.min(f.tokens().size(), Math.max(1, equal / per));
    final List<FrameTokens> picked = new ArrayList<>(k);
    final List<FrameTexts.FrameText> pickedTexts = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      final int at = (int) ((2L * i + 1) * f.tokens().size() / (2L * k));
      picked.add(f.tokens().get(at));
      if (f.texts() != null) {
        pickedTexts.add(f.texts().get(at));
      }
    }
    // Every token of the sampled frames: uniform sampling does not select within a frame (unless the
    // budget is below one frame, when the cap keeps the frame's most relevant tokens). With OCR, the text
    // of the sampled frames, each read.
    final FrameTexts.Replayed read = f.texts() == null ? null : FrameTexts.replay(pickedTexts,
        picked.stream().map(FrameTokens::ptsMicros).toList(), OcrSchedule.Config.EVERY_FRAME);
    final SelectionIndex index = uncompressed(picked, f.patchTokens(), read == null ? List.of() : read.tokens());
    final VideoContext ctx = new ContextBuilder(new QueryAwareSelector(SelectorConfig.DEFAULTS.withFixedRatio(1.0)),
        config.keyframes()).build(index, work.streamId, List.of(), f.tokens().size(), model, question, query,
        Math.min(equal, k * per));
    // Uniform sampling would decode and encode only its k frames: charge that share of the cost.
    final Map<String, Long> stages = new LinkedHashMap<>();
    final double share = (double) k / f.tokens().size();
    f.sourceNanos().forEach((stage, nanos) -> stages.put(stage, Math.round(nanos * share)));
    if (read != null) {
      stages.put("ocr", read.nanos());
    }
    return new Made(ctx, f.tokens().size(), f.patchTokens(), index.size(), stages, cached);
  }

  private ItemResult result(final VideoWork work, final EvalItem item, final Method method, final Made made,
      final VideoContext ctx, final @Nullable Answer answer, final @Nullable Outcome failure,
      final @Nullable String error, final Map<String, Long> stages) {
    final TokenBlock kept = ctx.tokens();
    final NeedleRecall recall = item.needle() == null ? null
        : Provenance.recall(kept, work.needleFirst(), work.needleLast());
    final Outcome outcome = answer == null ? Objects.requireNonNull(failure) : Scoring.outcome(item, answer);
    final long patches = made.patchTokens();
    return new ItemResult(item.id(), method, outcome, answer == null ? null : answer.text(),
        answer == null ? -1 : answer.choice(), answer == null ? Double.NaN : answer.confidence(),
        answer == null ? -1 : Scoring.time(answer), answer == null ? null : Scoring.grounded(item, answer), recall,
        made.frames(), ctx.videoEndMicros(), patches, made.sourceTokens(), kept.size(),
        patches == 0 ? 0 : 1 - (double) kept.size() / patches, stages, made.cached(), peakHeap(),
        Provenance.runs(kept, Math.round(1e6 / work.fps())), error);
  }

  /** The token count every method gets: what ours kept for this item, else the budget. */
  private int equalBudget(final EvalItem item, final ResultLog log) {
    final ItemResult ours = log.get(item.id(), Method.OURS);
    if (ours != null && ours.outcome() != Outcome.ERROR && ours.keptTokens() > 0) {
      return Math.min(config.budget(), ours.keptTokens());
    }
    return config.budget();
  }

  /** Every patch token of the frames, one segment per frame (the uncompressed store), with their text tokens. */
  static SelectionIndex uncompressed(final List<FrameTokens> frames, final long patchTokensIn,
      final List<TextToken> texts) {
    final FrameTokens f0 = frames.get(0);
    final int p = f0.gridH() * f0.gridW();
    final TokenBlock all = new TokenBlock(f0.dim(), f0.gridH(), f0.gridW(), frames.size() * p);
    final List<MemorySegment> segments = new ArrayList<>(frames.size());
    for (int i = 0; i < frames.size(); i++) {
      final FrameTokens f = frames.get(i);
      all.appendAll(TokenBlock.ofFrame(f));
      segments.add(new MemorySegment(i, i, f.ptsMicros(), f.ptsMicros(), p * i, p, p));
    }
    return SelectionIndex.of(all, segments, patchTokensIn, texts);
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

  static Map<String, Long> stages(final long decodeNanos, final long encodeNanos) {
    final Map<String, Long> m = new LinkedHashMap<>();
    m.put("decode", decodeNanos);
    m.put("encode", encodeNanos);
    return m;
  }

  /** A memory and what it cost (times measured when it was built, kept with the cache). */
  private record Built(VideoMemory memory, Map<String, Long> sourceNanos, long compressNanos) {}

  /**
   * The frame tokens of a video and what making them cost; with OCR, what OCR reads in each frame
   * (null without OCR).
   */
  private record Frames(List<FrameTokens> tokens, Map<String, Long> sourceNanos,
      @Nullable List<FrameTexts.FrameText> texts) {

    List<Long> times() {
      return tokens.stream().map(FrameTokens::ptsMicros).toList();
    }

    int perFrame() {
      return tokens.get(0).gridH() * tokens.get(0).gridW();
    }

    long patchTokens() {
      return (long) tokens.size() * perFrame();
    }
  }

  /**
   * The video of one item group, its parts made lazily and at most once: a part that failed to be
   * made fails every later use with the same error instead of being made again.
   */
  private final class VideoWork {
    final EvalItem first;
    final Path base;
    final String video;
    final String streamId;
    private @Nullable HaystackFile haystack;
    private @Nullable HaystackNeedle needle;
    private @Nullable Frames frames;
    private @Nullable Built built;
    private @Nullable SelectionIndex uncompressed;
    private @Nullable RuntimeException failure;

    VideoWork(final EvalItem first, final Path base) {
      this.first = first;
      this.base = base;
      this.video = resolveVideo(base, first.video());
      this.streamId = first.id();
    }

    private boolean isHaystack() {
      return HaystackFile.isHaystack(first.video());
    }

    private HaystackFile haystack() {
      if (haystack == null) {
        try {
          haystack = HaystackFile.read(Path.of(video));
        } catch (final IOException e) {
          throw new UncheckedIOException(e.getMessage(), e);
        }
      }
      return haystack;
    }

    double fps() {
      return isHaystack() ? haystack().spec().fps() : config.fps();
    }

    private HaystackNeedle needle() {
      if (needle == null) {
        needle = HaystackNeedle.locate(haystack(), first,
            resolvePath(base, Objects.requireNonNull(first.needle()).image()).toString());
      }
      return needle;
    }

    /** The needle's first stream frame: exact in a haystack, else on the fps grid from its time. */
    long needleFirst() {
      return isHaystack() ? needle().interval().firstIndex()
          : Math.round(Objects.requireNonNull(first.needle()).startMicros() * fps() / 1e6);
    }

    long needleLast() {
      return isHaystack() ? needle().interval().lastIndex()
          : Math.round(Objects.requireNonNull(first.needle()).endMicros() * fps() / 1e6);
    }

    Built memory(final List<String> cached) throws IOException {
      if (built != null) {
        cached.add("memory");
        return built;
      }
      final Caches.Key key = caches.memoryKey(identity(), fps(), config.compressor().toString()
          + (ocr == null ? "" : "|" + ocr.describe()));
      final Caches.Stored stored = caches.readMemory(key);
      if (stored != null) {
        cached.add("memory");
        built = new Built(stored.file().memory(), stored.sourceNanos(), stored.compressNanos());
        return built;
      }
      final Frames f = frames(cached);
      final HierarchicalCompressor compressor = new HierarchicalCompressor(config.compressor());
      final Map<String, Long> source = new LinkedHashMap<>(f.sourceNanos());
      if (ocr != null) {
        final FrameTexts.Replayed read = FrameTexts.replay(f.texts(), f.times(), ocr.schedule());
        read.tokens().forEach(compressor::acceptText);
        source.put("ocr", read.nanos());
      }
      final long tc = System.nanoTime();
      for (final FrameTokens t : f.tokens()) {
        compressor.accept(t);
      }
      compressor.flush();
      final VideoMemory memory = compressor.snapshot();
      final long compressNanos = System.nanoTime() - tc;
      caches.writeMemory(key, new MemoryFile(model, video, fps(), config.compressor().toString(), memory),
          source, compressNanos);
      built = new Built(memory, source, compressNanos);
      return built;
    }

    Frames frames(final List<String> cached) throws IOException {
      if (failure != null) {
        throw failure;
      }
      if (frames == null) {
        try {
          frames = isHaystack() ? haystackFrames(cached) : decode();
        } catch (final IngestException | IllegalArgumentException | UncheckedIOException e) {
          failure = e;
          throw e;
        }
        if (frames.tokens().isEmpty()) {
          failure = new IngestException("no frames decoded from " + video + " at " + fps() + " fps");
          throw failure;
        }
      }
      return frames;
    }

    SelectionIndex uncompressedIndex() throws IOException {
      if (uncompressed == null) {
        final Frames f = frames(new ArrayList<>());
        uncompressed = uncompressed(f.tokens(), f.patchTokens(), f.texts() == null ? List.of()
            : FrameTexts.replay(f.texts(), f.times(), OcrSchedule.Config.EVERY_FRAME).tokens());
      }
      return uncompressed;
    }

    private String identity() {
      if (!isHaystack()) {
        return "video " + (video.contains("://") || video.startsWith("/dev/") ? video : EvalFiles.identity(Path.of(video)));
      }
      final NeedleTruth n = first.needle();
      final String needleId = n == null ? "" : "|needle " + n.label() + " "
          + EvalFiles.identity(resolvePath(base, n.image())) + " @" + n.depth() + " for " + n.durationMicros();
      return "haystack " + haystack().contentHash() + needleId;
    }

    private Frames decode() {
      final DecodeOptions options = planner.options(video, DecodeOptions.DEFAULTS.withFps(fps()).withStreamId(streamId));
      final List<FrameTokens> out = new ArrayList<>();
      final List<FrameTexts.FrameText> texts = ocr == null ? null : new ArrayList<>();
      final EncodedBatches.Timings t;
      try (VideoFileSource source = VideoFileSource.open(video, options)) {
        final long total = source.expectedFrames().orElse(-1);
        t = EncodedBatches.run(source, encoder, config.batchSize(), (frames, tokens) -> {
          out.addAll(tokens);
          if (texts != null) {
            for (final VideoFrame v : frames) {
              texts.add(FrameTexts.FrameText.read(ocr.engine(), v.width(), v.height(), v.rgb()));
            }
          }
          listener.frames(out.size(), total);
        });
      }
      if (t.error() != null) {
        listener.note(video + ": " + t.error() + " (evaluated on the " + out.size() + " frames before it)");
      }
      return new Frames(out, stages(t.decodeNanos(), t.encodeNanos()), texts);
    }

    private Frames haystackFrames(final List<String> cached) {
      final Caches.Tokens base;
      try {
        base = caches.haystackTokens(haystack(), encoder, config.batchSize());
      } catch (final IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
      if (base.reused()) {
        cached.add("tokens");
      }
      final List<FrameTexts.FrameText> baseTexts;
      try {
        baseTexts = ocr == null ? null : caches.haystackTexts(haystack(), ocr.engine(), ocr.modelKey());
      } catch (final IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
      final double fps = fps();
      if (first.needle() == null) {
        return new Frames(HaystackNeedle.restampAll(base.frames(), fps, streamId), base.sourceNanos(), baseTexts);
      }
      final HaystackNeedle n = needle();
      final long te = System.nanoTime();
      final FrameTokens needleTokens = n.encodeNeedle(encoder, streamId);
      final long needleNanos = System.nanoTime() - te;
      final Map<String, Long> cost = new LinkedHashMap<>(base.sourceNanos());
      cost.merge("encode", needleNanos * n.interval().frames(), Long::sum);
      List<FrameTexts.FrameText> texts = null;
      if (baseTexts != null) {
        // The needle's frames all show one picture: read it once, as each of them would be.
        final var fitted = n.fitted();
        texts = n.spliceValues(baseTexts, FrameTexts.FrameText.read(ocr.engine(), fitted.width(), fitted.height(),
            fitted.rgb()));
      }
      return new Frames(n.splice(base.frames(), needleTokens, streamId), cost, texts);
    }

    List<Keyframe> keyframeImages(final VideoContext ctx) {
      if (isHaystack()) {
        return HaystackKeyframes.grab(haystack(), first.needle() == null ? null : needle().needle(), ctx.keyframes());
      }
      return new KeyframeGrabber(video, KeyframeGrabber.DEFAULT_MAX_WIDTH, KeyframeGrabber.DEFAULT_JPEG_QUALITY)
          .grab(ctx.keyframes());
    }
  }
}
