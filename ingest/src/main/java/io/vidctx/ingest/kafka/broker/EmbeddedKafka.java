package io.vidctx.ingest.kafka.broker;

import io.vidctx.ingest.IngestException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process single-node KRaft Kafka broker (broker + controller roles) bound to loopback, for
 * the {@code vidctx} command when no {@code --bootstrap-servers} is given and for integration tests.
 *
 * <p>Invariants: every listener binds 127.0.0.1 only; the broker is fully started (it answers a
 * cluster description) when {@link #start} returns; a temporary data folder (when none is given) is
 * gone after {@link #close}. Topics are auto-created with {@value #DEFAULT_PARTITIONS} partition and
 * accept records up to {@value #MAX_MESSAGE_BYTES} bytes, so frames well above the 1 MB default of a
 * stock broker fit.
 *
 * <p>Lifetime: close every client (producers, consumers, Streams apps) before the broker, or their
 * close waits on a broker that is gone. A fatal broker error calls Kafka's {@code Exit.halt}, which
 * ends the JVM; this class leaves that process-wide hook alone (tests replace it with {@code
 * Exit.setHaltProcedure} around their broker).
 */
public final class EmbeddedKafka implements AutoCloseable {
  /** Largest record the broker accepts; frames above the stock 1 MB default fit. */
  public static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

  /** Partitions of an auto-created topic. */
  public static final int DEFAULT_PARTITIONS = 1;

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final int PORT_ATTEMPTS = 3;
  // Settings that make this a loopback single node; overrides may not change them.
  private static final List<String> RESERVED = List.of(
      "process.roles", "node.id", "controller.quorum.voters", "controller.quorum.bootstrap.servers", "listeners",
      "advertised.listeners", "listener.security.protocol.map", "controller.listener.names",
      "inter.broker.listener.name", "log.dirs", "log.dir", "metadata.log.dir");

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDir;
  private final boolean deleteOnClose;
  private final long startNanos;
  private final long readyNanos = System.nanoTime();
  private boolean closed;

  private EmbeddedKafka(
      final KafkaRaftServer server,
      final String bootstrapServers,
      final Path dataDir,
      final boolean deleteOnClose,
      final long startNanos) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    this.startNanos = startNanos;
  }

  /**
   * Formats storage in {@code dataDir} (created if missing; a temporary folder when null) and starts
   * the broker on a free loopback port. Blocks until the broker accepts clients. A folder that an
   * earlier broker formatted is reused with its topics and offsets; a temporary folder is deleted on
   * {@link #close}, a given one is kept.
   */
  public static EmbeddedKafka start(final @Nullable Path dataDir) {
    return start(dataDir, Map.of());
  }

  /**
   * Like {@link #start(Path)}, with broker settings applied over ours (for example {@code
   * num.partitions}, {@code message.max.bytes}, {@code log.retention.ms}). Listener, node and quorum
   * settings are ours to choose: overriding them is refused.
   *
   * @throws IngestException when the folder cannot be prepared or the broker does not come up
   *     within 60 s (the message says which)
   */
  public static EmbeddedKafka start(final @Nullable Path dataDir, final Map<String, String> overrides) {
    for (final String key : overrides.keySet()) {
      if (RESERVED.contains(key)) {
        throw new IllegalArgumentException(
            "EmbeddedKafka chooses '" + key + "' itself (loopback listeners, single node); remove that override");
      }
    }
    final long t0 = System.nanoTime();
    final boolean temporary = dataDir == null;
    final Path dir;
    try {
      dir = temporary ? Files.createTempDirectory("vidctx-kafka-") : Files.createDirectories(dataDir);
    } catch (final IOException e) {
      throw new IngestException("cannot prepare the embedded Kafka data folder " + dataDir + ": " + e.getMessage(), e);
    }
    final Path logs = dir.resolve("logs");
    // A folder formatted by an earlier run keeps its cluster id and topics: the broker restarts on
    // them (new ports are fine, the static quorum knows its voter by id).
    if (!isFormatted(logs)) {
      try {
        format(logs);
      } catch (final RuntimeException e) {
        if (temporary) {
          deleteQuietly(dir);
        }
        throw e;
      }
    }
    RuntimeException last = null;
    // Free ports are picked by binding port 0 and releasing it; another process may take one in
    // between, so a bind failure gets a fresh pair of ports.
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      try {
        return startOnce(dir, logs, temporary, overrides, t0);
      } catch (final PortTakenException e) {
        last = e;
        LOG.info("embedded Kafka: port taken, retrying with new ports ({})", e.getMessage());
      } catch (final RuntimeException e) {
        if (temporary) {
          deleteQuietly(dir);
        }
        throw e;
      }
    }
    if (temporary) {
      deleteQuietly(dir);
    }
    throw new IngestException("embedded Kafka could not bind loopback ports after " + PORT_ATTEMPTS + " attempts", last);
  }

  private static EmbeddedKafka startOnce(
      final Path dir, final Path logs, final boolean temporary, final Map<String, String> overrides, final long t0) {
    final int port = freePort();
    final int controllerPort = freePort();
    final Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
    props.put("listeners", "PLAINTEXT://" + LOOPBACK + ":" + port + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + port);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", logs.toAbsolutePath().toString());
    // One node: every internal topic has one replica, and few partitions keep start-up quick.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("min.insync.replicas", "1");
    props.put("default.replication.factor", "1");
    // A single local consumer should not wait 3 s for companions before its first assignment.
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", Integer.toString(DEFAULT_PARTITIONS));
    props.put("auto.create.topics.enable", "true");
    props.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    props.put("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    // The cleaner's dedupe buffer is 128 MB of heap by default; compacted topics here are tiny.
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    props.put("log.cleaner.threads", "1");
    // Few threads: the broker shares the machine (and often the JVM) with decoding and encoding.
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "4");
    props.put("background.threads", "2");
    props.put("num.recovery.threads.per.data.dir", "1");
    props.put("num.replica.fetchers", "1");
    props.putAll(overrides);

    final KafkaConfig config;
    try {
      config = KafkaConfig.fromProps(toProperties(props), false);
    } catch (final RuntimeException e) {
      throw new IngestException("embedded Kafka rejected its configuration: " + e.getMessage(), e);
    }
    final KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
    } catch (final RuntimeException e) {
      stopQuietly(server);
      if (isBindFailure(e)) {
        throw new PortTakenException(e);
      }
      throw new IngestException("embedded Kafka failed to start in " + dir + ": " + e.getMessage(), e);
    }
    final String bootstrap = LOOPBACK + ":" + port;
    try {
      awaitReady(bootstrap);
    } catch (final RuntimeException e) {
      stopQuietly(server);
      throw e;
    }
    final EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, dir, temporary, t0);
    LOG.info("embedded Kafka up at {} in {} ms (data in {})", bootstrap, kafka.startupMillis(), dir);
    return kafka;
  }

  /** "127.0.0.1:PORT", for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The folder holding the broker's logs and metadata. */
  public Path dataDir() {
    return dataDir;
  }

  /** Milliseconds from the call to {@link #start} until the broker answered a client. */
  public long startupMillis() {
    return TimeUnit.NANOSECONDS.toMillis(readyNanos - startNanos);
  }

  /**
   * Shuts the broker down cleanly and, for a temporary folder, deletes it; idempotent, never
   * throws. Close clients first.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopQuietly(server);
    if (deleteOnClose) {
      deleteQuietly(dataDir);
    }
  }

  private static void format(final Path logs) {
    try {
      Files.createDirectories(logs);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logs.toAbsolutePath().toString()))
          .setMetadataLogDirectory(logs.toAbsolutePath().toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setControllerListenerName("CONTROLLER")
          .setIgnoreFormatted(false)
          .run();
    } catch (final Exception e) {
      throw new IngestException("cannot format embedded Kafka storage in " + logs + ": " + e.getMessage(), e);
    }
  }

  private static void awaitReady(final String bootstrap) {
    final Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "vidctx-embedded-kafka-probe");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(p)) {
      Exception last = null;
      while (System.nanoTime() < deadline) {
        try {
          final int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000))
              .nodes().get(10, TimeUnit.SECONDS).size();
          if (brokers > 0) {
            return;
          }
        } catch (final InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IngestException("interrupted while waiting for embedded Kafka at " + bootstrap, e);
        } catch (final Exception e) {
          last = e;
        }
        sleep(50);
      }
      throw new IngestException(
          "embedded Kafka at " + bootstrap + " did not answer within " + READY_TIMEOUT.toSeconds()
              + " s; the machine may be overloaded (last error: " + (last == null ? "none" : last.getMessage()) + ")",
          last);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port", e);
    }
  }

  private static boolean isBindFailure(final Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isFormatted(final Path logs) {
    return Files.exists(logs.resolve("meta.properties"));
  }

  private static Properties toProperties(final Map<String, String> map) {
    final Properties p = new Properties();
    p.putAll(map);
    return p;
  }

  private static void stopQuietly(final KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (final RuntimeException e) {
      LOG.warn("embedded Kafka did not shut down cleanly: {}", e.toString());
    }
  }

  private static void sleep(final long millis) {
    try {
      Thread.sleep(millis);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("interrupted while waiting for embedded Kafka", e);
    }
  }

  private static void deleteQuietly(final Path dir) {
    try {
      deleteTree(dir);
    } catch (final IOException e) {
      LOG.warn("could not delete embedded Kafka folder {}: {}", dir, e.toString());
    }
  }

  private static void deleteTree(final Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(final Path d, final @Nullable IOException exc) throws IOException {
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** A listener could not bind its port; another process took it after we picked it. */
  private static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException(final Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }
}
