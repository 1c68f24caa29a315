package io.vidctx.qa.eval.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token and time measures of a set of results (ANCHORS E3), over the results that were measured
 * (every outcome but {@code ERROR}: a failed item has no measurements, only zeros).
 *
 * @param measured results averaged over
 * @param meanPatchTokens mean patch tokens of the sampled frames (the tokens in)
 * @param meanMemoryTokens mean tokens the method's store held before selection
 * @param meanKeptTokens mean tokens handed to the answerer (the tokens kept)
 * @param reduction {@code 1 - sum(kept) / sum(patch)}: pooled, so that long videos weigh by their
 *     tokens rather than every item alike; NaN without patch tokens
 * @param meanStageMillis mean milliseconds per item of each stage, in pipeline order; the runner charges
 *     a cached memory or haystack at the cost it had when it was made, and a stage absent from a
 *     result counts as 0 ms
 * @param totalStageMillis summed milliseconds of each stage, same order
 * @param meanTotalMillis mean milliseconds per item, all stages
 * @param peakHeapBytes the largest peak heap of any item
 */
public record Efficiency(int measured, double meanPatchTokens, double meanMemoryTokens, double meanKeptTokens,
    double reduction, Map<String, Double> meanStageMillis, Map<String, Double> totalStageMillis,
    double meanTotalMillis, long peakHeapBytes) {

  public Efficiency {
    meanStageMillis = Collections.unmodifiableMap(new LinkedHashMap<>(meanStageMillis));
    totalStageMillis = Collections.unmodifiableMap(new LinkedHashMap<>(totalStageMillis));
  }
}
