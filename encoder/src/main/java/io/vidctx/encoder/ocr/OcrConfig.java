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
 * @param batchSize crops per recogniser (and classifier) call (8)
 * @param minConfidence lines read with a lower mean character probability are dropped (0.5)
 * @param classify run the orientation classifier ({@link OcrModels#classifier()}) on every crop and turn the
 *     crops it finds upside down before recognition (false: video text is level, and it costs time)
 * @param classifyThreshold with {@code classify}, a crop is turned when the classifier says "rotated 180
 *     degrees" with at least this probability (PaddleOCR's cls_thresh, 0.9); in (0, 1]
 */
public record OcrConfig(int maxSide, float pixelThreshold, float boxThreshold, double unclipRatio, int minSize,
    int recHeight, int recMaxWidth, int batchSize, float minConfidence, boolean classify, float classifyThreshold) {

  public static final OcrConfig DEFAULTS = new OcrConfig(960, 0.3f, 0.6f, 1.5, 3, 48, 960, 8, 0.5f, false, 0.9f);

  public OcrConfig {
    if (maxSide < 32 || recHeight < 8 || recMaxWidth < recHeight || batchSize < 1 || minSize < 1) {
      throw new IllegalArgumentException("OCR sizes out of range: maxSide " + maxSide + ", recHeight " + recHeight
          + ", recMaxWidth " + recMaxWidth + ", batchSize " + batchSize + ", minSize " + minSize);
    }
    if (!(pixelThreshold > 0 && pixelThreshold < 1) || !(boxThreshold > 0 && boxThreshold <= 1)
        || !(unclipRatio >= 0) || !(minConfidence >= 0 && minConfidence <= 1)
        || !(classifyThreshold > 0 && classifyThreshold <= 1)) {
      throw new IllegalArgumentException("OCR thresholds out of range: pixel " + pixelThreshold + ", box "
          + boxThreshold + ", unclip " + unclipRatio + ", confidence " + minConfidence + ", classify "
          + classifyThreshold);
    }
  }

  /** The settings before the orientation classifier: {@code classify} off, its threshold 0.9. */
  public OcrConfig(final int maxSide, final float pixelThreshold, final float boxThreshold, final double unclipRatio,
      final int minSize, final int recHeight, final int recMaxWidth, final int batchSize, final float minConfidence) {
    this(maxSide, pixelThreshold, boxThreshold, unclipRatio, minSize, recHeight, recMaxWidth, batchSize, minConfidence,
        false, 0.9f);
  }

  /** These settings with the orientation classifier on or off. */
  public OcrConfig withClassify(final boolean on) {
    return new OcrConfig(maxSide, pixelThreshold, boxThreshold, unclipRatio, minSize, recHeight, recMaxWidth,
        batchSize, minConfidence, on, classifyThreshold);
  }
}
