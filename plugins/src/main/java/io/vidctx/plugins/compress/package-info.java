/** The compress stage: tokens to a per-stream bounded video memory in a changelogged state store. */
@NullMarked
package io.vidctx.plugins.compress;

import org.jspecify.annotations.NullMarked;
