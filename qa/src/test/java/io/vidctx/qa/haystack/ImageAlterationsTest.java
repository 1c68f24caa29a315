package io.vidctx.qa.haystack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.testing.Photos;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Altered copies of a real photo (cat.png, 451x300). */
class ImageAlterationsTest {

  private static final DecodedImage CAT = Photos.read("cat.png");

  @Test
  void resize_scalesBothSidesAndLeavesTheInput() {
    final byte[] before = CAT.rgb().clone();
    final DecodedImage small = ImageAlterations.resize(CAT, 0.25);
    assertEquals(113, small.width());
    assertEquals(75, small.height());
    final DecodedImage big = ImageAlterations.resize(CAT, 1.5);
    assertEquals(677, big.width());
    assertEquals(450, big.height());
    assertArrayEquals(before, CAT.rgb());
  }

  @Test
  void resize_keepsAtLeast16PixelsPerSide() {
    final DecodedImage tiny = ImageAlterations.resize(CAT, 0.01);
    assertEquals(16, tiny.width());
    assertEquals(16, tiny.height());
    assertThrows(IllegalArgumentException.class, () -> ImageAlterations.resize(CAT, 0));
    assertThrows(IllegalArgumentException.class, () -> ImageAlterations.resize(CAT, Double.POSITIVE_INFINITY));
  }

  @Test
  void resizeTo_stretchesToTheExactSize() {
    final DecodedImage wide = ImageAlterations.resizeTo(CAT, 320, 90);
    assertEquals(320, wide.width());
    assertEquals(90, wide.height());
    final DecodedImage same = ImageAlterations.resizeTo(CAT, CAT.width(), CAT.height());
    assertArrayEquals(CAT.rgb(), same.rgb());
    assertFalse(same.rgb() == CAT.rgb(), "a copy, even at the same size");
  }

  @Test
  void letterbox_keepsTheAspectRatioCentredOnBlack() {
    final int w = 160;
    final int h = 90;
    final DecodedImage boxed = ImageAlterations.letterbox(CAT, w, h);
    assertEquals(w, boxed.width());
    assertEquals(h, boxed.height());
    // The picture fills the height; its width follows the aspect ratio, centred.
    final int fw = (int) Math.round(CAT.width() * (double) h / CAT.height());
    final int x0 = (w - fw) / 2;
    assertTrue(x0 > 0 && fw < w, "a picture narrower than 16:9 gets side bars: " + fw + " of " + w);
    final DecodedImage fitted = ImageAlterations.resizeTo(CAT, fw, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          final int got = boxed.rgb()[(y * w + x) * 3 + c];
          final int want = x < x0 || x >= x0 + fw ? 0 : fitted.rgb()[(y * fw + x - x0) * 3 + c];
          assertEquals(want, got, "pixel (" + x + ", " + y + ") channel " + c);
        }
      }
    }
  }

  @Test
  void jpegRecompress_changesBytesButStaysClose() {
    final byte[] before = CAT.rgb().clone();
    final DecodedImage q30 = ImageAlterations.jpegRecompress(CAT, 30);
    assertEquals(CAT.width(), q30.width());
    assertEquals(CAT.height(), q30.height());
    assertFalse(Arrays.equals(CAT.rgb(), q30.rgb()), "quality 30 is lossy");
    final double mae = Photos.meanAbsoluteError(CAT.rgb(), q30.rgb());
    assertTrue(mae > 0 && mae < 12, "mean absolute error " + mae);
    assertArrayEquals(before, CAT.rgb());
    assertThrows(IllegalArgumentException.class, () -> ImageAlterations.jpegRecompress(CAT, 0));
  }

  @Test
  void crop_keepsTheCentre() {
    final byte[] before = CAT.rgb().clone();
    final DecodedImage half = ImageAlterations.crop(CAT, 0.5);
    assertEquals(226, half.width());
    assertEquals(150, half.height());
    final int x0 = (451 - 226) / 2;
    final int y0 = (300 - 150) / 2;
    for (int y = 0; y < half.height(); y += 7) {
      for (int x = 0; x < half.width(); x += 5) {
        assertEquals(rgbAt(CAT, x0 + x, y0 + y), rgbAt(half, x, y), "pixel " + x + "," + y);
      }
    }
    assertEquals(rgbAt(CAT, 225, 150), rgbAt(half, 225 - x0, 150 - y0), "the centre pixel is kept");
    assertArrayEquals(CAT.rgb(), ImageAlterations.crop(CAT, 1.0).rgb());
    assertArrayEquals(before, CAT.rgb());
    assertThrows(IllegalArgumentException.class, () -> ImageAlterations.crop(CAT, 0));
    assertThrows(IllegalArgumentException.class, () -> ImageAlterations.crop(CAT, 1.2));
  }

  @Test
  void brightness_scalesAndClamps() {
    final byte[] before = CAT.rgb().clone();
    assertArrayEquals(CAT.rgb(), ImageAlterations.brightness(CAT, 1.0).rgb());
    final byte[] black = ImageAlterations.brightness(CAT, 0).rgb();
    for (final byte b : black) {
      assertEquals(0, b);
    }
    final byte[] bright = ImageAlterations.brightness(CAT, 2.0).rgb();
    for (int i = 0; i < bright.length; i += 101) {
      assertEquals(Math.min(255, 2 * (CAT.rgb()[i] & 0xff)), bright[i] & 0xff);
    }
    final byte[] dim = ImageAlterations.brightness(CAT, 0.5).rgb();
    assertTrue(Photos.meanAbsoluteError(CAT.rgb(), dim) > 10);
    assertArrayEquals(before, CAT.rgb());
    assertThrows(IllegalArgumentException.class, () -> ImageAlterations.brightness(CAT, -1));
  }

  private static int rgbAt(final DecodedImage image, final int x, final int y) {
    final int i = (y * image.width() + x) * 3;
    final byte[] p = image.rgb();
    return (p[i] & 0xff) << 16 | (p[i + 1] & 0xff) << 8 | (p[i + 2] & 0xff);
  }
}
