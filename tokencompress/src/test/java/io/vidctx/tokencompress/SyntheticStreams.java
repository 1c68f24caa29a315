package io.vidctx.tokencompress;

import io.vidctx.encoder.FrameTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic token streams for tests: 6x6 grids of 16-d tokens, stream id "s", 2 frames per second. */
public final class SyntheticStreams {
  public static final int GRID = 6;
  public static final int DIM = 16;

  private SyntheticStreams() {}

  /**
   * A synthetic stream: scenes of a few seconds, each a fixed random picture with small noise per
   * frame, so the filter drops near-duplicates and the segmenter sees the scene changes. Frame f is at
   * f * 0.5 s.
   */
  public static List<FrameTokens> stream(final long seed, final int frames, final int framesPerScene) {
    final Random r = new Random(seed);
    final List<FrameTokens> out = new ArrayList<>();
    float[] scene = null;
    for (int f = 0; f < frames; f++) {
      if (f % framesPerScene == 0) {
        scene = gaussian(r, GRID * GRID * DIM);
      }
      final float[] patches = scene.clone();
      for (int i = 0; i < patches.length; i++) {
        patches[i] += 0.02f * (float) r.nextGaussian();
      }
      out.add(new FrameTokens("s", f, f * 500_000L, GRID, GRID, DIM, patches, meanOf(patches)));
    }
    return out;
  }

  public static float[] gaussian(final Random r, final int n) {
    final float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  private static float[] meanOf(final float[] patches) {
    final float[] g = new float[DIM];
    for (int i = 0; i < patches.length; i++) {
      g[i % DIM] += patches[i];
    }
    double n = 0;
    for (final float v : g) {
      n += v * v;
    }
    for (int k = 0; k < DIM; k++) {
      g[k] /= (float) Math.sqrt(n);
    }
    return g;
  }
}
