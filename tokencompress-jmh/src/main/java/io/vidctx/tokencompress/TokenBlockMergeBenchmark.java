package io.vidctx.tokencompress;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.tokencompress.merge.BenchInputs;
import io.vidctx.tokencompress.merge.BipartiteMerger;
import io.vidctx.tokencompress.merge.MergeOutput;
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
 * {@link TokenBlock#merge}: applying one clip's bipartite assignment (4 frames of a square grid to
 * 64 tokens) to the provenance columns (spans, frame ranges, cell bitsets, weights). The merge
 * itself is computed once in setup; this measures only the provenance apply, which allocates the
 * new block by contract.
 *
 * <pre>
 * java -jar tokencompress-jmh/target/benchmarks.jar TokenBlockMergeBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenBlockMergeBenchmark {
  private static final int FRAMES = 4;

  /** Grid side x embedding width (14 x 14 = 196 patches, 24 x 24 = 576). */
  @Param({"14x512", "24x768"})
  public String shape;

  private TokenBlock block;
  private int[] assignment;
  private int outputs;
  private float[] embeddings;

  @Setup
  public void setup() {
    final int[] s = BenchInputs.shape(shape);
    final int side = s[0];
    final int d = s[1];
    final int p = side * side;
    final float[] x = BenchInputs.driftingFrames(new SplittableRandom(4), FRAMES, p, d, 0.5);
    block = new TokenBlock(d, side, side, FRAMES * p);
    for (int f = 0; f < FRAMES; f++) {
      final float[] patches = new float[p * d];
      System.arraycopy(x, f * p * d, patches, 0, p * d);
      block.appendAll(TokenBlock.ofFrame(new FrameTokens("bench", f, f * 1_000_000L, side, side, d, patches,
          new float[d])));
    }
    final MergeOutput out = new BipartiteMerger(BipartiteMerger.Config.DEFAULTS).mergeClip(x, FRAMES, p, d, null,
        new MergeOutput());
    assignment = out.assignmentCopy();
    outputs = out.count();
    embeddings = out.embeddingsCopy();
  }

  @Benchmark
  public TokenBlock applyAssignment() {
    return block.merge(assignment, outputs, embeddings);
  }
}
