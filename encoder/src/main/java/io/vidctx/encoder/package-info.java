/** Frames to visual tokens: the {@link io.vidctx.encoder.VisionEncoder} seam and {@link io.vidctx.encoder.FrameTokens}. */
@NullMarked
package io.vidctx.encoder;

import org.jspecify.annotations.NullMarked;
