package io.vidctx.tokencompress.merge;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link WeightedKMeans#cluster} as the synopsis memory's consolidation uses it: the 60 previous
 * centroids (weight 20 each, fed back as points and as the initialisation) plus {@code fresh} new
 * tokens of weight 1, at 512 dims, k = 60, up to 10 iterations. {@code fresh = 2000} is the large
 * batch case (2000 points besides the 60 centroids). NAIVE is the kernel before the JMH work
 * ({@link WeightedKMeansBaseline}), OPTIMIZED the current one (vectorised assignment step).
 *
 * <pre>
 * java -jar tokencompress-jmh/target/benchmarks.jar WeightedKMeansBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WeightedKMeansBenchmark {
  private static final int K = 60;

  /** New points per update. */
  @Param({"64", "256", "2000"})
  public int fresh;

  @Param({"512"})
  public int dim;

  /** The implementation measured. */
  public enum Impl { NAIVE, OPTIMIZED }

  @Param({"NAIVE", "OPTIMIZED"})
  public Impl impl;

  private int n;
  private float[] points;
  private float[] weights;
  private double[] times;
  private float[] init;
  private WeightedKMeans kmeans;
  private WeightedKMeansBaseline naive;
  private MergeOutput out;

  @Setup
  public void setup() {
    final SplittableRandom rnd = new SplittableRandom(3);
    n = K + fresh;
    init = BenchInputs.unitVectors(rnd, K, dim);
    points = new float[n * dim];
    System.arraycopy(init, 0, points, 0, K * dim);
    System.arraycopy(BenchInputs.driftingFrames(rnd, 1, fresh, dim, 0.5), 0, points, K * dim, fresh * dim);
    weights = new float[n];
    times = new double[n];
    for (int i = 0; i < n; i++) {
      weights[i] = i < K ? 20f : 1f;
      times[i] = i;
    }
    kmeans = new WeightedKMeans(WeightedKMeans.Config.DEFAULTS);
    naive = new WeightedKMeansBaseline(WeightedKMeans.Config.DEFAULTS);
    out = new MergeOutput();
  }

  @Benchmark
  public MergeOutput update() {
    return impl == Impl.OPTIMIZED ? kmeans.cluster(points, n, dim, weights, times, init, K, out)
        : naive.cluster(points, n, dim, weights, times, init, K, out);
  }
}
