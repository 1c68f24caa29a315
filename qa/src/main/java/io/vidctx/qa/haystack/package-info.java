/**
 * Needle-in-a-video-haystack streams (V-NIAH style): real clips played back to back, with real
 * photos inserted as frames before the encoder, so the whole pipeline is tested; and the image
 * alterations that turn a needle photo into an altered query copy.
 */
@NullMarked
package io.vidctx.qa.haystack;

import org.jspecify.annotations.NullMarked;
