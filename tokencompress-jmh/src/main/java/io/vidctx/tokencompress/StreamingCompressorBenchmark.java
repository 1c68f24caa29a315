package io.vidctx.tokencompress;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.tokencompress.merge.BenchInputs;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Per-frame cost of {@link StreamingCompressor#accept} (stages 1 to 4, default config) in steady
 * state, one stream on one thread: one invocation pushes one scene of {@value #SCENE_FRAMES}
 * frames, reported per frame ({@code @OperationsPerInvocation}). The units go to a sink that hands
 * them to a {@link Blackhole}.
 *
 * <p>Input: synthetic footage built in setup, {@value #SCENES} scenes of {@value #SCENE_FRAMES}
 * frames at 2 fps (the rate the defaults are calibrated at), each scene a hard cut from the
 * previous one (see {@link #footage}): the temporal filter keeps part of the frames, spatial
 * reduction finds the static background, every scene closes a segment. The ring of frames is
 * replayed; each frame is re-stamped with the next index and time (a new {@link FrameTokens} record
 * pointing at the same arrays: 56 bytes per frame of the figure) because the compressor
 * refuses times that do not increase. {@link #printStages} prints the measured kept share and the
 * per-stage split of {@link StreamingCompressor#stats()} at the end of the trial. The ring holds
 * 240 frames: 96 MB at 196x512, 425 MB at 576x768.
 *
 * <p>Measured (README "Figures"): 475 to 512 us and 0.80 MB per frame at 196x512, 4.6 ms and 3.2 MB at
 * 576x768; the bipartite merge of each chunk is 65 % and 84 % of the time.
 *
 * <pre>
 * java -jar tokencompress-jmh/target/benchmarks.jar StreamingCompressorBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// The compressor allocates 0.8 MB (196x512) to 3.3 MB (576x768) per frame; with the default
// initial heap, G1 grows the heap during the first seconds and the page faults on the new memory
// land in the first measured iterations of a short run (2.6 ms instead of 0.5 ms per frame at
// 196x512, 2-core EPYC). A committed, pre-touched heap measures the steady state.
@Fork(jvmArgsAppend = {"-Xms2g", "-XX:+AlwaysPreTouch"})
public class StreamingCompressorBenchmark {
  /** Frames per scene: a hard cut every 30 s at 2 fps. */
  static final int SCENE_FRAMES = 60;
  /** Scenes in the ring (a power of two: the scene index cycles with a mask). */
  static final int SCENES = 4;
  /** 2 fps. */
  static final long FRAME_MICROS = 500_000L;

  // Footage knobs (noise amplitudes are norms: a d-vector of unit-variance noise scaled by 1/sqrt(d)).
  // Tuned so that, with the defaults, the filter keeps 43 % (196x512) and 40 % (576x768) of the
  // frames, spatial reduction keeps 44 to 46 % of the kept frames' tokens (real footage: 30 to 65 %,
  // tokencompress README) and every scene is one segment.
  /** Weight of the scene vector in every patch: cells of a scene resemble each other. */
  private static final double COMMON = 1.0;
  /** Share of busy cells, whose fresh noise puts them under the spatial threshold. */
  private static final double BUSY_SHARE = 0.3;
  /** Camera drift step per frame, common to all cells: what makes the filter keep a frame. */
  private static final double DRIFT = 0.08;

  /** Patches per frame x embedding width (14 x 14 and 24 x 24 grids). */
  @Param({"196x512", "576x768"})
  public String shape;

  private int side;
  private int d;
  private Footage footage;
  private StreamingCompressor compressor;
  private Blackhole sinkHole;
  private long next;
  private long units;
  private @Nullable List<StageStats> measuredFrom;

  /** Synthetic frames: {@code patches[f]} is P x d floats, {@code globals[f]} d floats. */
  record Footage(float[][] patches, float[][] globals) {}

  @Setup(Level.Trial)
  public void setup() {
    final int[] s = BenchInputs.shape(shape);
    side = (int) Math.round(Math.sqrt(s[0]));
    if (side * side != s[0]) {
      throw new IllegalArgumentException("patches must make a square grid, was " + s[0]);
    }
    d = s[1];
    footage = footage(new SplittableRandom(5), SCENES, SCENE_FRAMES, side, d);
    compressor = new StreamingCompressor(CompressorConfig.DEFAULTS, this::sink);
    next = 0;
    measuredFrom = null;
  }

  @Benchmark
  @OperationsPerInvocation(SCENE_FRAMES)
  public long scenePerFrame(final Blackhole bh) {
    sinkHole = bh;
    final int first = (int) ((next / SCENE_FRAMES) & (SCENES - 1)) * SCENE_FRAMES;
    for (int f = 0; f < SCENE_FRAMES; f++) {
      final long n = next++;
      compressor.accept(new FrameTokens("bench", n, n * FRAME_MICROS, side, side, d, footage.patches()[first + f],
          footage.globals()[first + f]));
    }
    return units;
  }

  /** Snapshots the stage statistics when measurement starts, so the printed split leaves warm-up out. */
  @Setup(Level.Iteration)
  public void iterationStart(final IterationParams iteration) {
    if (measuredFrom == null && iteration.getType() == IterationType.MEASUREMENT) {
      measuredFrom = compressor.stats();
    }
  }

  /**
   * Prints, for the measurement iterations, each stage's frames and tokens in and out and its time
   * per input frame ({@link StreamingCompressor#stats()}; "total" is the sum of the four, so the
   * score minus it is what no stage times: input checks, {@code TokenBlock.ofFrame}, dropped-frame
   * absorption, chunk assembly, the decision lists).
   */
  @TearDown(Level.Trial)
  public void printStages() {
    final List<StageStats> now = compressor.stats();
    final long frames = now.get(now.size() - 1).framesIn() - (measuredFrom == null ? 0
        : measuredFrom.get(measuredFrom.size() - 1).framesIn());
    final StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%n%s, measurement iterations: %d frames%n",
        shape, frames));
    for (int i = 0; i < now.size(); i++) {
      final StageStats st = now.get(i);
      final StageStats from = measuredFrom == null ? new StageStats(st.stage(), 0, 0, 0, 0, 0) : measuredFrom.get(i);
      final long tokensIn = st.tokensIn() - from.tokensIn();
      final long tokensOut = st.tokensOut() - from.tokensOut();
      b.append(String.format(Locale.ROOT, "  %-7s frames %d -> %d, tokens %d -> %d (%.1f %%), %.1f us per input frame%n",
          st.stage(), st.framesIn() - from.framesIn(), st.framesOut() - from.framesOut(), tokensIn, tokensOut,
          100.0 * tokensOut / Math.max(1, tokensIn), (st.nanos() - from.nanos()) / 1e3 / Math.max(1, frames)));
    }
    System.out.print(b);
  }

  private void sink(final CompressedUnit unit) {
    units++;
    sinkHole.consume(unit);
  }

  /**
   * Video-like frame tokens, seeded. A scene: a scene vector {@code s} shared by every patch (real
   * patch embeddings share a large common direction) and, per grid cell, a background vector
   * {@code normalise(COMMON s + random unit)}. Frame t of the scene shows at each cell its background,
   * plus a camera drift common to all cells (a random walk), plus fresh per-frame noise, small on
   * most cells and large on a fixed share of busy cells (foliage, water: the cells spatial reduction
   * must keep); a K x K object, K = (side + 2) / 5 (3 on a 14 grid, 5 on 24), with its own
   * vectors moves one cell per frame and bounces off the grid
   * edges. Each patch is normalised. The global is the normalised mean of the patches. Scenes are
   * independent (a hard cut between them).
   */
  static Footage footage(final SplittableRandom rnd, final int scenes, final int sceneFrames, final int side,
      final int d) {
    final int p = side * side;
    final int k = (side + 2) / 5;
    final float[][] patches = new float[scenes * sceneFrames][];
    final float[][] globals = new float[scenes * sceneFrames][];
    final float[] bg = new float[p * d];
    final float[] obj = new float[k * k * d];
    final boolean[] busy = new boolean[p];
    final float[] drift = new float[d];
    final double[] mean = new double[d];
    for (int sc = 0; sc < scenes; sc++) {
      final float[] s = unit(rnd, d);
      for (int q = 0; q < p; q++) {
        mixInto(bg, q * d, s, COMMON, unit(rnd, d));
        busy[q] = rnd.nextDouble() < BUSY_SHARE;
      }
      for (int j = 0; j < k * k; j++) {
        mixInto(obj, j * d, s, COMMON, unit(rnd, d));
      }
      Arrays.fill(drift, 0f);
      int r0 = rnd.nextInt(side - k + 1);
      int c0 = rnd.nextInt(side - k + 1);
      int dr = rnd.nextBoolean() ? 1 : -1;
      int dc = rnd.nextBoolean() ? 1 : -1;
      for (int t = 0; t < sceneFrames; t++) {
        for (int i = 0; i < d; i++) {
          drift[i] += (float) (DRIFT * SyntheticFrame.noise(rnd) / Math.sqrt(d));
        }
        final float[][] frame = SyntheticFrame.render(side, k, d, r0, c0, obj, bg, busy, drift, mean, rnd);
        final float[] x = frame[0];
        final float[] g = frame[1];
        patches[sc * sceneFrames + t] = x;
        globals[sc * sceneFrames + t] = g;
        if (r0 + dr < 0 || r0 + dr > side - k) {
          dr = -dr;
        }
        if (c0 + dc < 0 || c0 + dc > side - k) {
          dc = -dc;
        }
        r0 += dr;
        c0 += dc;
      }
    }
    return new Footage(patches, globals);
  }

  private static void mixInto(final float[] dst, final int o, final float[] s, final double a, final float[] u) {
    double nn = 0;
    for (int i = 0; i < u.length; i++) {
      final double v = a * s[i] + u[i];
      nn += v * v;
    }
    final double inv = 1 / Math.sqrt(nn);
    for (int i = 0; i < u.length; i++) {
      dst[o + i] = (float) ((a * s[i] + u[i]) * inv);
    }
  }

  private static float[] unit(final SplittableRandom rnd, final int d) {
    final float[] u = new float[d];
    double nn = 0;
    for (int i = 0; i < d; i++) {
      final double v = SyntheticFrame.noise(rnd);
      u[i] = (float) v;
      nn += v * v;
    }
    final double inv = 1 / Math.sqrt(nn);
    for (int i = 0; i < d; i++) {
      u[i] = (float) (u[i] * inv);
    }
    return u;
  }

  /** Zero-mean, unit-variance noise (uniform: cheaper than Gaussian, and in high dimension the same for cosines). */
}
