package io.vidctx.plugins.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a {@link QueryRequest}, as JSON on the answers topic (key: the stream id).
 *
 * <pre>
 * {
 *   "id": "q-42", "streamId": "cam-7",
 *   "status": "ANSWERED" | "PARSE_FAILURE" | "ERROR",
 *   "answer": "at 0:05:12.000",            the answer text (absent on ERROR)
 *   "choice": 1, "letter": "B",            multiple choice only
 *   "confidence": 0.82,
 *   "atSeconds": 312.0,                    temporal grounding only: the time the answer names
 *   "evidence": [{"startSeconds": 311.0, "endSeconds": 313.0, "score": 0.93}],
 *   "error": "...",                        ERROR only: why there is no answer
 *   "framesIn": 3600, "memoryTokens": 3968, "selectedTokens": 1740, "reduction": 0.9862,
 *   "queryKind": "IMAGE", "notes": [...], "answerer": "embedding-choice",
 *   "answeredAtMillis": 1790000000000, "millis": 12.5     wall time of the answer, and time it took
 * }
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryAnswer(String id, String streamId, String status, @Nullable String answer, @Nullable Integer choice,
    @Nullable String letter, @Nullable Double confidence, @Nullable Double atSeconds, List<Evidence> evidence,
    @Nullable String error, long framesIn, int memoryTokens, int selectedTokens, double reduction,
    @Nullable String queryKind, List<String> notes, @Nullable String answerer, long answeredAtMillis, double millis) {

  /** The status of an answer that could not be given (unknown stream, bad image, ...). */
  public static final String ERROR = "ERROR";

  /** One stretch of the video the answer rests on. */
  public record Evidence(double startSeconds, double endSeconds, double score) {}

  public QueryAnswer {
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  /** An answer that could not be given, with the reason. */
  public static QueryAnswer error(final String id, final String streamId, final String error, final long nowMillis) {
    return new QueryAnswer(id, streamId, ERROR, null, null, null, null, null, List.of(), error, 0, 0, 0, 0, null,
        List.of(), null, nowMillis, 0);
  }
}
