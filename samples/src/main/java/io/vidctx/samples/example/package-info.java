/** Example apps: a vidctx stage inside a Kafka Streams topology of one's own. */
@NullMarked
package io.vidctx.samples.example;

import org.jspecify.annotations.NullMarked;
