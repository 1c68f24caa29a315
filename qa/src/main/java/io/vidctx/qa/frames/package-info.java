/** The pictures behind keyframes, fetched from their video for image-based models. */
@NullMarked
package io.vidctx.qa.frames;

import org.jspecify.annotations.NullMarked;
