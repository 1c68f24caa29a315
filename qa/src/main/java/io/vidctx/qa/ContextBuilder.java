package io.vidctx.qa;

import io.vidctx.qa.query.EncodedQuery;
import io.vidctx.qa.query.QueryEncoder;
import io.vidctx.qa.query.QueryPhrases;
import io.vidctx.tokencompress.StageStats;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.select.Selection;
import io.vidctx.tokencompress.select.SelectionIndex;
import io.vidctx.tokencompress.select.SelectionQuery;
import io.vidctx.tokencompress.select.TokenSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link VideoContext} of one question: selects tokens of a memory for the encoded query
 * within a token budget, adds a "select" stage to the memory's statistics and picks keyframes. The
 * question's options, quoted strings and content words go with the query as phrases, matched against
 * the memory's on-screen text when it has any. The memory is not changed; one builder serves many
 * questions.
 */
public final class ContextBuilder {
  /** Keyframes per context unless told otherwise: what a VLM is typically shown. */
  public static final int DEFAULT_KEYFRAMES = 8;

  private final TokenSelector selector;
  private final KeyframePicker keyframes;

  public ContextBuilder(final TokenSelector selector, final int keyframes) {
    this.selector = selector;
    this.keyframes = new KeyframePicker(keyframes);
  }

  /**
   * The context for {@code question} over {@code memory}.
   *
   * @param model the encoder model the memory's tokens come from (reported, not checked here)
   * @param tokenBudget the most tokens the context may hold (the target model's context minus the
   *     prompt), {@code >= 1}
   * @throws IllegalArgumentException for a budget below 1, a time range outside the video or query
   *     vectors of another width than the memory's
   */
  public VideoContext build(final VideoMemory memory, final String model, final Question question,
      final EncodedQuery query, final int tokenBudget) {
    if (tokenBudget < 1) {
      throw new IllegalArgumentException("token budget must be >= 1, was " + tokenBudget);
    }
    final Selection selection = selector.select(memory, selectionQuery(question, query, tokenBudget));
    long start = 0;
    long end = 0;
    if (memory.tokenCount() > 0) {
      start = memory.segments().get(0).startPts();
      end = memory.segments().get(memory.segments().size() - 1).endPts();
    }
    return context(memory.streamId(), model, question, query, selection, memory.stats(), memory.framesIn(),
        memory.tokenCount(), memory.patchTokensIn(), start, end);
  }

  /**
   * The context for {@code question} over any token index (for instance every patch token of every
   * frame, or of a few sampled frames: the evaluation's baselines), so that baselines go through the
   * same selection, keyframe and answer code as the memory.
   *
   * @param streamId the video's stream id
   * @param stats per-stage statistics of what made the index (no "total" row; one is added)
   * @param framesIn frames the index was made from
   * @throws IllegalArgumentException as {@link #build(VideoMemory, String, Question, EncodedQuery, int)}
   */
  public VideoContext build(final SelectionIndex index, final String streamId, final List<StageStats> stats,
      final long framesIn, final String model, final Question question, final EncodedQuery query,
      final int tokenBudget) {
    if (tokenBudget < 1) {
      throw new IllegalArgumentException("token budget must be >= 1, was " + tokenBudget);
    }
    final Selection selection = selector.select(index, selectionQuery(question, query, tokenBudget));
    return context(streamId, model, question, query, selection, stats, framesIn, index.size(), index.patchTokensIn(),
        index.startPts(), index.endPts());
  }

  private static SelectionQuery selectionQuery(final Question question, final EncodedQuery query,
      final int tokenBudget) {
    return query.toSelection(question.range(), tokenBudget).withPhrases(QueryPhrases.of(question));
  }

  /**
   * The query's notes, except that a text question matched against on-screen text is not told that
   * its text was not matched (it was, by OCR, if not by a text tower).
   */
  private static List<String> notes(final EncodedQuery query, final Selection selection) {
    if (selection.stats().textMatched() == 0) {
      return query.notes();
    }
    final List<String> notes = new ArrayList<>();
    for (final String n : query.notes()) {
      if (!n.startsWith(QueryEncoder.NO_TEXT_TOWER) || query.kind() == QueryKind.IMAGE) {
        notes.add(n);
      }
    }
    notes.add("the question matched " + selection.stats().textMatched() + " on-screen text token(s) read by OCR"
        + (query.kind() == QueryKind.COVERAGE ? "; the selection follows them" : ""));
    return notes;
  }

  private VideoContext context(final String streamId, final String model, final Question question,
      final EncodedQuery query, final Selection selection, final List<StageStats> sourceStats, final long framesIn,
      final int sourceTokens, final long patchTokensIn, final long start, final long end) {
    final List<StageStats> stats = new ArrayList<>();
    for (final StageStats s : sourceStats) {
      if (!s.stage().equals("total")) {
        stats.add(s);
      }
    }
    stats.add(new StageStats("select", framesIn, framesIn, sourceTokens, selection.size(),
        selection.stats().nanos()));
    final long compressNanos = sourceStats.stream().filter(s -> s.stage().equals("total"))
        .mapToLong(StageStats::nanos).sum();
    stats.add(new StageStats("total", framesIn, framesIn, patchTokensIn, selection.size(),
        compressNanos + selection.stats().nanos()));
    return new VideoContext(streamId, model, question, query.kind(), notes(query, selection), selection, stats,
        start, end, keyframes.pick(selection, start, end), query.vectors());
  }
}
