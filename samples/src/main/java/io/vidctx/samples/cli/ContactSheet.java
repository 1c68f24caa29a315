package io.vidctx.samples.cli;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.getTextSize;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.vidctx.ingest.image.DecodedImage;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A grid of thumbnails with a label (the timestamp) drawn on each, rendered with OpenCV. Pictures
 * are packed RGB24 in and out; each thumbnail keeps its picture's aspect ratio inside its cell.
 */
public final class ContactSheet {
  /** Grey of the sheet's background and margins (RGB). */
  public static final int BACKGROUND = 32;
  private static final int MARGIN = 4;

  /** One thumbnail: the picture and the text to draw on it. */
  public record Tile(DecodedImage image, String label) {}

  private ContactSheet() {}

  /**
   * Up to {@code max} positions out of {@code total}, evenly spaced, always including the first and
   * the last; all positions when {@code total <= max}.
   */
  public static List<Integer> pickEvenly(final int total, final int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    final List<Integer> picked = new ArrayList<>();
    if (total <= max) {
      for (int i = 0; i < total; i++) {
        picked.add(i);
      }
      return picked;
    }
    if (max == 1) {
      picked.add(0);
      return picked;
    }
    for (int k = 0; k < max; k++) {
      picked.add((int) Math.round(k * (total - 1) / (double) (max - 1)));
    }
    return picked;
  }

  /**
   * Renders the tiles in rows of {@code columns}, each cell {@code tileWidth} wide and as high as the
   * first picture's aspect ratio asks.
   */
  public static DecodedImage render(final List<Tile> tiles, final int columns, final int tileWidth) {
    if (tiles.isEmpty()) {
      throw new IllegalArgumentException("a contact sheet needs at least one picture");
    }
    if (columns < 1 || tileWidth < 16) {
      throw new IllegalArgumentException("columns must be >= 1 and tileWidth >= 16, was " + columns + ", " + tileWidth);
    }
    final DecodedImage first = tiles.get(0).image();
    final int tileHeight = Math.max(16, (int) Math.round(tileWidth * (double) first.height() / first.width()));
    final int cols = Math.min(columns, tiles.size());
    final int rows = (tiles.size() + cols - 1) / cols;
    final int width = MARGIN + cols * (tileWidth + MARGIN);
    final int height = MARGIN + rows * (tileHeight + MARGIN);
    final double fontScale = Math.max(0.35, tileWidth / 480.0);
    try (PointerScope scope = new PointerScope()) {
      final Mat sheet = new Mat(height, width, CV_8UC3, new Scalar(BACKGROUND, BACKGROUND, BACKGROUND, 0));
      for (int i = 0; i < tiles.size(); i++) {
        final Tile tile = tiles.get(i);
        final DecodedImage img = tile.image();
        final int cellX = MARGIN + (i % cols) * (tileWidth + MARGIN);
        final int cellY = MARGIN + (i / cols) * (tileHeight + MARGIN);
        final double scale = Math.min(tileWidth / (double) img.width(), tileHeight / (double) img.height());
        final int w = Math.max(1, (int) Math.round(img.width() * scale));
        final int h = Math.max(1, (int) Math.round(img.height() * scale));
        final int x = cellX + (tileWidth - w) / 2;
        final int y = cellY + (tileHeight - h) / 2;
        final Mat src = new Mat(img.height(), img.width(), CV_8UC3);
        src.data().put(img.rgb(), 0, img.rgb().length);
        final Mat dst = new Mat(sheet, new Rect(x, y, w, h));
        resize(src, dst, new Size(w, h), 0, 0, INTER_AREA);
        drawLabel(sheet, tile.label(), cellX, cellY + tileHeight, tileWidth, fontScale);
      }
      final byte[] rgb = new byte[width * height * 3];
      sheet.data().get(rgb, 0, rgb.length);
      return new DecodedImage(width, height, rgb);
    }
  }

  /** White text on a black strip at the bottom-left of a cell whose bottom edge is {@code bottom}. */
  private static void drawLabel(
      final Mat sheet, final String label, final int x, final int bottom, final int maxWidth, final double fontScale) {
    final IntPointer baseline = new IntPointer(1);
    final Size size = getTextSize(label, FONT_HERSHEY_SIMPLEX, fontScale, 1, baseline);
    final int pad = 3;
    final int stripH = size.height() + baseline.get() + 2 * pad;
    rectangle(sheet, new Rect(x, bottom - stripH, Math.min(maxWidth, size.width() + 2 * pad), stripH), new Scalar(0, 0, 0, 0),
        FILLED, LINE_8, 0);
    putText(sheet, label, new Point(x + pad, bottom - pad - baseline.get()), FONT_HERSHEY_SIMPLEX, fontScale,
        new Scalar(255, 255, 255, 0), 1, LINE_AA, false);
  }
}
