package io.vidctx.tokencompress.memory;

/**
 * Settings of stage 5, the bounded video memory ({@link TieredMemory}).
 *
 * <p>Defaults: Flash-VStream's tiers (ANCHORS.md section 4, spec S6) scaled to our units of up to 8
 * kept frames x 16 tokens: a recent window of 2 units (S6: 1 to 4 clips), 16 representative units at
 * full resolution (Flash-VStream-Qwen: 30 units of 4 frames; ours hold 8), a synopsis that takes the
 * rest of a 4,096-token budget (S6 computes 2,880 for 60 centroids x 16 + 30 x 64), at most 64
 * synopsis tokens per segment and at most 256 segments (about one per 14 s over an hour; more are
 * coalesced, most similar neighbours first). Weighted k-means runs at most 10 Lloyd iterations
 * (S6), with time as one more coordinate (timeWeight 1).
 *
 * @param enabled false keeps every unit (no budget): the memory grows with the stream
 * @param tokenBudget the most tokens a snapshot holds, all tiers and the unit still being built
 *     together
 * @param recentUnits newest units kept as they came out of stage 4
 * @param detailUnits older units kept at full unit resolution, the most mutually distinct ones
 * @param maxSegments segments the synopsis keeps apart (each keeps at least one token)
 * @param maxTokensPerSegment synopsis centroids one segment may hold
 * @param kmeansIterations Lloyd iterations per consolidation at most
 * @param timeWeight squared distance that the whole time span of the tokens being clustered adds
 *     between two tokens, in units of their content variance (0: content only, Flash-VStream's
 *     rule; 1, the default: the span counts as much as the content spread); keeps centroids compact
 *     in time, so a token stands for one visit rather than several alike. On
 *     one_by_one_person_detection under a 640-token budget with 16 tokens per segment, 0 to 4
 *     shortened the mean token span from 15.4 s to 12.6 s
 */
public record MemoryConfig(boolean enabled, int tokenBudget, int recentUnits, int detailUnits, int maxSegments,
    int maxTokensPerSegment, int kmeansIterations, float timeWeight) {

  public static final MemoryConfig DEFAULTS = new MemoryConfig(true, 4096, 2, 16, 256, 64, 10, 1f);

  public MemoryConfig {
    require(tokenBudget >= 1, "tokenBudget must be at least 1, was " + tokenBudget);
    require(recentUnits >= 0, "recentUnits must be >= 0, was " + recentUnits);
    require(detailUnits >= 0, "detailUnits must be >= 0, was " + detailUnits);
    require(maxSegments >= 1, "maxSegments must be at least 1, was " + maxSegments);
    require(maxTokensPerSegment >= 1, "maxTokensPerSegment must be at least 1, was " + maxTokensPerSegment);
    require(kmeansIterations >= 1, "kmeansIterations must be at least 1, was " + kmeansIterations);
    require(timeWeight >= 0 && Float.isFinite(timeWeight), "timeWeight must be finite and >= 0, was " + timeWeight);
  }

  public MemoryConfig withTokenBudget(final int budget) {
    return new MemoryConfig(enabled, budget, recentUnits, detailUnits, maxSegments, maxTokensPerSegment,
        kmeansIterations, timeWeight);
  }

  public MemoryConfig withTiers(final int recent, final int detail, final int segments, final int perSegment) {
    return new MemoryConfig(enabled, tokenBudget, recent, detail, segments, perSegment, kmeansIterations, timeWeight);
  }

  public MemoryConfig withEnabled(final boolean on) {
    return new MemoryConfig(on, tokenBudget, recentUnits, detailUnits, maxSegments, maxTokensPerSegment,
        kmeansIterations, timeWeight);
  }

  public MemoryConfig withTimeWeight(final float w) {
    return new MemoryConfig(enabled, tokenBudget, recentUnits, detailUnits, maxSegments, maxTokensPerSegment,
        kmeansIterations, w);
  }

  /**
   * The smallest budget that holds the recent window, the unit being built (both of up to {@code
   * unitTokens} tokens) and one synopsis token per segment.
   */
  public long minimumBudget(final int unitTokens) {
    return (long) (recentUnits + 1) * unitTokens + maxSegments;
  }

  /**
   * Checks that the budget fits units of up to {@code unitTokens} tokens.
   *
   * @throws IllegalArgumentException saying what to change
   */
  public void requireFits(final int unitTokens) {
    if (enabled && tokenBudget < minimumBudget(unitTokens)) {
      throw new IllegalArgumentException("memory tokenBudget " + tokenBudget + " is too small: the recent window ("
          + recentUnits + " units) and the unit being built hold up to " + (recentUnits + 1) + " x " + unitTokens
          + " tokens and each of up to " + maxSegments + " segments keeps one; raise tokenBudget to at least "
          + minimumBudget(unitTokens) + ", or lower recentUnits, maxSegments or the tokens per unit");
    }
  }

  private static void require(final boolean ok, final String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
