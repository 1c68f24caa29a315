package io.vidctx.plugins.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A question about one stream, as JSON on the queries topic; the record key is the stream id.
 *
 * <pre>
 * {
 *   "id": "q-42",                       required: echoed in the answer, so callers can match them
 *   "question": "When does this picture appear?",   required
 *   "choices": ["a cat", "a dog"],      optional: multiple choice (2 or more)
 *   "image": "&lt;base64 JPEG or PNG&gt;",    optional: an example image to find (query by image)
 *   "imageUri": "file:///data/q.png",   optional: the same by reference, for big pictures
 *   "fromSeconds": 60, "toSeconds": 120, optional: only look at this stretch of the stream
 *   "lastSeconds": 600,                 optional: only the last N seconds (not with from/to)
 *   "budget": 4096                      optional: most tokens in the context (default from the config)
 * }
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryRequest(String id, String question, @Nullable List<String> choices, @Nullable String image,
    @Nullable String imageUri, @Nullable Double fromSeconds, @Nullable Double toSeconds, @Nullable Double lastSeconds,
    @Nullable Integer budget) {

  public QueryRequest {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a query needs an \"id\" (echoed in the answer)");
    }
    if (question == null || question.isBlank()) {
      throw new IllegalArgumentException("query " + id + " has no \"question\"");
    }
    if (image != null && imageUri != null) {
      throw new IllegalArgumentException("query " + id + " gives both \"image\" and \"imageUri\": give one");
    }
    if ((fromSeconds == null) != (toSeconds == null)) {
      throw new IllegalArgumentException("query " + id + ": \"fromSeconds\" and \"toSeconds\" go together");
    }
    if (lastSeconds != null && fromSeconds != null) {
      throw new IllegalArgumentException("query " + id + ": \"lastSeconds\" excludes \"fromSeconds\"/\"toSeconds\"");
    }
    if (lastSeconds != null && !(lastSeconds > 0)) {
      throw new IllegalArgumentException("query " + id + ": \"lastSeconds\" must be > 0, was " + lastSeconds);
    }
    if (budget != null && budget < 1) {
      throw new IllegalArgumentException("query " + id + ": \"budget\" must be >= 1 token, was " + budget);
    }
    choices = choices == null ? null : List.copyOf(choices);
  }

  /** An open question. */
  public static QueryRequest of(final String id, final String question) {
    return new QueryRequest(id, question, null, null, null, null, null, null, null);
  }

  public QueryRequest withImage(final @Nullable String base64) {
    return new QueryRequest(id, question, choices, base64, imageUri, fromSeconds, toSeconds, lastSeconds, budget);
  }

  public QueryRequest withImageUri(final @Nullable String uri) {
    return new QueryRequest(id, question, choices, image, uri, fromSeconds, toSeconds, lastSeconds, budget);
  }

  public QueryRequest withChoices(final @Nullable List<String> c) {
    return new QueryRequest(id, question, c, image, imageUri, fromSeconds, toSeconds, lastSeconds, budget);
  }

  public QueryRequest withBetween(final double from, final double to) {
    return new QueryRequest(id, question, choices, image, imageUri, from, to, null, budget);
  }

  public QueryRequest withLast(final double seconds) {
    return new QueryRequest(id, question, choices, image, imageUri, null, null, seconds, budget);
  }

  public QueryRequest withBudget(final @Nullable Integer tokens) {
    return new QueryRequest(id, question, choices, image, imageUri, fromSeconds, toSeconds, lastSeconds, tokens);
  }
}
