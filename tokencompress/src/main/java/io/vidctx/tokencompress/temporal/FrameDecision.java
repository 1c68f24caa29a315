package io.vidctx.tokencompress.temporal;

/**
 * The temporal filter's verdict on one frame.
 *
 * @param sequence the frame's 0-based position among the frames offered to the filter
 * @param ptsMicros the frame's time
 * @param kept true if the frame keeps its tokens
 * @param keptSequence the kept frame whose time span absorbs this one; {@code sequence} when kept
 * @param keptPtsMicros that kept frame's time; {@code ptsMicros} when kept
 */
public record FrameDecision(long sequence, long ptsMicros, boolean kept, long keptSequence, long keptPtsMicros) {

  static FrameDecision keep(final long sequence, final long ptsMicros) {
    return new FrameDecision(sequence, ptsMicros, true, sequence, ptsMicros);
  }

  static FrameDecision drop(final long sequence, final long ptsMicros, final long intoSequence, final long intoPts) {
    return new FrameDecision(sequence, ptsMicros, false, intoSequence, intoPts);
  }
}
