/** Frames through Kafka: the wire format, a publisher (video → topic) and a source (topic → frames). */
@NullMarked
package io.vidctx.ingest.kafka;

import org.jspecify.annotations.NullMarked;
