package io.vidctx.qa.query;

import io.vidctx.qa.QueryKind;
import io.vidctx.tokencompress.select.SelectionQuery;
import io.vidctx.tokencompress.select.TimeRange;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A question turned into query vectors in the video's embedding space.
 *
 * @param vectors query vectors (text embedding and/or the example image's tokens); empty for coverage
 * @param kind what the vectors came from
 * @param notes what the user should know (a fallback taken), in plain words
 */
public record EncodedQuery(float[][] vectors, QueryKind kind, List<String> notes) {

  public EncodedQuery {
    vectors = vectors.clone();
    notes = List.copyOf(notes);
  }

  /** The selection query for these vectors. */
  public SelectionQuery toSelection(final @Nullable TimeRange range, final int tokenBudget) {
    return vectors.length == 0 ? SelectionQuery.coverage(range, tokenBudget)
        : new SelectionQuery(vectors, range, tokenBudget);
  }
}
