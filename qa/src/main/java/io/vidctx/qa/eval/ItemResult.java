package io.vidctx.qa.eval;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One item answered by one method: a line of the result log ({@code results.jsonl}).
 *
 * @param itemId the item's id
 * @param method how the context was made
 * @param outcome right, wrong, or why it was not scored
 * @param answer the answer's text (an option's text, a time, free text), or null
 * @param choice index of the chosen option, or -1
 * @param confidence in [0, 1], or NaN when the answerer cannot tell
 * @param atMicros the time a grounding answer names, or -1
 * @param grounded for a needle item: whether the answer's time lies inside the needle interval; null
 *     when the item has no needle or the answer names no time
 * @param recall needle recall of the context from provenance; null without a needle
 * @param frames frames that went into the context's source (sampled frames, needle frames included)
 * @param videoMicros duration the frames cover (last frame's time)
 * @param patchTokens patch tokens of all those frames (the encoder's output)
 * @param memoryTokens tokens the method's store held before selection (the memory; all patch tokens
 *     for {@code none}; the sampled frames' tokens for {@code uniform})
 * @param keptTokens tokens in the context handed to the answerer
 * @param reduction 1 - keptTokens / patchTokens
 * @param stageNanos time per stage in pipeline order ({@code decode}, {@code encode}, {@code compress},
 *     {@code query}, {@code select}, {@code answer}); cached stages are absent
 * @param cached which cached artefact the item reused ({@code memory}, {@code tokens}), or empty
 * @param peakHeapBytes the JVM's peak used heap while the item ran (all pools, from the memory beans)
 * @param runs where the selected tokens fell, merged into runs, in time order
 * @param error why the item failed or was not answerable, or null
 */
public record ItemResult(String itemId, Method method, Outcome outcome, @Nullable String answer, int choice,
    double confidence, long atMicros, @Nullable Boolean grounded, @Nullable NeedleRecall recall, long frames,
    long videoMicros, long patchTokens, int memoryTokens, int keptTokens, double reduction, Map<String, Long> stageNanos,
    List<String> cached, long peakHeapBytes, List<SpanRun> runs, @Nullable String error) {

  public ItemResult {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(outcome, "outcome");
    stageNanos = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stageNanos));
    cached = List.copyOf(cached);
    runs = List.copyOf(runs);
  }

  /** The key a result log is resumed by: one result per item and method. */
  public String key() {
    return key(itemId, method);
  }

  /** The key of item {@code itemId}'s result for {@code method}. */
  public static String key(final String itemId, final Method method) {
    return itemId + "\u0000" + method.id();
  }

  /** The sum of the stage times. */
  public long totalNanos() {
    long t = 0;
    for (final long v : stageNanos.values()) {
      t += v;
    }
    return t;
  }

  /** A failed item: nothing measured but the error. */
  public static ItemResult error(final String itemId, final Method method, final String error) {
    return new ItemResult(itemId, method, Outcome.ERROR, null, -1, Double.NaN, -1, null, null, 0, 0, 0, 0, 0, 0,
        Map.of(), List.of(), 0, List.of(), error);
  }
}
