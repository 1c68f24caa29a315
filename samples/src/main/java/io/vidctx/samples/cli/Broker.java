package io.vidctx.samples.cli;

import io.vidctx.ingest.kafka.broker.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka a command talks to: the servers the user gave, or an embedded broker that lives as long
 * as this object (its data folder is deleted on close when the command made it up).
 *
 * @param bootstrapServers {@code bootstrap.servers}
 * @param embedded the in-process broker, when no servers were given
 * @param tempDir a data folder to delete on close
 */
public record Broker(String bootstrapServers, @Nullable EmbeddedKafka embedded, @Nullable Path tempDir)
    implements AutoCloseable {

  /**
   * The given servers, or a freshly started embedded broker (data in {@code dataDir}, kept; else a
   * temporary folder deleted on close).
   */
  public static Broker connect(final @Nullable String servers, final @Nullable Path dataDir) {
    return connect(servers, dataDir, false);
  }

  /**
   * As {@link #connect(String, Path)}; with {@code deleteDataDir} the given data folder is deleted on
   * close too.
   */
  public static Broker connect(final @Nullable String servers, final @Nullable Path dataDir, final boolean deleteDataDir) {
    if (servers != null && !servers.isBlank()) {
      return new Broker(servers, null, null);
    }
    final Path temp;
    final Path dir;
    try {
      if (dataDir != null) {
        dir = Files.createDirectories(dataDir);
        temp = deleteDataDir ? dir : null;
      } else {
        temp = Files.createTempDirectory("vidctx-kafka-");
        dir = temp;
      }
    } catch (final IOException e) {
      throw new CliException(ExitCode.INVALID_INPUT, "cannot create the broker's data folder: " + e, e);
    }
    try {
      final EmbeddedKafka kafka = EmbeddedKafka.start(dir);
      return new Broker(kafka.bootstrapServers(), kafka, temp);
    } catch (final RuntimeException e) {
      if (temp != null) {
        deleteTree(temp);
      }
      throw e;
    }
  }

  /**
   * Creates {@code topic} (one partition) on the embedded broker before the first send, so producers
   * do not start with an unknown-topic round trip; does nothing for external servers, where topics
   * are the cluster's business.
   */
  public void ensureTopic(final String topic) {
    if (embedded == null) {
      return;
    }
    try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get();
    } catch (final ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrapServers + ": "
            + e.getCause().getMessage(), e.getCause());
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    }
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
    if (tempDir != null) {
      deleteTree(tempDir);
    }
  }

  /** Deletes a folder and everything in it; missing is fine. */
  public static void deleteTree(final Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (final IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
