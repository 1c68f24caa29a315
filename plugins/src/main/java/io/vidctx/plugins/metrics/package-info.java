/** Stage metrics in Kafka Streams' metrics registry, and the periodic log line of a running topology. */
@NullMarked
package io.vidctx.plugins.metrics;

import org.jspecify.annotations.NullMarked;
