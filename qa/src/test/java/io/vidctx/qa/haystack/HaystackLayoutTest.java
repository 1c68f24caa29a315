package io.vidctx.qa.haystack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.image.DecodedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The needle placement arithmetic, without decoding anything. */
class HaystackLayoutTest {

  private static final DecodedImage GREY = new DecodedImage(2, 2, new byte[12]);

  private static Needle needle(final String label, final double depth, final long micros) {
    return new Needle(GREY, depth, micros, label);
  }

  @Test
  void plan_depthsSnapToTheFirstFrameAtOrAfterDepthTimesDuration() {
    final double fps = 2.0;
    assertEquals(0, HaystackLayout.plan(55, fps, List.of(needle("n", 0.0, 2_000_000))).insertAt(0));
    assertEquals(28, HaystackLayout.plan(55, fps, List.of(needle("n", 0.5, 2_000_000))).insertAt(0));
    assertEquals(55, HaystackLayout.plan(55, fps, List.of(needle("n", 1.0, 2_000_000))).insertAt(0),
        "depth 1 goes after the last haystack frame");
    assertEquals(3, HaystackLayout.plan(10, fps, List.of(needle("n", 0.3, 500_000))).insertAt(0),
        "0.3 * 10 is 3.0000000000000004 in doubles, still frame 3");
  }

  @Test
  void plan_durationRoundsUpToWholeFramePeriods() {
    assertEquals(4, HaystackLayout.needleFrames(2_000_000, 2.0));
    assertEquals(1, HaystackLayout.needleFrames(300_000, 2.0));
    assertEquals(2, HaystackLayout.needleFrames(600_000, 2.0));
    assertEquals(1, HaystackLayout.needleFrames(1, 2.0));
    assertEquals(30, HaystackLayout.needleFrames(1_000_000, 29.97), "29.97 frames in 1 s: 30 sampled times");
  }

  @Test
  void plan_laterNeedlesMoveBackByTheEarlierNeedlesFrames() {
    // Given out of order: the layout works in stream order.
    final HaystackLayout plan = HaystackLayout.plan(20, 1.0,
        List.of(needle("late", 0.75, 3_000_000), needle("early", 0.25, 2_000_000)));
    assertEquals(25, plan.totalFrames());
    assertEquals(20_000_000, plan.haystackMicros());
    final NeedleInterval early = plan.intervals().get(0);
    final NeedleInterval late = plan.intervals().get(1);
    assertEquals(new NeedleInterval("early", 5_000_000, 6_000_000, 5, 6), early);
    assertEquals(new NeedleInterval("late", 17_000_000, 19_000_000, 17, 19), late, "15 haystack + 2 needle frames before");
    assertEquals(1, plan.specIndex(0));
    assertEquals(0, plan.specIndex(1));
  }

  @Test
  void plan_needlesInFrontOfTheSameFrameOverlap() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HaystackLayout.plan(10, 1.0, List.of(needle("a", 0.51, 1_000_000), needle("b", 0.55, 1_000_000))));
    assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("'b'") && e.getMessage().contains("overlap"),
        e.getMessage());
  }

  @Test
  void plan_needleLongerThanTheHaystack() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HaystackLayout.plan(10, 2.0, List.of(needle("long", 0.5, 6_000_000))));
    assertTrue(e.getMessage().contains("6000000 us") && e.getMessage().contains("5000000 us"), e.getMessage());
  }

  @Test
  void plan_noNeedles() {
    final HaystackLayout plan = HaystackLayout.plan(7, 3.0, List.of());
    assertEquals(7, plan.totalFrames());
    assertTrue(plan.intervals().isEmpty());
    assertEquals(333_333, HaystackLayout.ptsMicros(1, 3.0));
    assertEquals(666_667, HaystackLayout.ptsMicros(2, 3.0));
  }
}
