/** The encoder worker: encoding outside the Streams threads, with its own consumer, for heavy models. */
@NullMarked
package io.vidctx.plugins.worker;

import org.jspecify.annotations.NullMarked;
