package io.vidctx.tokencompress.select;

import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.MemorySegment;
import io.vidctx.tokencompress.StageStats;
import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.VideoMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Latency of one query-aware selection ({@link QueryAwareSelector}, default config, token budget
 * {@value #BUDGET}) over an hour of video at 1 fps, single-threaded. DESIGN.md section 4 asks for at
 * most 20 ms over the memory of such an hour.
 *
 * <p>The hour: {@value #FRAMES} frames of a 14 x 14 grid from {@link SyntheticHour} (scene cuts every
 * 10 to 60 s, seeded; structured, slowly drifting scenes with a moving object and noisy cells), the
 * same frames for both sources at a given {@code dim}:
 * <ul>
 *   <li>{@code MEMORY}: the {@link VideoMemory} that {@link HierarchicalCompressor} (defaults) builds
 *       from the hour;
 *   <li>{@code UNCOMPRESSED}: every patch of every frame as a token (705,600), one segment per frame,
 *       through {@link SelectionIndex#of(TokenBlock, List, long)}: the comparison the coarse-to-fine
 *       step exists for.
 * </ul>
 * Queries: {@code TEXT1}, one vector (a random patch of one frame plus noise of norm 1, standing for a
 * text embedding); {@code IMAGE16}, 16 vectors (16 patches of that frame plus noise, standing for an
 * example image's merged tokens); {@code COVERAGE}, no vectors.
 *
 * <p>{@link #select} asks a prepared {@link SelectionIndex} (the repeated question: the index is built
 * in setup); {@link #selectWithIndex} builds the index of the memory and then selects (the first
 * question on a memory), for {@code MEMORY} only: its state has no {@code source} parameter. Setup
 * prints, once per fork to stderr, the source's token and segment counts, its build time and the
 * statistics of one selection.
 *
 * <p>Heap: the uncompressed hour at 512 dims is 705,600 x 512 floats (1.4 GB) plus 72 B of provenance
 * per token; the caller's block, the copy {@link SelectionIndex#of(TokenBlock, List, long)} makes and
 * the embedding copy in its constructor are 4.4 GB at the peak of the setup and 2.9 GB stay live,
 * hence {@code -Xmx6g}.
 *
 * <p>Measured (README "Selection"): the memory (3,854 / 3,968 tokens, 102 / 105 segments at 64 / 512
 * dims) answers in 0.2 to 3.1 ms; the 16-vector query at 512 dims took 17 to 21 ms (90 % of it the
 * fine step's dot products) until the scoring loop was blocked by four query vectors: 12.5 ms now. The uncompressed hour takes 9 to 142 ms and
 * 27 to 38 MB per select. An uncompressed select is slow enough that 1 s warm-up iterations leave
 * the JIT unsettled: use {@code -wi 3 -w 3s} for it.
 *
 * <pre>
 * java -jar tokencompress-jmh/target/benchmarks.jar -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc SelectionBenchmark
 * java -jar tokencompress-jmh/target/benchmarks.jar -f 1 -wi 3 -i 3 -w 3s -r 2s -p source=UNCOMPRESSED 'SelectionBenchmark.select$'
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class SelectionBenchmark {
  /** One hour at 1 fps. */
  static final int FRAMES = 3_600;
  static final int SIDE = 14;
  /** The caller's token budget (the target model's context minus the prompt). */
  static final int BUDGET = 4_096;
  static final long SEED = 20_240_601L;
  /** Noise norm added to each query vector (the patches are unit length: cosine about 0.7). */
  static final double QUERY_NOISE = 1.0;

  private static final QueryAwareSelector SELECTOR = new QueryAwareSelector();

  /** What the question is asked of. */
  public enum Source {
    /** The compressed memory of the hour. */
    MEMORY,
    /** Every patch of every frame, one segment per frame. */
    UNCOMPRESSED
  }

  /** The question's vectors. */
  public enum Query {
    /** One vector, like a CLIP text embedding. */
    TEXT1,
    /** 16 vectors, like an example image's merged patch tokens. */
    IMAGE16,
    /** No vectors: coverage-only selection. */
    COVERAGE
  }

  /** A prepared index of either source. */
  @State(Scope.Benchmark)
  public static class Prepared {
    @Param({"MEMORY", "UNCOMPRESSED"})
    public Source source;

    @Param({"TEXT1", "IMAGE16", "COVERAGE"})
    public Query query;

    @Param({"64", "512"})
    public int dim;

    SelectionIndex index;
    SelectionQuery question;

    @Setup(Level.Trial)
    public void build() {
      final SyntheticHour hour = new SyntheticHour(SEED, FRAMES, SIDE, dim);
      if (source == Source.MEMORY) {
        index = SelectionIndex.of(compress(hour));
      } else {
        index = uncompressed(hour);
      }
      question = question(hour, query);
      printSelection(index, question, hour.queryFrame());
    }
  }

  /** The compressed memory alone: {@link #selectWithIndex} builds its index on every call. */
  @State(Scope.Benchmark)
  public static class Fresh {
    @Param({"TEXT1", "IMAGE16", "COVERAGE"})
    public Query query;

    @Param({"64", "512"})
    public int dim;

    VideoMemory memory;
    SelectionQuery question;

    @Setup(Level.Trial)
    public void build() {
      final SyntheticHour hour = new SyntheticHour(SEED, FRAMES, SIDE, dim);
      memory = compress(hour);
      question = question(hour, query);
      printSelection(SelectionIndex.of(memory), question, hour.queryFrame());
    }
  }

  /** A question on a prepared index (the index built once per memory). */
  @Benchmark
  public Selection select(final Prepared p) {
    return SELECTOR.select(p.index, p.question);
  }

  /** The first question on a memory: {@code SelectionIndex.of(memory)} and the selection. */
  @Benchmark
  public Selection selectWithIndex(final Fresh f) {
    return SELECTOR.select(SelectionIndex.of(f.memory), f.question);
  }

  /** Feeds the hour to a default {@link HierarchicalCompressor}, frame by frame; prints what it built. */
  static VideoMemory compress(final SyntheticHour hour) {
    final HierarchicalCompressor c = new HierarchicalCompressor(CompressorConfig.DEFAULTS);
    final long[] acceptNanos = new long[1];
    final long t0 = System.nanoTime();
    hour.generate(frame -> {
      final long a = System.nanoTime();
      c.accept(frame);
      acceptNanos[0] += System.nanoTime() - a;
    });
    final long a = System.nanoTime();
    c.flush();
    final VideoMemory m = c.snapshot();
    acceptNanos[0] += System.nanoTime() - a;
    final long wall = System.nanoTime() - t0;
    final StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "%nMEMORY dim %d: %d frames, %d scenes generated -> %d tokens (budget %d), %d segments, %d patch tokens in;"
            + " built in %.1f s (compressor %.1f s = %.2f ms per frame, the rest generating frames)%n",
        hour.dim(), hour.frames(), hour.scenes(), m.tokenCount(), m.tokenBudget(), m.segments().size(),
        m.patchTokensIn(), wall / 1e9, acceptNanos[0] / 1e9, acceptNanos[0] / 1e6 / hour.frames()));
    for (final StageStats st : m.stats()) {
      b.append(String.format(Locale.ROOT, "  %-7s frames %d -> %d, tokens %d -> %d%n", st.stage(), st.framesIn(),
          st.framesOut(), st.tokensIn(), st.tokensOut()));
    }
    System.err.print(b);
    return m;
  }

  /**
   * Every patch of every frame as a token, one {@link MemorySegment} per frame (tokens {@code [196 f,
   * 196 f + 196)}, span the frame's time, weight 196).
   */
  static SelectionIndex uncompressed(final SyntheticHour hour) {
    final int p = SIDE * SIDE;
    final long t0 = System.nanoTime();
    final TokenBlock all = new TokenBlock(hour.dim(), SIDE, SIDE, FRAMES * p);
    final List<MemorySegment> segments = new ArrayList<>(FRAMES);
    hour.generate(frame -> {
      final int f = (int) frame.index();
      all.appendAll(TokenBlock.ofFrame(frame));
      segments.add(new MemorySegment(f, f, frame.ptsMicros(), frame.ptsMicros(), p * f, p, p));
    });
    final long t1 = System.nanoTime();
    final SelectionIndex index = SelectionIndex.of(all, segments, (long) FRAMES * p);
    final long t2 = System.nanoTime();
    System.err.printf(Locale.ROOT, "%nUNCOMPRESSED dim %d: %d frames, %d scenes -> %d tokens, %d segments;"
            + " block built in %.1f s (with generation), SelectionIndex.of in %.0f ms%n",
        hour.dim(), hour.frames(), hour.scenes(), index.size(), index.segments().size(), (t1 - t0) / 1e9,
        (t2 - t1) / 1e6);
    return index;
  }

  /** The query of the given kind; needs the hour generated (its query frame's patches). */
  static SelectionQuery question(final SyntheticHour hour, final Query kind) {
    switch (kind) {
      case TEXT1:
        return new SelectionQuery(hour.queryVectors(1, QUERY_NOISE, SEED + 1), null, BUDGET);
      case IMAGE16:
        return new SelectionQuery(hour.queryVectors(16, QUERY_NOISE, SEED + 2), null, BUDGET);
      default:
        return SelectionQuery.coverage(null, BUDGET);
    }
  }

  /**
   * Runs one selection and prints its statistics (what the timed calls do), with how many kept tokens
   * cover the frame the query vectors came from (a check that relevance finds it).
   */
  static void printSelection(final SelectionIndex index, final SelectionQuery question, final int queryFrame) {
    final Selection s = SELECTOR.select(index, question);
    final SelectionStats st = s.stats();
    int queryFrameHits = 0;
    final TokenBlock t = s.tokens();
    for (int i = 0; i < t.size(); i++) {
      if (t.firstFrame(i) <= queryFrame && queryFrame <= t.lastFrame(i)) {
        queryFrameHits++;
      }
    }
    System.err.printf(Locale.ROOT, "  selection (%s, %d vectors): %d candidates, %d scored, entropy %.3f, peak %.2e,"
            + " ratio %.3f, wanted %d, quota %d, kept %d (%d cover query frame %d); first call %.2f ms%n",
        st.mode(), question.vectorCount(), st.candidates(), st.scored(), st.entropy(), st.peak(), st.ratio(),
        st.wanted(), st.quota(), st.kept(), queryFrameHits, queryFrame, st.nanos() / 1e6);
  }
}
