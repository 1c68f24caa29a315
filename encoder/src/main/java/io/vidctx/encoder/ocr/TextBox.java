package io.vidctx.encoder.ocr;

/**
 * An axis-aligned text box in frame pixels (x0, y0 inclusive; x1, y1 exclusive) with the detector's
 * mean text probability inside its region.
 */
public record TextBox(int x0, int y0, int x1, int y1, float score) {

  public TextBox {
    if (x1 <= x0 || y1 <= y0) {
      throw new IllegalArgumentException("empty text box " + x0 + "," + y0 + " - " + x1 + "," + y1);
    }
  }

  public int width() {
    return x1 - x0;
  }

  public int height() {
    return y1 - y0;
  }
}
