package io.vidctx.ingest.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.video.PtsSampler.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PtsSamplerTest {

  /** Feeds times until END and returns the accepted ones. */
  private static List<Long> run(final PtsSampler sampler, final long[] times) {
    final List<Long> taken = new ArrayList<>();
    for (final long t : times) {
      final Verdict v = sampler.offer(t);
      if (v == Verdict.END) {
        break;
      }
      if (v == Verdict.TAKE) {
        taken.add(t);
      }
    }
    return taken;
  }

  /** Frame times of a constant-rate source in microseconds, rounded like a real time base would be. */
  private static long[] constantRate(final double fps, final int count) {
    final long[] t = new long[count];
    for (int i = 0; i < count; i++) {
      t[i] = Math.round(i * 1_000_000.0 / fps);
    }
    return t;
  }

  @Test
  void offer_fpsZero_keepsEveryFrame() {
    final long[] times = constantRate(24, 100);
    assertEquals(100, run(new PtsSampler(0, 0, -1, -1), times).size());
  }

  @Test
  void offer_tenFpsAtFive_keepsEveryOtherFrame() {
    final List<Long> taken = run(new PtsSampler(5, 0, -1, -1), constantRate(10, 100));
    assertEquals(50, taken.size());
    for (int i = 0; i < taken.size(); i++) {
      assertEquals(i * 200_000L, taken.get(i));
    }
  }

  @Test
  void offer_ntscAtOneFps_keepsOneFramePerSecondClosestToItsStart() {
    // 29.97 fps for 60 s: frame times 33366.67 us apart, never exactly on a second.
    final List<Long> taken = run(new PtsSampler(1, 0, -1, -1), constantRate(30000.0 / 1001, 1798));
    assertEquals(60, taken.size());
    for (int k = 0; k < taken.size(); k++) {
      final long t = taken.get(k);
      assertTrue(t >= k * 1_000_000L - 10_000 && t < k * 1_000_000L + 33_367, "second " + k + " took " + t);
    }
  }

  @Test
  void offer_atExactSourceRate_keepsEveryFrameDespiteRounding() {
    // 59.94 fps sampled at 59.94: rounding puts some frames a microsecond before their slot.
    final double fps = 60000.0 / 1001;
    assertEquals(600, run(new PtsSampler(fps, 0, -1, -1), constantRate(fps, 600)).size());
  }

  @Test
  void offer_sourceSlowerThanTarget_keepsEveryFrameAndInventsNone() {
    assertEquals(50, run(new PtsSampler(30, 0, -1, -1), constantRate(12.5, 50)).size());
  }

  @Test
  void offer_variableRateWithGap_leavesEmptySlotsEmpty() {
    // 10 fps for 1 s, a 3 s gap, 10 fps again: at 2 fps the gap yields no frames.
    final long[] times = {0, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000, 700_000, 800_000, 900_000,
        4_000_000, 4_100_000, 4_200_000, 4_300_000, 4_400_000, 4_500_000, 4_600_000};
    assertEquals(List.of(0L, 500_000L, 4_000_000L, 4_500_000L), run(new PtsSampler(2, 0, -1, -1), times));
  }

  @Test
  void offer_nonIncreasingTimes_areSkipped() {
    final long[] times = {0, 40_000, 40_000, 20_000, 80_000};
    assertEquals(List.of(0L, 40_000L, 80_000L), run(new PtsSampler(0, 0, -1, -1), times));
  }

  @Test
  void offer_range_startsAtStartAndEndsBeforeEnd() {
    final PtsSampler sampler = new PtsSampler(0, 1_000_000, 2_000_000, -1);
    final List<Long> taken = run(sampler, constantRate(10, 100));
    assertEquals(10, taken.size());
    assertEquals(1_000_000L, taken.get(0));
    assertEquals(1_900_000L, taken.get(9));
    assertEquals(Verdict.END, sampler.offer(2_500_000));
  }

  @Test
  void offer_maxFrames_reportsDoneAndEnds() {
    final PtsSampler sampler = new PtsSampler(0, 0, -1, 3);
    assertEquals(3, run(sampler, constantRate(10, 100)).size());
    assertTrue(sampler.isDone());
    assertEquals(Verdict.END, sampler.offer(10_000_000));
    assertEquals(3, sampler.taken());
  }

  @Test
  void offer_beforeLimit_isNotDone() {
    final PtsSampler sampler = new PtsSampler(0, 0, -1, 3);
    sampler.offer(0);
    assertFalse(sampler.isDone());
  }

  @Test
  void constructor_negativeFps_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new PtsSampler(-1, 0, -1, -1));
    assertThrows(IllegalArgumentException.class, () -> new PtsSampler(Double.NaN, 0, -1, -1));
  }
}
