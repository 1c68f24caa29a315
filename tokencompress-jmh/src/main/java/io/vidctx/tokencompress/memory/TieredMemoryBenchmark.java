package io.vidctx.tokencompress.memory;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.tokencompress.CompressedUnit;
import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.merge.BenchInputs;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Stage 5 consolidation per unit in steady state: {@link TieredMemory#add} of one unit of 8 kept
 * frames x 16 tokens (stage 4's output for a full chunk) into a memory with the default config that
 * is already full (800 units in: every tier at its limit, segments coalescing). Scenes: a new one every
 * {@code unitsPerScene} units, a third of them revisiting an earlier picture (so the redundancy
 * rule has repeats to evict); within a scene each unit is the scene's picture plus noise.
 *
 * <p>The next unit is built in a per-invocation setup (outside the measurement): an add costs far more
 * than a millisecond's tenth, so the setup's timing overhead does not matter.
 *
 * <pre>
 * java -jar tokencompress-jmh/target/benchmarks.jar TieredMemoryBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TieredMemoryBenchmark {
  private static final int GRID = 4;
  private static final int FRAMES_PER_UNIT = 8;
  private static final long FRAME_MICROS = 1_000_000;

  @Param({"512", "768"})
  public int dim;

  @Param({"1", "4"})
  public int unitsPerScene;

  private SplittableRandom rnd;
  private TieredMemory memory;
  private float[] scene;
  private final float[][] seen = new float[32][];
  private int scenes;
  private long units;
  private CompressedUnit next;

  @Setup(Level.Trial)
  public void fill() {
    rnd = new SplittableRandom(11);
    memory = new TieredMemory(MemoryConfig.DEFAULTS, FRAMES_PER_UNIT * GRID * GRID);
    for (int i = 0; i < 800; i++) {
      memory.add(makeUnit());
    }
  }

  @Setup(Level.Invocation)
  public void nextUnit() {
    next = makeUnit();
  }

  @Benchmark
  public int add() {
    memory.add(next);
    return memory.tokenCount();
  }

  private CompressedUnit makeUnit() {
    if (units % unitsPerScene == 0) {
      if (scenes >= seen.length && rnd.nextInt(3) == 0) {
        scene = seen[rnd.nextInt(seen.length)];
      } else {
        scene = BenchInputs.unitVectors(rnd, GRID * GRID, dim);
        seen[scenes % seen.length] = scene;
      }
      scenes++;
    }
    final TokenBlock block = new TokenBlock(dim, GRID, GRID, FRAMES_PER_UNIT * GRID * GRID);
    for (int f = 0; f < FRAMES_PER_UNIT; f++) {
      final long index = units * FRAMES_PER_UNIT + f;
      final float[] patches = scene.clone();
      for (int i = 0; i < patches.length; i++) {
        patches[i] += (float) (0.05 * (rnd.nextDouble() - 0.5));
      }
      final float[] global = new float[dim];
      for (int i = 0; i < patches.length; i++) {
        global[i % dim] += patches[i];
      }
      block.appendAll(TokenBlock.ofFrame(
          new FrameTokens("bench", index, index * FRAME_MICROS, GRID, GRID, dim, patches, global)));
    }
    return new CompressedUnit(scenes - 1, FRAMES_PER_UNIT, block);
  }
}
