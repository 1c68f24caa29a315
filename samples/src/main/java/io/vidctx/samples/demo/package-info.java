/** The deterministic demo video (scenes with known cut times) and the in-memory frame source the demo uses. */
@NullMarked
package io.vidctx.samples.demo;

import org.jspecify.annotations.NullMarked;
