/** The in-process KRaft broker used when no Kafka cluster is given. */
@NullMarked
package io.vidctx.ingest.kafka.broker;

import org.jspecify.annotations.NullMarked;
