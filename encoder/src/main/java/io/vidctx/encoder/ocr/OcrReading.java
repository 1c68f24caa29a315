package io.vidctx.encoder.ocr;

import java.util.List;

/**
 * One frame read by {@link OcrEngine#readTimed}, with where the time went.
 *
 * @param lines the text lines, top to bottom (as {@link OcrEngine#read} returns them)
 * @param detectNanos wall time of detection, its pre- and post-processing included
 * @param recognizeNanos wall time of recognising every crop, cropping included (0 without boxes); with
 *     {@link OcrConfig#classify()} the orientation classifier's time too
 * @param crops text boxes recognised (lines may be fewer: empty or unconfident readings are dropped)
 */
public record OcrReading(List<TextLine> lines, long detectNanos, long recognizeNanos, int crops) {

  public OcrReading {
    lines = List.copyOf(lines);
    if (detectNanos < 0 || recognizeNanos < 0 || crops < 0) {
      throw new IllegalArgumentException("OCR timings and crop count must be >= 0, were " + detectNanos + " ns, "
          + recognizeNanos + " ns, " + crops + " crops");
    }
  }
}
