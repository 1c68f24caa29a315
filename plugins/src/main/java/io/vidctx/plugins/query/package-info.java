/** The query stage: a queries topic to an answers topic, reading the memory store (co-partitioned by stream id). */
@NullMarked
package io.vidctx.plugins.query;

import org.jspecify.annotations.NullMarked;
