/** Hierarchical, bounded, provenance-keeping visual-token compression and query-aware selection (pure Java; no ONNX Runtime, JavaCV or Kafka). */
@NullMarked
package io.vidctx.tokencompress;

import org.jspecify.annotations.NullMarked;
