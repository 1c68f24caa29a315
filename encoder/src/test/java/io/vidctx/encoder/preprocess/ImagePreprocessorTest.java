package io.vidctx.encoder.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.manifest.ChannelOrder;
import io.vidctx.encoder.manifest.ResizeMode;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.testing.Photos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Preprocessing against a naive 2-D reference written independently of the separable plan (direct
 * per-pixel formulas), against hand-computed pixels, and against OpenCV's resize on a real photo.
 */
class ImagePreprocessorTest {
  private static final float[] ZERO = {0, 0, 0};
  private static final float[] ONE = {1, 1, 1};
  private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

  @Test
  void toArray_sameSize_normalisesEveryByteInChannelOrder() {
    final VideoFrame f = random(7, 5, 1);
    final ImagePreprocessor rgb = new ImagePreprocessor(7, 5, ResizeMode.SHORTER_SIDE_CENTER_CROP, MEAN, STD,
        ChannelOrder.RGB);
    final ImagePreprocessor bgr = new ImagePreprocessor(7, 5, ResizeMode.LETTERBOX, MEAN, STD, ChannelOrder.BGR);
    final float[] a = rgb.toArray(f);
    final float[] b = bgr.toArray(f);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 7; x++) {
          final int i = c * 35 + y * 7 + x;
          final int v = f.rgb()[(y * 7 + x) * 3 + c] & 0xff;
          final int vb = f.rgb()[(y * 7 + x) * 3 + 2 - c] & 0xff;
          assertEquals((v / 255.0 - MEAN[c]) / STD[c], a[i], 1e-5, "rgb c" + c + " " + x + "," + y);
          assertEquals((vb / 255.0 - MEAN[c]) / STD[c], b[i], 1e-5, "bgr c" + c + " " + x + "," + y);
        }
      }
    }
  }

  @Test
  void toArray_stretch_matchesNaiveBilinearWhenEnlargingAndAreaWhenShrinking() {
    final VideoFrame f = random(13, 9, 2);
    for (final int[] size : new int[][] {{29, 20}, {5, 4}, {13, 4}, {3, 17}, {8, 8}}) {
      final ImagePreprocessor p = new ImagePreprocessor(size[0], size[1], ResizeMode.STRETCH, MEAN, STD, ChannelOrder.RGB);
      final float[] expected = Naive.fit(f, size[0], size[1], size[0], size[1], 0, 0, 0, 0, MEAN, STD);
      assertArrayEquals(expected, p.toArray(f), 1e-4f, "stretch to " + size[0] + "x" + size[1]);
    }
  }

  @Test
  void toArray_centerCrop_cropsTheMiddleOfTheResizedFrame() {
    // 8x4 to 4x4: the height binds (scale 1), the width is cropped by 2 on each side, no resampling.
    final VideoFrame f = random(8, 4, 3);
    final ImagePreprocessor p = new ImagePreprocessor(4, 4, ResizeMode.SHORTER_SIDE_CENTER_CROP, ZERO, ONE,
        ChannelOrder.RGB);
    final float[] out = p.toArray(f);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        for (int c = 0; c < 3; c++) {
          assertEquals((f.rgb()[(y * 8 + x + 2) * 3 + c] & 0xff) / 255f, out[c * 16 + y * 4 + x], 1e-6f);
        }
      }
    }
  }

  @Test
  void planOf_centerCrop_followsTorchvisionResizeThenCrop() {
    // 1280x720 to 224: shorter side 720 -> 224, longer int(1280 * 224 / 720) = 398, crop (398-224)/2 = 87.
    final ImagePreprocessor.Plan p = ImagePreprocessor.Plan.of(1280, 720, 224, 224, ResizeMode.SHORTER_SIDE_CENTER_CROP);
    final double scale = 1280.0 / 398;
    assertEquals(224, p.x().contentLen());
    assertEquals((int) Math.floor(87 * scale), p.x().index()[0], "first column starts at resized pixel 87");
    assertEquals(0, p.y().index()[0]);
    // Portrait 360x640 to 224x224: the width binds, the height is cropped.
    final ImagePreprocessor.Plan q = ImagePreprocessor.Plan.of(360, 640, 224, 224, ResizeMode.SHORTER_SIDE_CENTER_CROP);
    assertEquals(0, q.x().index()[0]);
    assertEquals((int) Math.floor(Math.rint((398 - 224) / 2.0) * 640.0 / 398), q.y().index()[0]);

    final VideoFrame f = random(37, 23, 4);
    final ImagePreprocessor pre = new ImagePreprocessor(16, 16, ResizeMode.SHORTER_SIDE_CENTER_CROP, MEAN, STD,
        ChannelOrder.RGB);
    // 37x23 -> resized (int(37 * 16 / 23) = 25) x 16, crop rint(9 / 2) = 4 columns.
    assertArrayEquals(Naive.fit(f, 16, 16, 25, 16, 4, 0, 0, 0, MEAN, STD), pre.toArray(f), 1e-4f);
  }

  @Test
  void toArray_letterbox_padsWithTheMeanColour() {
    // 8x4 to 4x4: the width binds (scale 1/2), the picture is 4x2 centred with one row above and below.
    final VideoFrame f = random(8, 4, 5);
    final ImagePreprocessor p = new ImagePreprocessor(4, 4, ResizeMode.LETTERBOX, MEAN, STD, ChannelOrder.RGB);
    final float[] out = p.toArray(f);
    for (int c = 0; c < 3; c++) {
      for (int x = 0; x < 4; x++) {
        // Padding is the mean colour: 0 after normalisation, i.e. the pixel value mean * 255.
        assertEquals(0f, out[c * 16 + x], "top padding");
        assertEquals(0f, out[c * 16 + 12 + x], "bottom padding");
        for (int y = 0; y < 2; y++) {
          final int s = ((f.rgb()[((2 * y) * 8 + 2 * x) * 3 + c] & 0xff) + (f.rgb()[((2 * y) * 8 + 2 * x + 1) * 3 + c] & 0xff)
              + (f.rgb()[((2 * y + 1) * 8 + 2 * x) * 3 + c] & 0xff) + (f.rgb()[((2 * y + 1) * 8 + 2 * x + 1) * 3 + c] & 0xff));
          assertEquals((s / 4.0 / 255 - MEAN[c]) / STD[c], out[c * 16 + (y + 1) * 4 + x], 1e-5, "2x2 area average");
        }
      }
    }
    final VideoFrame g = random(30, 41, 6);
    final ImagePreprocessor q = new ImagePreprocessor(20, 16, ResizeMode.LETTERBOX, MEAN, STD, ChannelOrder.RGB);
    // 30x41 into 20x16: the height binds (16 / 41), width round(30 * 16 / 41) = 12, 4 columns of padding left.
    assertArrayEquals(Naive.fit(g, 20, 16, 12, 16, 0, 0, 4, 0, MEAN, STD), q.toArray(g), 1e-4f);
  }

  @Test
  void toArray_stretch_agreesWithOpenCvOnARealPhoto() {
    final DecodedImage photo = Photos.read("mandrill.jpg");
    final VideoFrame f = new VideoFrame("p", 0, 0, photo.width(), photo.height(), photo.rgb());
    for (final int[] size : new int[][] {{224, 224}, {2 * photo.width() + 3, photo.height() + 50}}) {
      final DecodedImage cv = Photos.resize(photo, size[0], size[1]);
      final float[] ours = new ImagePreprocessor(size[0], size[1], ResizeMode.STRETCH, ZERO, ONE, ChannelOrder.RGB)
          .toArray(f);
      double err = 0;
      final int hw = size[0] * size[1];
      for (int i = 0; i < hw; i++) {
        for (int c = 0; c < 3; c++) {
          err += Math.abs(ours[c * hw + i] * 255 - (cv.rgb()[i * 3 + c] & 0xff));
        }
      }
      final double mean = err / (3.0 * hw);
      // OpenCV rounds to bytes (and uses fixed-point weights): within about half a level on average.
      assertTrue(mean < 0.75, "mean absolute difference to OpenCV at " + size[0] + "x" + size[1] + ": " + mean);
    }
  }

  @Test
  void write_fillsOnlyItsOwnBlockOfTheBatchBuffer() {
    final ImagePreprocessor p = new ImagePreprocessor(6, 4, ResizeMode.STRETCH, MEAN, STD, ChannelOrder.RGB);
    final int n = p.floatsPerImage();
    final FloatBuffer batch = ByteBuffer.allocateDirect(4 * 3 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    for (int i = 0; i < 3 * n; i++) {
      batch.put(i, -99f);
    }
    final VideoFrame f = random(12, 9, 7);
    p.write(f, batch, n);
    final float[] expected = p.toArray(f);
    for (int i = 0; i < n; i++) {
      assertEquals(-99f, batch.get(i));
      assertEquals(expected[i], batch.get(n + i));
      assertEquals(-99f, batch.get(2 * n + i));
    }
    assertEquals(0, batch.position(), "absolute writes leave the position alone");
    assertThrows(IndexOutOfBoundsException.class, () -> p.write(f, batch, 2 * n + 1));
  }

  @Test
  void constructor_refusesAZeroStd() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImagePreprocessor(4, 4, ResizeMode.STRETCH, MEAN, new float[] {1, 0, 1}, ChannelOrder.RGB));
    assertTrue(e.getMessage().contains("std[1]"), e.getMessage());
  }

  private static VideoFrame random(final int w, final int h, final long seed) {
    final byte[] rgb = new byte[w * h * 3];
    new Random(seed).nextBytes(rgb);
    return new VideoFrame("s", 0, 0, w, h, rgb);
  }

  /** Direct per-pixel formulas: resize the whole frame to (rw, rh), then crop or pad into (w, h). */
  private static final class Naive {
    static float[] fit(
        final VideoFrame f, final int w, final int h, final int rw, final int rh, final int cropX, final int cropY,
        final int padX, final int padY, final float[] mean, final float[] std) {
      final float[] out = new float[3 * w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          final int rx = x - padX + cropX;
          final int ry = y - padY + cropY;
          if (rx < 0 || ry < 0 || rx >= rw || ry >= rh || x < padX || y < padY) {
            continue; // padding: the mean colour, 0 after normalisation
          }
          for (int c = 0; c < 3; c++) {
            final double v = sample(f, c, rx, ry, (double) f.width() / rw, (double) f.height() / rh);
            out[c * w * h + y * w + x] = (float) ((v / 255 - mean[c]) / std[c]);
          }
        }
      }
      return out;
    }

    private static double sample(final VideoFrame f, final int c, final int rx, final int ry, final double sx,
        final double sy) {
      double acc = 0;
      double total = 0;
      for (int yy = 0; yy < f.height(); yy++) {
        final double wy = weight(yy, ry, sy, f.height());
        if (wy == 0) {
          continue;
        }
        for (int xx = 0; xx < f.width(); xx++) {
          final double wx = weight(xx, rx, sx, f.width());
          if (wx != 0) {
            acc += wx * wy * (f.rgb()[(yy * f.width() + xx) * 3 + c] & 0xff);
            total += wx * wy;
          }
        }
      }
      return acc / total;
    }

    /** Weight of source pixel s for resized pixel r: box overlap when shrinking, tent when enlarging. */
    private static double weight(final int s, final int r, final double scale, final int len) {
      if (scale > 1) {
        return Math.max(0, Math.min(s + 1.0, (r + 1) * scale) - Math.max(s, r * scale));
      }
      final double centre = Math.max(0, Math.min(len - 1.0, (r + 0.5) * scale - 0.5));
      return Math.max(0, 1 - Math.abs(s - centre));
    }
  }
}
