package io.vidctx.tokencompress.merge;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-frame cost of {@link SpatialReducer} in its streaming form (what the streaming compressor
 * calls): one chunk of 8 frames per invocation, {@code setAnchor} on the first, {@code reduceFrame}
 * on the other 7, then {@code anchorOutputs}; reported per frame ({@code @OperationsPerInvocation}).
 * DESIGN.md section 4: compression per frame at 196 x 512 on one core, at most 0.5 ms in all.
 *
 * <pre>
 * java -jar tokencompress-jmh/target/benchmarks.jar SpatialReducerBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SpatialReducerBenchmark {
  private static final int CHUNK = 8;

  /** Patches per frame x embedding width. */
  @Param({"196x512", "576x768"})
  public String shape;

  private int p;
  private int d;
  private float[] frames;
  private int[] target;
  private float[] anchorEmb;
  private float[] anchorW;
  private SpatialReducer reducer;

  @Setup
  public void setup() {
    final int[] s = BenchInputs.shape(shape);
    p = s[0];
    d = s[1];
    frames = BenchInputs.driftingFrames(new SplittableRandom(1), CHUNK, p, d, 0.5);
    target = new int[p];
    anchorEmb = new float[p * d];
    anchorW = new float[p];
    reducer = new SpatialReducer(SpatialReducer.Config.DEFAULTS);
  }

  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public int chunkPerFrame() {
    reducer.setAnchor(frames, 0, p, d, null, 0);
    int kept = p;
    for (int f = 1; f < CHUNK; f++) {
      kept += reducer.reduceFrame(frames, f * p * d, null, 0, target, 0);
    }
    reducer.anchorOutputs(anchorEmb, 0, anchorW, 0);
    return kept;
  }
}
