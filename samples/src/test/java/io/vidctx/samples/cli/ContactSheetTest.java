package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.samples.demo.DemoVideoGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contact sheet, on frames the demo generator renders (no decoding involved). */
class ContactSheetTest {

  @Test
  void pickEvenly_allWhenFewerThanMax() {
    assertEquals(List.of(0, 1, 2), ContactSheet.pickEvenly(3, 48));
    assertEquals(List.of(), ContactSheet.pickEvenly(0, 5));
  }

  @Test
  void pickEvenly_spreadsFromFirstToLast() {
    assertEquals(List.of(0, 25, 50, 74, 99), ContactSheet.pickEvenly(100, 5));
    final List<Integer> picked = ContactSheet.pickEvenly(1000, 48);
    assertEquals(48, picked.size());
    assertEquals(0, picked.get(0));
    assertEquals(999, picked.get(47));
    for (int i = 1; i < picked.size(); i++) {
      final int gap = picked.get(i) - picked.get(i - 1);
      assertTrue(gap == 21 || gap == 22, "uneven gap " + gap + " at " + i);
    }
    assertEquals(List.of(0), ContactSheet.pickEvenly(10, 1));
    assertThrows(IllegalArgumentException.class, () -> ContactSheet.pickEvenly(10, 0));
  }

  @Test
  void render_placesScaledThumbnailsWithLabels() {
    final DemoVideoGenerator gen = new DemoVideoGenerator(7, 12);
    final List<Long> frames = List.of(0L, 100L, 200L, 299L);
    final List<ContactSheet.Tile> tiles = new ArrayList<>();
    for (final long f : frames) {
      tiles.add(new ContactSheet.Tile(gen.renderRgb(f), TimeConverter.format(f * 40_000)));
    }
    final int tileW = 160;
    final DecodedImage sheet = ContactSheet.render(tiles, 3, tileW);
    final int tileH = 90; // 640x360 scaled to 160 wide
    assertEquals(4 + 3 * (tileW + 4), sheet.width());
    assertEquals(4 + 2 * (tileH + 4), sheet.height());

    for (int i = 0; i < frames.size(); i++) {
      final DecodedImage src = tiles.get(i).image();
      final int x0 = 4 + (i % 3) * (tileW + 4);
      final int y0 = 4 + (i / 3) * (tileH + 4);
      // The thumbnail's middle band matches the source picture scaled down (mean colour per band).
      final double[] thumb = meanRgb(sheet, x0, y0 + 30, tileW, 30);
      final double[] orig = meanRgb(src, 0, 120, 640, 120);
      for (int c = 0; c < 3; c++) {
        assertEquals(orig[c], thumb[c], 12, "tile " + i + " channel " + c);
      }
      // The label strip (bottom-left) holds black background and white text pixels.
      int white = 0;
      int black = 0;
      for (int y = y0 + tileH - 14; y < y0 + tileH - 2; y++) {
        for (int x = x0 + 2; x < x0 + 60; x++) {
          final int p = (y * sheet.width() + x) * 3;
          final int sum = (sheet.rgb()[p] & 0xff) + (sheet.rgb()[p + 1] & 0xff) + (sheet.rgb()[p + 2] & 0xff);
          white += sum > 450 ? 1 : 0;
          black += sum < 30 ? 1 : 0;
        }
      }
      assertTrue(white > 10 && black > 100, "tile " + i + " label: white " + white + ", black " + black);
    }
    // The unused sixth cell is background.
    final double[] empty = meanRgb(sheet, 4 + 2 * (tileW + 4), 4 + tileH + 4, tileW, tileH);
    assertEquals(ContactSheet.BACKGROUND, empty[0], 0.01);
  }

  @Test
  void render_refusesNothingToShow() {
    assertThrows(IllegalArgumentException.class, () -> ContactSheet.render(List.of(), 3, 100));
  }

  private static double[] meanRgb(final DecodedImage img, final int x0, final int y0, final int w, final int h) {
    final double[] sum = new double[3];
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        final int p = (y * img.width() + x) * 3;
        for (int c = 0; c < 3; c++) {
          sum[c] += img.rgb()[p + c] & 0xff;
        }
      }
    }
    for (int c = 0; c < 3; c++) {
      sum[c] /= (double) w * h;
    }
    return sum;
  }
}
