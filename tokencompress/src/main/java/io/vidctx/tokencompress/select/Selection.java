package io.vidctx.tokencompress.select;

import io.vidctx.tokencompress.TokenBlock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The tokens a {@link TokenSelector} kept for one question, in time order, each with where it came
 * from and how well it matched. Immutable: accessors hand out copies.
 *
 * <p>Invariants: tokens are in time order; {@code memoryIndex[i]} is token i's index in the memory
 * and no index repeats; {@code segment[i]} is the memory segment that holds it; every token lies in
 * the query's time range (its middle, or at least its span when no middle does). Text tokens
 * ({@link #texts()}) are carried beside the visual ones and are not counted in {@link #size()}.
 */
public final class Selection {
  private final TokenBlock tokens;
  private final int[] memoryIndex;
  private final int[] segment;
  private final float[] similarity;
  private final float[] relevance;
  private final List<SegmentScore> segments;
  private final SelectionStats stats;
  private final @Nullable TimeRange range;
  private final long patchTokensIn;
  private final List<TextHit> texts;

  Selection(final TokenBlock tokens, final int[] memoryIndex, final int[] segment, final float[] similarity,
      final float[] relevance, final List<SegmentScore> segments, final SelectionStats stats,
      final @Nullable TimeRange range, final long patchTokensIn, final List<TextHit> texts) {
    this.tokens = tokens;
    this.memoryIndex = memoryIndex;
    this.segment = segment;
    this.similarity = similarity;
    this.relevance = relevance;
    this.segments = List.copyOf(segments);
    this.stats = stats;
    this.range = range;
    this.patchTokensIn = patchTokensIn;
    this.texts = List.copyOf(texts);
  }

  /**
   * The text tokens (on-screen text) the selection carries, by start time: those that matched the
   * query's phrases, then the text on screen during the selected tokens, at most the selector's cap.
   */
  public List<TextHit> texts() {
    return texts;
  }

  /** Number of selected tokens. */
  public int size() {
    return memoryIndex.length;
  }

  /** A copy of the selected tokens, in time order, with their provenance. */
  public TokenBlock tokens() {
    return tokens.copy();
  }

  /** Index of each selected token in the memory's token block. */
  public int[] memoryIndex() {
    return memoryIndex.clone();
  }

  /** Index of each selected token's segment in the memory's segment list. */
  public int[] segment() {
    return segment.clone();
  }

  /** Cosine of each selected token to its closest query vector (NaN for a coverage-only selection). */
  public float[] similarity() {
    return similarity.clone();
  }

  /** Softmax relevance of each selected token (the largest over query vectors; uniform for coverage). */
  public float[] relevance() {
    return relevance.clone();
  }

  /** Per memory segment: span, tokens in memory, in range and selected, and its match. */
  public List<SegmentScore> segments() {
    return segments;
  }

  public SelectionStats stats() {
    return stats;
  }

  /** The time range the selection was restricted to, or null for the whole video. */
  public @Nullable TimeRange range() {
    return range;
  }

  /** Original patch tokens of the frames the memory absorbed: the "tokens in" of reduction ratios. */
  public long patchTokensIn() {
    return patchTokensIn;
  }

  /** 1 - kept / patch tokens in; 0 for an empty memory. */
  public double reduction() {
    return patchTokensIn == 0 ? 0 : 1 - (double) size() / patchTokensIn;
  }

  @Override
  public String toString() {
    return "Selection[" + size() + " of " + stats.memoryTokens() + " tokens, " + stats.mode() + ", ratio "
        + String.format(java.util.Locale.ROOT, "%.3f", stats.ratio()) + ", range " + range + "]";
  }
}
