package io.vidctx.encoder.ocr;

import java.util.Objects;

/**
 * One piece of on-screen text over the time it stayed on screen: the same text read in consecutive
 * OCR'd frames, merged.
 *
 * @param text the text as read with the highest confidence
 * @param startMicros time of the first frame it was read in
 * @param endMicros time of the last frame it was read in ({@code >= startMicros})
 * @param box where it was, in the frame it was read best
 * @param confidence the best mean character probability among its readings
 * @param readings how many OCR'd frames read it
 */
public record TextToken(String text, long startMicros, long endMicros, TextBox box, float confidence, int readings) {

  public TextToken {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(box, "box");
    if (endMicros < startMicros || readings < 1) {
      throw new IllegalArgumentException("text token '" + text + "' spans " + startMicros + ".." + endMicros
          + " us over " + readings + " readings");
    }
  }
}
