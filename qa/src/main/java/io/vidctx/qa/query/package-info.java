/** Questions turned into query vectors: text through a CLIP text tower, example images through the vision encoder. */
@NullMarked
package io.vidctx.qa.query;

import org.jspecify.annotations.NullMarked;
