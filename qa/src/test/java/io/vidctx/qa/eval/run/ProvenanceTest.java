package io.vidctx.qa.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.qa.eval.NeedleRecall;
import io.vidctx.qa.eval.SpanRun;
import io.vidctx.tokencompress.TokenBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

  /** Frame k of a 2x2 grid, dim 2, at k seconds. */
  private static TokenBlock frame(final long k) {
    return TokenBlock.ofFrame(new FrameTokens("s", k, k * 1_000_000, 2, 2, 2, new float[] {1, 0, 0, 1, 1, 1, -1, 0},
        new float[] {1, 0}));
  }

  @Test
  void shouldCountCoveredNeedlePatchesAndPurity() {
    // Frames 0..5; needle frames 2..3. Keep all of frame 2 and two cells of frame 3.
    final TokenBlock kept = new TokenBlock(2, 2, 2, 8);
    final TokenBlock f2 = frame(2);
    kept.appendAll(f2);
    final TokenBlock f3 = frame(3);
    kept.append(f3, 0);
    kept.append(f3, 1);
    kept.append(frame(5), 0);
    final NeedleRecall r = Provenance.recall(kept, 2, 3);
    assertTrue(r.hit());
    assertEquals(6, r.tokens());
    assertEquals(6.0 / 8, r.coverage(), 1e-9);
    assertEquals(1.0, r.purity(), 1e-9);
  }

  @Test
  void shouldLowerPurityForTokensMergedAcrossTheNeedleBoundary() {
    // One token that absorbed frames 1..4 (4 frames, weight 4): half of its frames are needle frames.
    final TokenBlock kept = new TokenBlock(2, 2, 2, 1);
    final int i = kept.append(frame(1), 0);
    for (long k = 2; k <= 4; k++) {
      kept.extendSpan(i, k * 1_000_000, k);
      kept.absorbWeight(i, 1);
    }
    final NeedleRecall r = Provenance.recall(kept, 2, 3);
    assertEquals(0.5, r.purity(), 1e-9);
    assertEquals(2.0 / 8, r.coverage(), 1e-9);
  }

  @Test
  void shouldReportAMissWhenNoTokenTouchesTheNeedle() {
    final TokenBlock kept = frame(0);
    assertFalse(Provenance.recall(kept, 3, 4).hit());
    assertEquals(NeedleRecall.MISS, Provenance.recall(kept, 3, 4));
  }

  @Test
  void shouldMergeNearbySpansIntoRuns() {
    final TokenBlock kept = new TokenBlock(2, 2, 2, 8);
    kept.appendAll(frame(1));
    kept.appendAll(frame(2));
    kept.append(frame(9), 0);
    final List<SpanRun> runs = Provenance.runs(kept, 1_000_000);
    assertEquals(List.of(new SpanRun(1_000_000, 2_000_000, 8), new SpanRun(9_000_000, 9_000_000, 1)), runs);
  }
}
