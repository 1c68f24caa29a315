package io.vidctx.encoder.ocr;

import java.util.ArrayList;
import java.util.List;

/*
 * DB post-processing, axis-aligned: the probability map is thresholded, 8-connected regions are
 * labelled with an explicit stack (no recursion: a full-frame region must not overflow the Java
 * stack), each region's bounding box is scored by the mean probability of its pixels, and a kept box
 * is grown by DB's unclip distance d = area * ratio / perimeter on every side (the shrunk text kernel
 * the network predicts grows back to the glyphs' outline), then mapped to frame pixels. Rotated text
 * gets its bounding box; perspective rectification is left out (video text is nearly always level).
 */

/** Turns a detector's text probability map into text boxes in frame pixels. Stateless. */
public final class DbPostprocessor {
  private DbPostprocessor() {}

  /**
   * The text boxes of a probability map of {@code mapW x mapH} (row-major) for a frame of {@code frameW
   * x frameH}, by top edge, then left edge.
   */
  public static List<TextBox> boxes(final float[] prob, final int mapW, final int mapH, final int frameW,
      final int frameH, final OcrConfig c) {
    if (prob.length != mapW * mapH) {
      throw new IllegalArgumentException("probability map of " + prob.length + " values is not " + mapW + "x" + mapH);
    }
    final int[] label = new int[prob.length];
    final int[] stack = new int[prob.length];
    final List<TextBox> out = new ArrayList<>();
    final double sx = (double) frameW / mapW;
    final double sy = (double) frameH / mapH;
    int next = 0;
    for (int start = 0; start < prob.length; start++) {
      if (label[start] != 0 || !(prob[start] > c.pixelThreshold())) {
        continue;
      }
      next++;
      int top = 0;
      stack[top++] = start;
      label[start] = next;
      int x0 = mapW;
      int y0 = mapH;
      int x1 = -1;
      int y1 = -1;
      double sum = 0;
      int n = 0;
      while (top > 0) {
        final int p = stack[--top];
        final int x = p % mapW;
        final int y = p / mapW;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
        sum += prob[p];
        n++;
        for (int dy = -1; dy <= 1; dy++) {
          final int yy = y + dy;
          if (yy < 0 || yy >= mapH) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            final int xx = x + dx;
            if (xx < 0 || xx >= mapW) {
              continue;
            }
            final int q = yy * mapW + xx;
            if (label[q] == 0 && prob[q] > c.pixelThreshold()) {
              label[q] = next;
              stack[top++] = q;
            }
          }
        }
      }
      final int w = x1 - x0 + 1;
      final int h = y1 - y0 + 1;
      final float score = (float) (sum / n);
      if (Math.min(w, h) < c.minSize() || score < c.boxThreshold()) {
        continue;
      }
      final double d = (double) w * h * c.unclipRatio() / (2.0 * (w + h));
      final int fx0 = clamp((int) Math.floor((x0 - d) * sx), frameW);
      final int fy0 = clamp((int) Math.floor((y0 - d) * sy), frameH);
      final int fx1 = clamp((int) Math.ceil((x1 + 1 + d) * sx), frameW);
      final int fy1 = clamp((int) Math.ceil((y1 + 1 + d) * sy), frameH);
      if (fx1 > fx0 && fy1 > fy0) {
        out.add(new TextBox(fx0, fy0, fx1, fy1, score));
      }
    }
    out.sort(java.util.Comparator.comparingInt(TextBox::y0).thenComparingInt(TextBox::x0));
    return out;
  }

  private static int clamp(final int v, final int max) {
    return Math.max(0, Math.min(max, v));
  }
}
