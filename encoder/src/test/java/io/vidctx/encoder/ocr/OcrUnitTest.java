package io.vidctx.encoder.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CTC decoding and DB post-processing without a model. */
class OcrUnitTest {

  /** One-hot steps over classes blank, a, b, c, space. */
  private static float[] steps(final int... classes) {
    final float[] p = new float[classes.length * 5];
    for (int t = 0; t < classes.length; t++) {
      for (int k = 0; k < 5; k++) {
        p[t * 5 + k] = k == classes[t] ? 0.9f : 0.025f;
      }
    }
    return p;
  }

  @Test
  void shouldCollapseRepeatsDropBlanksAndKnowTheSpace() {
    final CtcDecoder d = new CtcDecoder(List.of("a", "b", "c"));
    assertEquals(5, d.classes());
    assertEquals("ab", d.decode(steps(1, 1, 0, 2, 2), 0, 5).text());
    assertEquals("aa", d.decode(steps(1, 0, 1), 0, 3).text(), "a blank between two a's keeps both");
    assertEquals("a c", d.decode(steps(1, 4, 3), 0, 3).text());
    assertEquals("", d.decode(steps(0, 0), 0, 2).text());
    assertEquals(0.9f, d.decode(steps(1, 2), 0, 2).confidence(), 1e-6);
    // A second sequence in the same buffer.
    final float[] two = new float[20];
    System.arraycopy(steps(3, 3), 0, two, 10, 10);
    assertEquals("c", d.decode(two, 10, 2).text());
    assertThrows(IllegalArgumentException.class, () -> new CtcDecoder(List.of()));
  }

  @Test
  void shouldFindGrowAndScaleTextRegions() {
    // A 40x20 map for an 80x40 frame: one strong region (x 4..13, y 4..7), one weak (x 20..29, y 12..15),
    // one speck (x 35, y 2).
    final int w = 40;
    final int h = 20;
    final float[] p = new float[w * h];
    for (int y = 4; y <= 7; y++) {
      for (int x = 4; x <= 13; x++) {
        p[y * w + x] = 0.9f;
      }
    }
    for (int y = 12; y <= 15; y++) {
      for (int x = 20; x <= 29; x++) {
        p[y * w + x] = 0.4f;
      }
    }
    p[2 * w + 35] = 0.95f;
    final List<TextBox> boxes = DbPostprocessor.boxes(p, w, h, 80, 40, OcrConfig.DEFAULTS);
    assertEquals(1, boxes.size(), boxes.toString());
    final TextBox b = boxes.get(0);
    // 10x4 region, d = 40 * 1.5 / 28 = 2.14 map pixels, then x2 to frame pixels.
    assertEquals((int) Math.floor((4 - 2.142857) * 2), b.x0());
    assertEquals((int) Math.ceil((14 + 2.142857) * 2), b.x1());
    assertEquals((int) Math.floor((4 - 2.142857) * 2), b.y0());
    assertEquals((int) Math.ceil((8 + 2.142857) * 2), b.y1());
    assertEquals(0.9f, b.score(), 1e-6);
    // With a lower box threshold the weak region is text too, listed below the first.
    final OcrConfig lenient = new OcrConfig(960, 0.3f, 0.35f, 1.5, 3, 48, 960, 8, 0.5f);
    final List<TextBox> two = DbPostprocessor.boxes(p, w, h, 80, 40, lenient);
    assertEquals(2, two.size());
    assertTrue(two.get(1).y0() > two.get(0).y0());
    assertThrows(IllegalArgumentException.class, () -> DbPostprocessor.boxes(new float[3], 2, 2, 4, 4,
        OcrConfig.DEFAULTS));
  }

  @Test
  void shouldLabelAFullFrameRegionWithoutOverflowingTheStack() {
    final float[] p = new float[1000 * 1000];
    java.util.Arrays.fill(p, 0.99f);
    final List<TextBox> boxes = DbPostprocessor.boxes(p, 1000, 1000, 1000, 1000, OcrConfig.DEFAULTS);
    assertEquals(List.of(new TextBox(0, 0, 1000, 1000, 0.99f)), boxes);
  }

  @Test
  void shouldResizeCropsForTheClassifierByAspectAndPadTheRest() {
    // A 400x100 frame: left half white, right half black.
    final int w = 400;
    final int h = 100;
    final byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w / 2; x++) {
        java.util.Arrays.fill(rgb, (y * w + x) * 3, (y * w + x) * 3 + 3, (byte) 255);
      }
    }
    final TextBox square = new TextBox(0, 0, 40, 40, 1f);
    final TextBox wide = new TextBox(0, 0, 400, 20, 1f);
    final TextBox odd = new TextBox(0, 0, 41, 40, 1f);
    assertEquals(48, OcrEngine.clsWidth(square));
    assertEquals(OcrEngine.CLS_WIDTH, OcrEngine.clsWidth(wide), "aspect 20 is squeezed to 192");
    assertEquals(50, OcrEngine.clsWidth(odd), "ceil(48 * 41 / 40) = ceil(49.2)");
    final float[] in = OcrEngine.clsInput(rgb, w, h, List.of(square, wide));
    final int plane = OcrEngine.CLS_HEIGHT * OcrEngine.CLS_WIDTH;
    assertEquals(2 * 3 * plane, in.length, "[N,3,48,192]");
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < OcrEngine.CLS_HEIGHT; y++) {
        for (int x = 0; x < OcrEngine.CLS_WIDTH; x++) {
          final float sq = in[c * plane + y * OcrEngine.CLS_WIDTH + x];
          assertEquals(x < 48 ? 1f : 0f, sq, 1e-6, "white crop at (x/255-0.5)/0.5 = 1, padding 0, x " + x);
          final float wd = in[3 * plane + c * plane + y * OcrEngine.CLS_WIDTH + x];
          assertEquals(x < 95 ? 1f : x > 96 ? -1f : wd, wd, 1e-6, "white then black (-1) over all 192, x " + x);
        }
      }
    }
  }

  @Test
  void shouldTurnACropHalfAround() {
    // 3x2 frame, pixel value = its index; the box is its right 2x2.
    final byte[] rgb = new byte[3 * 2 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i / 3);
    }
    final byte[] t = OcrEngine.turned(rgb, 3, new TextBox(1, 0, 3, 2, 1f));
    // Pixels 1, 2 / 4, 5 turned: 5, 4 / 2, 1.
    final int[] expected = {5, 4, 2, 1};
    for (int p = 0; p < 4; p++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(expected[p], t[p * 3 + c], "pixel " + p + " channel " + c);
      }
    }
  }
}
