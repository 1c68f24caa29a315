package io.vidctx.encoder.ocr;

import java.util.Objects;

/**
 * A line of text read from a frame: what it says, how sure the recogniser is (mean probability of
 * its characters) and where it is.
 */
public record TextLine(String text, float confidence, TextBox box) {

  public TextLine {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(box, "box");
  }
}
