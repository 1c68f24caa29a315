/** vidctx stages as Kafka Streams processors and a ready-made topology. */
@NullMarked
package io.vidctx.plugins;

import org.jspecify.annotations.NullMarked;
