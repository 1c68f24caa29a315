package io.vidctx.tokencompress.merge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rough per-call costs, printed for the issue note until the JMH module exists (run with -Pslow).
 * Asserts only the results' shape: timings are reported, never asserted.
 */
@Tag("slow")
class MergeThroughputTest {

  @Test
  void spatialReduction_perFrame() {
    report("spatial 196x512", spatialNanosPerFrame(196, 512));
    report("spatial 576x768", spatialNanosPerFrame(576, 768));
  }

  @Test
  void bipartite_perClip() {
    final float[] x = MergeFixtures.driftingFrames(new SplittableRandom(2), 4, 196, 512, 0.5);
    final BipartiteMerger merger = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS);
    final MergeOutput out = new MergeOutput();
    final long ns = time(() -> merger.mergeClip(x, 4, 196, 512, null, out), 40);
    assertTrue(out.count() == 64);
    report("bipartite clip 4x196x512 -> 64", ns);
  }

  @Test
  void kmeans_perUpdate() {
    final SplittableRandom rnd = new SplittableRandom(3);
    final float[] x = MergeFixtures.unitVectors(rnd, 2000, 512);
    final double[] t = new double[2000];
    for (int i = 0; i < t.length; i++) {
      t[i] = i;
    }
    final float[] init = MergeFixtures.unitVectors(rnd, 60, 512);
    final WeightedKMeans km = new WeightedKMeans(WeightedKMeans.Config.DEFAULTS);
    final MergeOutput out = new MergeOutput();
    final long ns = time(() -> km.cluster(x, 2000, 512, null, t, init, 60, out), 10);
    assertTrue(out.count() > 0 && out.count() <= 60);
    report("k-means 60 centroids, 2000 points, 512 dims, " + km.lastIterations() + " iterations", ns);
  }

  private static long spatialNanosPerFrame(final int p, final int d) {
    final int frames = 8;
    final float[] x = MergeFixtures.driftingFrames(new SplittableRandom(1), frames, p, d, 0.5);
    final SpatialReducer reducer = new SpatialReducer(SpatialReducer.Config.DEFAULTS);
    final MergeOutput out = new MergeOutput();
    final long ns = time(() -> reducer.reduce(x, frames, p, d, null, out), 400);
    assertTrue(out.count() >= p + frames - 1);
    return ns / frames;
  }

  /** Median-free mean of the second half of the runs (the first half warms the JIT). */
  private static long time(final Runnable r, final int runs) {
    for (int i = 0; i < runs; i++) {
      r.run();
    }
    final long t0 = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      r.run();
    }
    return (System.nanoTime() - t0) / runs;
  }

  private static void report(final String what, final long ns) {
    System.out.println(String.format(Locale.ROOT, "[throughput] %s: %.3f ms", what, ns / 1e6));
  }
}
