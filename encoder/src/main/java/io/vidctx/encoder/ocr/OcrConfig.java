package io.vidctx.encoder.ocr;

/**
 * Settings of {@link OcrEngine}; {@link #DEFAULTS} are PaddleOCR's documented ones for PP-OCRv4.
 *
 * @param maxSide the detector sees the frame with its longer side at most this (multiples of 32)
 * @param pixelThreshold a map pixel is text when its probability exceeds this (DB thresh, 0.3)
 * @param boxThreshold a region is kept when its mean probability reaches this (DB box_thresh, 0.6)
 * @param unclipRatio how far a region grows back to the text's outline (DB unclip_ratio, 1.5)
 * @param minSize regions whose shorter side is below this many map pixels are dropped (3)
 * @param recHeight the recogniser's input height (48)
 * @param recMaxWidth crops wider than this after scaling to {@code recHeight} are squeezed to it, so an
 *     extremely long line costs bounded time (960)
 * @param batchSize crops per recogniser call (8)
 * @param minConfidence lines read with a lower mean character probability are dropped (0.5)
 */
public record OcrConfig(int maxSide, float pixelThreshold, float boxThreshold, double unclipRatio, int minSize,
    int recHeight, int recMaxWidth, int batchSize, float minConfidence) {

  public static final OcrConfig DEFAULTS = new OcrConfig(960, 0.3f, 0.6f, 1.5, 3, 48, 960, 8, 0.5f);

  public OcrConfig {
    if (maxSide < 32 || recHeight < 8 || recMaxWidth < recHeight || batchSize < 1 || minSize < 1) {
      throw new IllegalArgumentException("OCR sizes out of range: maxSide " + maxSide + ", recHeight " + recHeight
          + ", recMaxWidth " + recMaxWidth + ", batchSize " + batchSize + ", minSize " + minSize);
    }
    if (!(pixelThreshold > 0 && pixelThreshold < 1) || !(boxThreshold > 0 && boxThreshold <= 1)
        || !(unclipRatio >= 0) || !(minConfidence >= 0 && minConfidence <= 1)) {
      throw new IllegalArgumentException("OCR thresholds out of range: pixel " + pixelThreshold + ", box "
          + boxThreshold + ", unclip " + unclipRatio + ", confidence " + minConfidence);
    }
  }
}
