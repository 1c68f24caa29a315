package io.vidctx.encoder.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Thumbnail} differences and the {@link OcrSchedule} built on them, on synthetic 320x180 frames. */
class OcrScheduleTest {
  private static final int W = 320;
  private static final int H = 180;
  private static final long S = 1_000_000L;

  private static byte[] flat(final int grey) {
    final byte[] rgb = new byte[W * H * 3];
    Arrays.fill(rgb, (byte) grey);
    return rgb;
  }

  /** A copy of {@code rgb} with a white box from (x0, y0) to (x1, y1): a word appearing. */
  private static byte[] withBox(final byte[] rgb, final int x0, final int y0, final int x1, final int y1) {
    final byte[] out = rgb.clone();
    for (int y = y0; y < y1; y++) {
      Arrays.fill(out, (y * W + x0) * 3, (y * W + x1) * 3, (byte) 255);
    }
    return out;
  }

  private static Thumbnail thumb(final byte[] rgb) {
    return Thumbnail.of(W, H, rgb);
  }

  @Test
  void thumbnail_greyLevelsTileDifferencesAndBytes() {
    final Thumbnail grey = thumb(flat(100));
    assertEquals(Thumbnail.SIZE, grey.toBytes().length);
    assertEquals(100, grey.toBytes()[0] & 0xff);
    final byte[] red = new byte[W * H * 3];
    for (int i = 0; i < red.length; i += 3) {
      red[i] = (byte) 200;
    }
    assertEquals(60, thumb(red).toBytes()[17] & 0xff, "0.299 x 200 = 59.8, rounded");
    assertEquals(0, grey.maxTileDifference(thumb(flat(100))));
    assertEquals(20, grey.meanTileDifference(thumb(flat(120))), 1e-9);
    // One 40x30 box in the corner covers one 8x6 tile of the thumbnail (320/64 = 5 px per pixel).
    final Thumbnail word = thumb(withBox(flat(100), 0, 0, 40, 30));
    assertEquals(155, grey.maxTileDifference(word), 1e-9);
    assertEquals(155 / 48.0, grey.meanTileDifference(word), 1e-9);
    assertEquals(word, Thumbnail.fromBytes(word.toBytes()));
    assertEquals(word.hashCode(), Thumbnail.fromBytes(word.toBytes()).hashCode());
    assertNotEquals(grey, word);
    final byte[] bytes = word.toBytes();
    bytes[0] = 0;
    assertArrayEquals(Thumbnail.fromBytes(word.toBytes()).toBytes(), word.toBytes(), "toBytes is a copy");
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Thumbnail.fromBytes(new byte[100]));
    assertTrue(e.getMessage().contains("2304") && e.getMessage().contains("100"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Thumbnail.of(W, H, new byte[10]));
  }

  @Test
  void due_firstFrame() {
    final OcrSchedule s = new OcrSchedule(OcrSchedule.Config.DEFAULTS);
    assertTrue(s.due(5 * S, thumb(flat(100))));
    assertEquals(1, s.frames());
    assertEquals(1, s.read());
  }

  @Test
  void due_identicalFramesNot() {
    final OcrSchedule s = new OcrSchedule(OcrSchedule.Config.DEFAULTS);
    final Thumbnail t = thumb(flat(100));
    s.due(0, t);
    for (int i = 1; i <= 10; i++) {
      assertFalse(s.due(i * S, thumb(flat(100))), "frame " + i);
    }
    final byte[] noisy = flat(100);
    for (int i = 0; i < noisy.length; i += 97) {
      noisy[i] = (byte) 103;
    }
    assertFalse(s.due(11 * S, thumb(noisy)), "codec-like noise is no change");
    assertEquals(12, s.frames());
    assertEquals(1, s.read());
  }

  @Test
  void due_cutAtOnceEvenInsideTheGap() {
    final OcrSchedule s = new OcrSchedule(OcrSchedule.Config.DEFAULTS);
    s.due(0, thumb(flat(40)));
    assertTrue(s.due(S / 2, thumb(flat(200))), "a new shot half a second later");
    assertTrue(s.due(S, thumb(flat(40))), "and back");
    assertEquals(3, s.read());
  }

  @Test
  void due_smallChangeWaitsForTheGap() {
    final OcrSchedule s = new OcrSchedule(OcrSchedule.Config.DEFAULTS);
    final byte[] shot = flat(100);
    s.due(0, thumb(shot));
    final byte[] caption = withBox(shot, 0, 0, 40, 30);
    assertFalse(s.due(S, thumb(caption)), "inside the 2 s gap: pending");
    assertTrue(s.due(2 * S, thumb(caption)), "read at the gap: it still differs from the last frame read");
    // A change that goes away again before the gap is never read.
    assertFalse(s.due(3 * S, thumb(withBox(caption, 200, 100, 240, 130))));
    assertFalse(s.due(4 * S, thumb(caption)), "at the gap, but the same as the caption frame read at 2 s");
    assertEquals(5, s.frames());
    assertEquals(2, s.read());
  }

  @Test
  void due_everyFrame() {
    final OcrSchedule s = new OcrSchedule(OcrSchedule.Config.EVERY_FRAME);
    for (int i = 0; i < 5; i++) {
      assertTrue(s.due(i * 1000L, thumb(flat(100))), "frame " + i);
    }
    assertEquals(5, s.read());
  }

  @Test
  void config_badValuesSayWhat() {
    final IllegalArgumentException change = assertThrows(IllegalArgumentException.class,
        () -> new OcrSchedule.Config(-1, 24, 0));
    assertTrue(change.getMessage().contains("changeThreshold") && change.getMessage().contains("-1"),
        change.getMessage());
    final IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
        () -> new OcrSchedule.Config(4, Double.NaN, 0));
    assertTrue(cut.getMessage().contains("cutThreshold") && cut.getMessage().contains("NaN"), cut.getMessage());
    final IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
        () -> new OcrSchedule.Config(4, 24, -5));
    assertTrue(gap.getMessage().contains("minGapMicros") && gap.getMessage().contains("-5"), gap.getMessage());
  }
}
