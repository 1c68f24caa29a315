package io.vidctx.tokencompress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.tokencompress.merge.BipartiteMerger;
import io.vidctx.tokencompress.merge.MergeOutput;
import io.vidctx.tokencompress.merge.SpatialReducer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The seam between the merge kernels (flat arrays, assignments) and {@link TokenBlock} (provenance):
 * kernel outputs applied with {@link TokenBlock#merge} keep exact accounting and time order through
 * a spatial reduction followed by a clip merge.
 */
class KernelProvenanceTest {
  private static final int GRID = 4;
  private static final int DIM = 16;

  @Test
  void shouldKeepExactProvenanceThroughSpatialReductionAndClipMerge() {
    // Four frames of a mostly static scene: frame k = base + small noise, one patch changes a lot.
    final Random r = new Random(3);
    final float[] base = gaussian(r, GRID * GRID * DIM);
    final TokenBlock clip = new TokenBlock(DIM, GRID, GRID, 4 * GRID * GRID);
    for (int f = 0; f < 4; f++) {
      final float[] p = base.clone();
      for (int i = 0; i < p.length; i++) {
        p[i] += 0.05f * (float) r.nextGaussian();
      }
      for (int k = 0; k < DIM; k++) {
        p[(5 * DIM) + k] = (float) r.nextGaussian(); // patch 5 is new in every frame
      }
      clip.appendAll(TokenBlock.ofFrame(new FrameTokens("s", f, f * 1_000_000L, GRID, GRID, DIM, p, new float[DIM])));
    }

    final MergeOutput spatial = new SpatialReducer(SpatialReducer.Config.DEFAULTS)
        .reduce(clip.embeddings(), 4, GRID * GRID, DIM, null, new MergeOutput());
    final TokenBlock reduced = clip.merge(spatial.assignmentCopy(), spatial.count(), spatial.embeddingsCopy());
    assertTrue(reduced.size() < clip.size(), "static patches fold into the anchor: " + reduced.size());
    assertTrue(reduced.size() >= GRID * GRID + 3, "the anchor keeps all, each later frame at least its new patch");
    assertEquals(clip.totalWeight(), reduced.totalWeight());
    assertArrayEquals(spatial.weightsCopy(), reduced.weights());
    // The anchor's static patches now stand for all four frames.
    assertEquals(0, reduced.startPts(0));
    assertEquals(3_000_000, reduced.endPts(0));
    reduced.checkInvariants();
    assertTrue(reduced.isTimeOrdered());

    final MergeOutput merged = new BipartiteMerger(new BipartiteMerger.Config(4, 2))
        .merge(reduced.embeddings(), reduced.size(), DIM, reduced.weights(), 8, new MergeOutput());
    final TokenBlock out = reduced.merge(merged.assignmentCopy(), merged.count(), merged.embeddingsCopy());
    assertEquals(8, out.size());
    assertEquals(clip.totalWeight(), out.totalWeight(), "every original patch token is still accounted for");
    assertArrayEquals(merged.weightsCopy(), out.weights());
    out.checkInvariants();
    assertTrue(out.isTimeOrdered());
    for (long f = 0; f < 4; f++) {
      assertTrue(covered(out, f * 1_000_000L), "frame time " + f + " s is inside some token's span");
    }
  }

  private static boolean covered(final TokenBlock b, final long pts) {
    for (int i = 0; i < b.size(); i++) {
      if (b.startPts(i) <= pts && pts <= b.endPts(i)) {
        return true;
      }
    }
    return false;
  }

  private static float[] gaussian(final Random r, final int n) {
    final float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
