/** Persisted forms: compressed memory files, and the VideoContext export (JSON + float32 .npy + keyframes). */
@NullMarked
package io.vidctx.qa.export;

import org.jspecify.annotations.NullMarked;
