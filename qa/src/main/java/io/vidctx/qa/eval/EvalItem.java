package io.vidctx.qa.eval;

import io.vidctx.tokencompress.select.TimeRange;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One evaluation question about one video: a line of a manifest.
 *
 * <p>Kinds of item, all in one shape: a multiple-choice question ({@code options} non-empty,
 * {@code answerIndex} the right one, or -1 when the benchmark hides it); an open question with an
 * expected {@code answer} text (scored by normalised exact match); a needle item ({@code needle}
 * set: the needle is inserted into the haystack video as real frames, and the answer's time is
 * scored against the needle's interval). A temporal-grounding question ("when does this appear?")
 * carries a {@code queryImage}.
 *
 * @param id unique within the manifest; not blank
 * @param video the video: a file path (relative paths are resolved against the manifest's folder), a
 *     URL, or a haystack file ({@code *.haystack.json}, see {@code io.vidctx.qa.eval.niah})
 * @param question the question text; not blank
 * @param options multiple-choice options in order (A, B, ...), or empty for an open question
 * @param answerIndex index of the right option, or -1 (open question, or answer not published)
 * @param answer the expected answer text (the right option's text for multiple choice), or null
 * @param queryImage an example picture of what to look for (path, resolved like {@code video}), or null
 * @param range the part of the video the question is about, or null for all of it
 * @param needle ground truth of an inserted needle, or null
 * @param task the benchmark's task or category (MLVU question_type, Video-MME duration class, NIAH
 *     needle kind ...), used to group accuracy in reports; null when there is none
 * @param meta further fields kept from the source (benchmark name, duration group, ...), shown in
 *     reports and written back unchanged; never used for scoring
 */
public record EvalItem(String id, String video, String question, List<String> options, int answerIndex,
    @Nullable String answer, @Nullable String queryImage, @Nullable TimeRange range, @Nullable NeedleTruth needle,
    @Nullable String task, Map<String, String> meta) {

  public EvalItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(video, "video");
    Objects.requireNonNull(question, "question");
    if (id.isBlank()) {
      throw new IllegalArgumentException("item id must not be blank");
    }
    if (video.isBlank()) {
      throw new IllegalArgumentException("item " + id + ": video must not be blank");
    }
    if (question.isBlank()) {
      throw new IllegalArgumentException("item " + id + ": question must not be blank");
    }
    options = List.copyOf(options);
    meta = Map.copyOf(meta);
    if (options.size() == 1) {
      throw new IllegalArgumentException("item " + id + ": a multiple-choice question needs at least 2 options, got 1");
    }
    if (answerIndex < -1 || answerIndex >= Math.max(1, options.size()) || (options.isEmpty() && answerIndex != -1)) {
      throw new IllegalArgumentException("item " + id + ": answerIndex " + answerIndex + " is not an option index (0.."
          + (options.size() - 1) + ") or -1");
    }
  }

  /** A multiple-choice item. */
  public static EvalItem choice(final String id, final String video, final String question, final List<String> options,
      final int answerIndex) {
    return new EvalItem(id, video, question, options, answerIndex, answerIndex >= 0 ? options.get(answerIndex) : null,
        null, null, null, null, Map.of());
  }

  public boolean isMultipleChoice() {
    return !options.isEmpty();
  }

  /** Whether the item can be scored: a known right option, an expected text, or a needle to ground. */
  public boolean isScorable() {
    return answerIndex >= 0 || answer != null || needle != null;
  }

  public EvalItem withTask(final @Nullable String t) {
    return new EvalItem(id, video, question, options, answerIndex, answer, queryImage, range, needle, t, meta);
  }

  public EvalItem withMeta(final Map<String, String> m) {
    return new EvalItem(id, video, question, options, answerIndex, answer, queryImage, range, needle, task, m);
  }

  public EvalItem withNeedle(final @Nullable NeedleTruth n) {
    return new EvalItem(id, video, question, options, answerIndex, answer, queryImage, range, n, task, meta);
  }

  public EvalItem withQueryImage(final @Nullable String image) {
    return new EvalItem(id, video, question, options, answerIndex, answer, image, range, needle, task, meta);
  }

  public EvalItem withRange(final @Nullable TimeRange r) {
    return new EvalItem(id, video, question, options, answerIndex, answer, queryImage, r, needle, task, meta);
  }
}
