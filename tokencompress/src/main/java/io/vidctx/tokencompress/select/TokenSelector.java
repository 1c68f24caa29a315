package io.vidctx.tokencompress.select;

import io.vidctx.tokencompress.VideoMemory;

/**
 * Picks the tokens of a video memory that matter for one question (DESIGN.md "Query-aware
 * selection"). Query-dependent, so it runs at question time on a snapshot; the memory is not changed.
 * Implementations are thread-safe: one selector may serve concurrent questions.
 */
public interface TokenSelector {

  /**
   * Selects tokens of {@code memory} for {@code query}, in time order.
   *
   * @throws IllegalArgumentException when the query's dim differs from the memory's, or its time
   *     range lies outside the video; the message names both
   */
  Selection select(VideoMemory memory, SelectionQuery query);

  /**
   * Selects tokens of a prepared index (a memory's, or any time-ordered token block cut into segments,
   * such as every patch of every frame for an uncompressed comparison).
   *
   * @throws IllegalArgumentException as {@link #select(VideoMemory, SelectionQuery)}
   */
  Selection select(SelectionIndex index, SelectionQuery query);
}
