/** Serdes: frame tokens and video memory in a compact versioned binary form (float16), queries and answers as JSON. */
@NullMarked
package io.vidctx.plugins.serde;

import org.jspecify.annotations.NullMarked;
