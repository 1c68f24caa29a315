package io.vidctx.qa.eval;

/**
 * A run of selected tokens on the time line, for the report's timeline strips: {@code tokens} tokens
 * whose spans, merged, cover [{@code startMicros}, {@code endMicros}].
 */
public record SpanRun(long startMicros, long endMicros, int tokens) {

  public SpanRun {
    if (endMicros < startMicros || tokens < 1) {
      throw new IllegalArgumentException("span run " + startMicros + ".." + endMicros + " us of " + tokens
          + " tokens is empty or reversed");
    }
  }
}
