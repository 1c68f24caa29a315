package io.vidctx.tokencompress;

/**
 * What one stage did so far: frames and tokens in and out, and time spent in it.
 *
 * @param stage the stage's name ("filter", "segment", "spatial", "merge")
 */
public record StageStats(String stage, long framesIn, long framesOut, long tokensIn, long tokensOut, long nanos) {

  /** Share of tokens removed, in [0, 1]; 0 when nothing went in. */
  public double reduction() {
    return tokensIn == 0 ? 0 : 1 - (double) tokensOut / tokensIn;
  }
}
