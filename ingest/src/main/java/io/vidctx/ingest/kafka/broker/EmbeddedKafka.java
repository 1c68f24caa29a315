package io.vidctx.ingest.kafka.broker;

import java.nio.file.Path;

/**
 * An in-process single-node KRaft Kafka broker (broker + controller roles) bound to loopback, for
 * the {@code vidctx} command when no {@code --bootstrap-servers} is given and for integration tests.
 * SKELETON: the ingest-kafka work fills this in.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private EmbeddedKafka() {}

  /**
   * Formats storage in {@code dataDir} (created if missing; a temporary folder when null) and starts
   * the broker on a free loopback port. Blocks until the broker accepts clients.
   */
  public static EmbeddedKafka start(final Path dataDir) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** "127.0.0.1:PORT", for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Shuts the broker down cleanly; idempotent. Close clients first. */
  @Override
  public void close() {}
}
