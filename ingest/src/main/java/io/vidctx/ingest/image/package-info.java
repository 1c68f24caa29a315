/** Native (OpenCV) image codecs for frames on the wire and on disk. */
@NullMarked
package io.vidctx.ingest.image;

import org.jspecify.annotations.NullMarked;
