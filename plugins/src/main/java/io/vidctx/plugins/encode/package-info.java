/** The encode stage: frame records (ingest wire format) to visual tokens, inside a Streams thread. */
@NullMarked
package io.vidctx.plugins.encode;

import org.jspecify.annotations.NullMarked;
