package io.vidctx.tokencompress.select;

/**
 * The figures of one selection, for reports and for tuning the budget formula.
 *
 * @param mode whether relevance came from query vectors or the selection only spread coverage
 * @param memoryTokens tokens in the memory
 * @param candidates tokens inside the time range
 * @param scored tokens scored one by one (fewer than the candidates when coarse-to-fine skipped
 *     segments)
 * @param entropy relevance entropy normalised by log(scored), in [0, 1] (1 for coverage-only)
 * @param peak largest relevance (softmax value, in (0, 1])
 * @param ratio kept share ρ chosen from entropy and peak (or the fixed ratio)
 * @param wanted ⌈ρ · candidates⌉ before the cap
 * @param cap the caller's token budget
 * @param quota tokens taken by the coverage quota
 * @param kept tokens in the selection
 * @param nanos time the selection took
 * @param textMatched text tokens (on-screen text) in range that matched the query's phrases
 * @param textKept text tokens in the selection
 */
public record SelectionStats(Mode mode, int memoryTokens, int candidates, int scored, double entropy, double peak,
    double ratio, int wanted, int cap, int quota, int kept, long nanos, int textMatched, int textKept) {

  /** Where relevance came from. */
  public enum Mode {
    /** Query vectors scored the tokens (fused with on-screen text matches when there are any). */
    QUERY,
    /** No query vectors: on-screen text that matched the query's phrases placed the relevance. */
    TEXT,
    /** No query vectors: the budget is spread over the timeline by weight. */
    COVERAGE
  }
}
