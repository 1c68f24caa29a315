package io.vidctx.tokencompress.select;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to select for: query vectors in the memory's embedding space (a CLIP text embedding, an
 * example image's embedding or its merged patch tokens; several are combined by taking the maximum
 * relevance over them), an optional time range, and the most tokens the caller can take (the target
 * model's context minus the prompt).
 *
 * <p>Phrases are the lexical side of the query (the options of a multiple-choice question, quoted
 * strings, the question's content words): matched against the memory's text tokens (on-screen text),
 * they point the selection at the moments the text was on screen, fused with the vectors' relevance.
 *
 * <p>No vectors and no phrase that matches any text means a coverage-only selection: the selector
 * has nothing to compare with and spreads the budget over the timeline (used when a question is text
 * but the encoder has no text tower and no on-screen text matches).
 *
 * @param vectors query vectors, each of the memory's dim; copied, and zero-length vectors are refused
 * @param range only tokens of this time range may be selected, or null for the whole video
 * @param tokenBudget the most tokens the selection may hold, {@code >= 1}
 * @param phrases phrases to match against on-screen text (blank ones are dropped)
 */
public record SelectionQuery(float[][] vectors, @Nullable TimeRange range, int tokenBudget, List<String> phrases) {

  /** A query without phrases. */
  public SelectionQuery(final float[][] vectors, final @Nullable TimeRange range, final int tokenBudget) {
    this(vectors, range, tokenBudget, List.of());
  }

  public SelectionQuery {
    phrases = phrases.stream().filter(p -> !p.isBlank()).toList();
    if (tokenBudget < 1) {
      throw new IllegalArgumentException("token budget must be >= 1, was " + tokenBudget);
    }
    vectors = vectors.clone();
    for (int l = 0; l < vectors.length; l++) {
      final float[] v = vectors[l];
      if (v == null || v.length == 0) {
        throw new IllegalArgumentException("query vector " + l + " is empty");
      }
      double norm = 0;
      for (final float x : v) {
        if (!Float.isFinite(x)) {
          throw new IllegalArgumentException("query vector " + l + " holds a non-finite value " + x);
        }
        norm += (double) x * x;
      }
      if (norm == 0) {
        throw new IllegalArgumentException("query vector " + l + " is all zeros: it matches nothing");
      }
      vectors[l] = v.clone();
    }
  }

  /** A coverage-only query: no vectors. */
  public static SelectionQuery coverage(final @Nullable TimeRange range, final int tokenBudget) {
    return new SelectionQuery(new float[0][], range, tokenBudget);
  }

  /** This query with phrases to match against on-screen text. */
  public SelectionQuery withPhrases(final List<String> p) {
    return new SelectionQuery(vectors, range, tokenBudget, p);
  }

  /** No vectors and no phrases: nothing to compare the video with. */
  public boolean coverageOnly() {
    return vectors.length == 0 && phrases.isEmpty();
  }

  public boolean hasVectors() {
    return vectors.length > 0;
  }

  @Override
  public float[][] vectors() {
    final float[][] out = new float[vectors.length][];
    for (int l = 0; l < out.length; l++) {
      out[l] = vectors[l].clone();
    }
    return out;
  }

  /** Number of query vectors, without copying them. */
  public int vectorCount() {
    return vectors.length;
  }

  float[] vectorUnsafe(final int l) {
    return vectors[l];
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof SelectionQuery q && Arrays.deepEquals(vectors, q.vectors)
        && Objects.equals(range, q.range) && tokenBudget == q.tokenBudget && phrases.equals(q.phrases);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * Arrays.deepHashCode(vectors) + Objects.hashCode(range)) + tokenBudget) + phrases.hashCode();
  }

  @Override
  public String toString() {
    return "SelectionQuery[" + vectors.length + " vectors, " + phrases.size() + " phrases, range " + range
        + ", budget " + tokenBudget + "]";
  }
}
