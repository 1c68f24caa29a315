package io.vidctx.tokencompress.memory;

/**
 * What the memory holds and has done so far.
 *
 * @param unitsIn units received from stage 4
 * @param keptFramesIn kept frames in those units
 * @param tokensIn tokens in those units
 * @param recentUnits units in the recent tier
 * @param recentTokens their tokens
 * @param detailUnits units in the detail tier
 * @param detailTokens their tokens
 * @param segments segment entries of the long-term tiers (coalesced runs count once)
 * @param synopsisTokens synopsis centroids over all entries
 * @param detailEvictions units moved from detail into the synopsis
 * @param coalesced pairs of adjacent segments coalesced to stay within maxSegments
 * @param nanos time spent in {@code add}
 */
public record MemoryStats(long unitsIn, long keptFramesIn, long tokensIn, int recentUnits, int recentTokens,
    int detailUnits, int detailTokens, int segments, int synopsisTokens, long detailEvictions, long coalesced,
    long nanos) {

  /** Tokens held in all tiers. */
  public int tokens() {
    return recentTokens + detailTokens + synopsisTokens;
  }
}
