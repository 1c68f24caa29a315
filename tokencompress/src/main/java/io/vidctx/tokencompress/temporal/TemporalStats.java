package io.vidctx.tokencompress.temporal;

/**
 * What the temporal filter has done so far.
 *
 * @param framesIn frames offered and accepted (rejected frames are not counted)
 * @param framesDecided frames with a decision out; {@code framesIn - framesDecided} are pending
 * @param framesKept decided frames that were kept; never more than {@code framesDecided}
 * @param nanos time spent inside {@code offer} and {@code flush}
 */
public record TemporalStats(long framesIn, long framesDecided, long framesKept, long nanos) {

  /** Kept share of the decided frames, in [0, 1]; 1 when nothing is decided yet. */
  public double keptRatio() {
    return framesDecided == 0 ? 1 : (double) framesKept / framesDecided;
  }

  /** Tokens entering the stage for frames of {@code tokensPerFrame} tokens (decided frames). */
  public long tokensIn(final int tokensPerFrame) {
    return framesDecided * tokensPerFrame;
  }

  /** Tokens leaving the stage for frames of {@code tokensPerFrame} tokens. */
  public long tokensOut(final int tokensPerFrame) {
    return framesKept * tokensPerFrame;
  }
}
