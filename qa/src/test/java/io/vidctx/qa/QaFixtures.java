package io.vidctx.qa;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.qa.query.EncodedQuery;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.select.QueryAwareSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic memories whose scenes have known content, for the qa tests. */
public final class QaFixtures {
  public static final int GRID = 6;
  public static final long FRAME_MICROS = 500_000L;

  private QaFixtures() {}

  /**
   * Scenes of {@code framesPerScene} frames at 2 fps: scene s's patches are {@code bases.get(s)} plus a
   * fixed per-cell pattern of norm ~0.3 and per-frame noise, so each scene's tokens point close to its
   * base vector and scenes differ clearly.
   */
  public static List<FrameTokens> scenes(final long seed, final List<float[]> bases, final int framesPerScene) {
    final Random r = new Random(seed);
    final int dim = bases.get(0).length;
    final List<FrameTokens> out = new ArrayList<>();
    long index = 0;
    for (final float[] base : bases) {
      final float[] unit = unit(base);
      final float[] pattern = new float[GRID * GRID * dim];
      for (int i = 0; i < pattern.length; i++) {
        pattern[i] = unit[i % dim] + 0.3f / (float) Math.sqrt(dim) * (float) r.nextGaussian();
      }
      for (int f = 0; f < framesPerScene; f++) {
        final float[] patches = pattern.clone();
        for (int i = 0; i < patches.length; i++) {
          patches[i] += 0.01f * (float) r.nextGaussian();
        }
        out.add(new FrameTokens("fixture", index, index * FRAME_MICROS, GRID, GRID, dim, patches, unit.clone()));
        index++;
      }
    }
    return out;
  }

  /** {@code n} random unit vectors of width {@code dim}. */
  public static List<float[]> randomBases(final long seed, final int n, final int dim) {
    final Random r = new Random(seed);
    final List<float[]> out = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      final float[] v = new float[dim];
      for (int k = 0; k < dim; k++) {
        v[k] = (float) r.nextGaussian();
      }
      out.add(unit(v));
    }
    return out;
  }

  public static VideoMemory memory(final List<FrameTokens> frames) {
    return HierarchicalCompressor.compressAll(frames, CompressorConfig.DEFAULTS);
  }

  /** The context of {@code question} for query vectors {@code vectors} (coverage when none). */
  public static VideoContext context(final VideoMemory memory, final Question question, final QueryKind kind,
      final int budget, final float[]... vectors) {
    return new ContextBuilder(new QueryAwareSelector(), ContextBuilder.DEFAULT_KEYFRAMES).build(memory, "fixture",
        question, new EncodedQuery(vectors, kind, List.of()), budget);
  }

  public static float[] unit(final float[] v) {
    double n = 0;
    for (final float x : v) {
      n += (double) x * x;
    }
    final float[] out = new float[v.length];
    for (int k = 0; k < v.length; k++) {
      out[k] = (float) (v[k] / Math.sqrt(n));
    }
    return out;
  }
}
