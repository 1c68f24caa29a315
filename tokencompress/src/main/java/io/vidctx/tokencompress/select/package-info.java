/**
 * Query-aware token selection (DESIGN.md "Query-aware selection"): {@link
 * io.vidctx.tokencompress.select.TokenSelector} picks, for one question, the tokens of a video memory
 * that matter, keeping the whole timeline represented and an optional time range honoured.
 */
@NullMarked
package io.vidctx.tokencompress.select;

import org.jspecify.annotations.NullMarked;
