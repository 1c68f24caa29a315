package io.vidctx.qa;

/**
 * A stretch of the video that supports an answer.
 *
 * @param startMicros first time of the stretch
 * @param endMicros last time, {@code >= startMicros}
 * @param score how strongly it supports the answer (answerer-specific; higher is stronger)
 */
public record EvidenceRange(long startMicros, long endMicros, double score) {

  public EvidenceRange {
    if (endMicros < startMicros) {
      throw new IllegalArgumentException("evidence range ends (" + endMicros + " us) before it starts ("
          + startMicros + " us)");
    }
  }

  public boolean contains(final long ptsMicros) {
    return ptsMicros >= startMicros && ptsMicros <= endMicros;
  }

  public long midMicros() {
    return startMicros + (endMicros - startMicros) / 2;
  }
}
