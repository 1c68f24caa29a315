package io.vidctx.samples.cli;

import io.vidctx.encoder.Device;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.TextEncoder;
import io.vidctx.encoder.models.ModelCache;
import io.vidctx.encoder.onnx.OnnxTextEncoder;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.kafka.Topics;
import io.vidctx.plugins.VidctxConfig;
import io.vidctx.plugins.VidctxStreams;
import io.vidctx.plugins.VidctxTopology;
import io.vidctx.plugins.compress.CompressStage;
import io.vidctx.plugins.compress.MemoryUpdate;
import io.vidctx.plugins.encode.EncodeStage;
import io.vidctx.plugins.metrics.StageMetrics;
import io.vidctx.plugins.query.QueryStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vidctx stream}: runs the ready-made Kafka Streams topology until stopped. */
@Command(
    name = "stream",
    header = "Run the vidctx Kafka Streams app: frames -> encode -> compress -> memory; queries -> answers.",
    description = {
      "Runs the ready-made topology of the plugins module: frame records on vidctx.frames (written by 'vidctx"
          + " publish') are encoded with --model and compressed into a bounded memory per stream id (a"
          + " changelogged state store; memory updates go to vidctx.memory-updates); questions on vidctx.queries"
          + " ('vidctx query') are answered from that memory on vidctx.answers. Refused records go to vidctx.dlq."
          + " Processing is exactly-once.",
      "",
      "The topics are created with --partitions partitions when missing (the frames and queries topics must"
          + " have as many partitions). Without --bootstrap-servers an embedded Kafka broker is started and its"
          + " address printed, for 'vidctx publish -b' and 'vidctx query -b' in other terminals.",
      "",
      "Every --metrics-every it logs, per stage, records/s and totals, the consumer lag and the memory tokens"
          + " per stream. It runs until Ctrl-C / SIGTERM, or for --run-for."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class StreamCommand implements Callable<Integer> {
  /** The metric group of the stages' sensors ({@link StageMetrics}). */
  static final String STAGE_GROUP = "stream-" + StageMetrics.SCOPE + "-metrics";
  /** The tag naming a stage's sensor: stage name + "-" + task id. */
  static final String STAGE_TAG = StageMetrics.SCOPE + "-id";
  private static final List<String> STAGES = List.of(EncodeStage.NAME, CompressStage.NAME, QueryStage.NAME);
  private static final int MEMORIES_SHOWN = 10;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "<host:port,...>",
      description = "Kafka bootstrap servers (default: an embedded broker, whose address is printed).")
  @Nullable String bootstrapServers;

  @Option(names = "--data-dir", paramLabel = "<dir>",
      description = "Data folder of the embedded broker, kept (default: a temporary folder, deleted at the end).")
  @Nullable Path dataDir;

  @Option(names = "--application-id", paramLabel = "<id>", defaultValue = "vidctx",
      description = "Kafka Streams application.id: the consumer group, and the prefix of the internal topics.")
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "<dir>",
      description = "Kafka Streams state folder (default: next to the embedded broker's data, else"
          + " $XDG_CACHE_HOME/vidctx/streams or ~/.cache/vidctx/streams).")
  @Nullable Path stateDir;

  @Option(names = "--partitions", paramLabel = "<n>", defaultValue = "1",
      description = "Partitions of the topics created now (frames, queries, answers, memory updates, dead letters).")
  int partitions;

  @Option(names = "--threads", paramLabel = "<n>", defaultValue = "1",
      description = "Kafka Streams threads (num.stream.threads); each runs tasks of whole partitions.")
  int threads;

  @Option(names = "--device", paramLabel = "<device>", defaultValue = "cpu",
      description = "cpu, cuda or cuda:N; a trailing ! forbids falling back to the CPU.")
  String device;

  @Option(names = "--inference-threads", paramLabel = "<n>", defaultValue = "0",
      description = "Threads one inference may use; 0 lets ONNX Runtime choose.")
  int inferenceThreads;

  @Option(names = "--run-for", paramLabel = "<duration>", converter = TimeRangeConverter.Duration.class,
      description = "Stop after this long, e.g. 90s, 10m, 1h (default: until Ctrl-C or SIGTERM).")
  @Nullable Long runForMicros;

  @Option(names = "--query-image-dir", paramLabel = "<dir>",
      description = "The folder whose pictures queries may name by reference (vidctx query --image-ref); without"
          + " it only inline images are accepted.")
  @Nullable Path queryImageDir;

  @Option(names = "--metrics-every", paramLabel = "<duration>", defaultValue = "10s",
      converter = TimeRangeConverter.Duration.class,
      description = "How often to log records/s per stage, consumer lag and memory per stream.")
  long metricsEveryMicros;

  @Mixin ModelMixin model;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /** Records/s and total of one stage, summed over its tasks. */
  record StageFigures(double rate, double total) {}

  /**
   * One look at the running instance.
   *
   * @param lagMax the main consumers' {@code records-lag-max} (largest lag seen in the metrics window), null before any fetch
   * @param lag the main consumers' current lag summed over their partitions, null before any fetch
   */
  record Snapshot(Map<String, StageFigures> stages, @Nullable Double lagMax, @Nullable Double lag,
      List<MemoryUpdate> memories) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(false);
    if (applicationId.isBlank()) {
      throw CliException.invalidInput("--application-id must not be empty");
    }
    if (partitions < 1) {
      throw CliException.invalidInput("--partitions must be >= 1, was " + partitions);
    }
    if (threads < 1) {
      throw CliException.invalidInput("--threads must be >= 1, was " + threads);
    }
    if (inferenceThreads < 0) {
      throw CliException.invalidInput("--inference-threads must be >= 0 (0 = automatic), was " + inferenceThreads);
    }
    final RuntimeOptions runtime;
    try {
      runtime = new RuntimeOptions(Device.parse(device), inferenceThreads, 1);
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput("--device " + device + ": " + e.getMessage());
    }
    model.config();
    final ModelSetup.Loaded loaded = ModelSetup.load(model.model, model.modelsDir, term);
    if (queryImageDir != null && !Files.isDirectory(queryImageDir)) {
      throw CliException.invalidInput("--query-image-dir " + queryImageDir + " is not a folder");
    }
    final VidctxConfig config = new VidctxConfig(Map.of(
        VidctxConfig.MEMORY_BUDGET_CONFIG, model.memoryBudget,
        VidctxConfig.MODEL_NAME_CONFIG, loaded.manifest().name(),
        VidctxConfig.QUERY_IMAGE_DIR_CONFIG, queryImageDir == null ? "" : queryImageDir.toString()));

    // Ctrl-C / SIGTERM: the hook asks the command to stop and waits until it has closed Streams,
    // the encoder and the broker, in that order (the JVM ends when the hook returns).
    final CountDownLatch stop = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);
    final AtomicBoolean signalled = new AtomicBoolean();
    final Thread hook = new Thread(() -> {
      signalled.set(true);
      term.err().println("vidctx stream: stopping ...");
      term.err().flush();
      stop.countDown();
      try {
        finished.await(CLOSE_TIMEOUT.toSeconds() + 15, TimeUnit.SECONDS);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "vidctx-stream-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return run(term, loaded, config, runtime, stop, signalled);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (final IllegalStateException e) {
        // The JVM is shutting down: the hook is running and returns now.
      }
    }
  }

  private int run(final Terminal term, final ModelSetup.Loaded loaded, final VidctxConfig config,
      final RuntimeOptions runtime, final CountDownLatch stop, final AtomicBoolean signalled) {
    try (Broker broker = Broker.connect(bootstrapServers, dataDir);
        OnnxVisionEncoder vision = OnnxVisionEncoder.open(loaded.dir(), runtime);
        TextEncoder text = loaded.manifest().text() == null ? null : OnnxTextEncoder.open(loaded.dir(), runtime)) {
      final String servers = broker.bootstrapServers();
      if (broker.isEmbedded()) {
        term.err().println("embedded Kafka at " + servers + "; publish with: vidctx publish VIDEO -b " + servers);
        term.err().flush();
      }
      ensureTopics(term, servers, config);
      final Path state = stateDir(broker);
      term.detail("state in %s", state);

      final Map<String, MemoryUpdate> memories = new ConcurrentHashMap<>();
      final Topology topology = VidctxTopology.build(config, vision, text, u -> memories.put(u.streamId(), u));
      final Properties props = VidctxStreams.properties(config, servers, applicationId, state);
      props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
      final KafkaStreams streams;
      try {
        streams = new KafkaStreams(topology, props);
      } catch (final KafkaException e) {
        throw new CliException(ExitCode.ERROR, "cannot create the Kafka Streams instance: " + e.getMessage(), e);
      }
      final AtomicReference<Throwable> failure = new AtomicReference<>();
      final AtomicBoolean announced = new AtomicBoolean();
      streams.setUncaughtExceptionHandler(e -> {
        failure.compareAndSet(null, e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      });
      streams.setStateListener((now, before) -> {
        if (now == KafkaStreams.State.RUNNING && announced.compareAndSet(false, true)) {
          term.note("vidctx stream: running '%s' on %s (%d thread%s, model %s): %s -> %s; %s -> %s; Ctrl-C stops",
              applicationId, servers, threads, threads == 1 ? "" : "s", loaded.manifest().name(),
              config.getString(VidctxConfig.FRAMES_TOPIC_CONFIG), config.getString(VidctxConfig.UPDATES_TOPIC_CONFIG),
              config.getString(VidctxConfig.QUERIES_TOPIC_CONFIG), config.getString(VidctxConfig.ANSWERS_TOPIC_CONFIG));
        }
        if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR
            || now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.PENDING_SHUTDOWN) {
          stop.countDown();
        }
      });

      final long t0 = System.nanoTime();
      String why;
      boolean interrupted = false;
      Snapshot last;
      try {
        streams.start();
        why = await(term, streams, memories, stop, t0);
      } catch (final InterruptedException e) {
        interrupted = true;
        why = "interrupted";
      } catch (final KafkaException e) {
        throw new CliException(ExitCode.ERROR, "Kafka Streams failed: " + e.getMessage(), e);
      } finally {
        last = snapshot(streams, memories);
        if (!streams.close(CLOSE_TIMEOUT)) {
          term.note("vidctx stream: Kafka Streams did not stop within %d s", CLOSE_TIMEOUT.toSeconds());
        }
      }
      if (signalled.get()) {
        why = "signal";
      }
      final Throwable cause = failure.get();
      if (cause != null || streams.state() == KafkaStreams.State.ERROR) {
        throw new CliException(ExitCode.ERROR, "Kafka Streams failed after " + Units.seconds(System.nanoTime() - t0)
            + ": " + (cause == null ? "state ERROR (see the log above)" : describe(cause)), cause);
      }
      term.println("vidctx stream: stopped after %s (%s): %s; %d stream%s in memory",
          Units.seconds(System.nanoTime() - t0), why, totals(last), last.memories().size(),
          last.memories().size() == 1 ? "" : "s");
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return ExitCode.OK;
    }
  }

  /** Waits for a stop (signal, --run-for, Streams leaving RUNNING), logging metrics; says why it stopped. */
  private String await(final Terminal term, final KafkaStreams streams, final Map<String, MemoryUpdate> memories,
      final CountDownLatch stop, final long t0) throws InterruptedException {
    // Deadlines compared as differences: System.nanoTime() may be any value, even negative.
    final long runFor = runForMicros == null ? Long.MAX_VALUE : runForMicros * 1000;
    final long period = metricsEveryMicros * 1000;
    long next = t0 + period;
    while (true) {
      final long now = System.nanoTime();
      final long left = runFor - (now - t0);
      if (left <= 0) {
        return "--run-for elapsed";
      }
      if (stop.await(Math.min(left, next - now), TimeUnit.NANOSECONDS)) {
        return "Kafka Streams state " + streams.state();
      }
      if (System.nanoTime() - next >= 0) {
        term.note("vidctx stream: %s", line(snapshot(streams, memories)));
        while (System.nanoTime() - next >= 0) {
          next += period;
        }
      }
    }
  }

  private void ensureTopics(final Terminal term, final String servers, final VidctxConfig config) {
    final String frames = config.getString(VidctxConfig.FRAMES_TOPIC_CONFIG);
    final String queries = config.getString(VidctxConfig.QUERIES_TOPIC_CONFIG);
    final List<String> small = new ArrayList<>(List.of(config.getString(VidctxConfig.ANSWERS_TOPIC_CONFIG)));
    final String updates = config.getString(VidctxConfig.UPDATES_TOPIC_CONFIG);
    if (!updates.isBlank()) {
      small.add(updates);
    }
    // Frames, queries with inline pictures and dead letters (refused frames) may be large records.
    for (final String t : List.of(frames, queries, config.getString(VidctxConfig.DEAD_LETTER_TOPIC_CONFIG))) {
      created(term, servers, t, Topics.ensure(servers, t, partitions));
    }
    for (final String t : small) {
      created(term, servers, t, Topics.ensure(servers, t, partitions, Map.of()));
    }
    final Optional<Integer> f = Topics.partitions(servers, frames);
    final Optional<Integer> q = Topics.partitions(servers, queries);
    if (f.isPresent() && q.isPresent() && !f.get().equals(q.get())) {
      throw CliException.invalidInput("topic '" + frames + "' has " + f.get() + " partitions but '" + queries + "' has "
          + q.get() + ": they must have as many (a stream's queries must reach the task holding its memory); recreate"
          + " one of them with the other's count");
    }
  }

  private void created(final Terminal term, final String servers, final String topic, final boolean created) {
    if (created) {
      term.detail("created topic %s (%d partition%s) on %s", topic, partitions, partitions == 1 ? "" : "s", servers);
      return;
    }
    final int n = Topics.partitions(servers, topic).orElse(partitions);
    if (n != partitions) {
      term.note("vidctx stream: topic %s exists with %d partitions (--partitions %d applies to topics created now)",
          topic, n, partitions);
    }
  }

  private Path stateDir(final Broker broker) {
    if (stateDir != null) {
      return stateDir;
    }
    if (broker.isEmbedded()) {
      // With the broker's data: a fresh broker must not meet state of an older one.
      final Path data = dataDir != null ? dataDir : broker.tempDir();
      if (data != null) {
        return data.resolve("streams-state");
      }
    }
    return ModelCache.defaultDir().resolveSibling("streams");
  }

  /** Stage figures summed over tasks, the main consumers' largest lag, the memories by stream id. */
  static Snapshot snapshot(final KafkaStreams streams, final Map<String, MemoryUpdate> memories) {
    final Map<String, double[]> sums = new LinkedHashMap<>();
    for (final String s : STAGES) {
      sums.put(s, new double[2]);
    }
    Double lagMax = null;
    Double lag = null;
    for (final Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
      final MetricName n = e.getKey();
      if (STAGE_GROUP.equals(n.group())) {
        final String id = n.tags().get(STAGE_TAG);
        final int dash = id == null ? -1 : id.lastIndexOf('-');
        if (dash <= 0) {
          continue;
        }
        final double[] s = sums.computeIfAbsent(id.substring(0, dash), k -> new double[2]);
        final double v = value(e.getValue());
        if (n.name().equals("records-rate")) {
          s[0] += v;
        } else if (n.name().equals("records-total")) {
          s[1] += v;
        }
      } else if (n.group().equals("consumer-fetch-manager-metrics") && isMainConsumer(n.tags().get("client-id"))) {
        final double v = value(e.getValue());
        if (!Double.isFinite(v)) {
          continue;
        }
        if (n.name().equals("records-lag-max") && !n.tags().containsKey("topic")) {
          lagMax = lagMax == null ? v : Math.max(lagMax, v);
        } else if (n.name().equals("records-lag") && n.tags().containsKey("partition")) {
          lag = lag == null ? v : lag + v;
        }
      }
    }
    final Map<String, StageFigures> stages = new LinkedHashMap<>();
    sums.forEach((k, v) -> stages.put(k, new StageFigures(v[0], v[1])));
    final List<MemoryUpdate> mem = new ArrayList<>(memories.values());
    mem.sort(Comparator.comparing(MemoryUpdate::streamId));
    return new Snapshot(stages, lagMax, lag, mem);
  }

  private static boolean isMainConsumer(final @Nullable String clientId) {
    return clientId != null && clientId.endsWith("-consumer") && !clientId.endsWith("-restore-consumer")
        && !clientId.endsWith("-global-consumer");
  }

  private static double value(final Metric m) {
    return m.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** "encode 2.0/s (30), compress 2.0/s (30), query 0.0/s (1); lag 0 (max 12); memory: cam-1 2940 tokens (30 frames)". */
  static String line(final Snapshot s) {
    final List<String> parts = new ArrayList<>();
    s.stages().forEach((k, f) -> parts.add(k + " " + Units.f1(Double.isFinite(f.rate()) ? f.rate() : 0) + "/s ("
        + Math.round(f.total()) + ")"));
    final StringBuilder sb = new StringBuilder(String.join(", ", parts));
    sb.append("; lag ").append(s.lag() == null ? "-" : Long.toString(Math.round(s.lag()))).append(" (max ")
        .append(s.lagMax() == null ? "-" : Long.toString(Math.round(s.lagMax()))).append(')');
    sb.append("; memory: ");
    if (s.memories().isEmpty()) {
      sb.append("no stream yet");
    } else {
      final List<String> mem = new ArrayList<>();
      for (final MemoryUpdate u : s.memories().subList(0, Math.min(MEMORIES_SHOWN, s.memories().size()))) {
        mem.add(u.streamId() + " " + u.memoryTokens() + " tokens (" + u.framesIn() + " frame"
            + (u.framesIn() == 1 ? "" : "s") + ")");
      }
      sb.append(String.join(", ", mem));
      if (s.memories().size() > MEMORIES_SHOWN) {
        sb.append(" +").append(s.memories().size() - MEMORIES_SHOWN).append(" more");
      }
    }
    return sb.toString();
  }

  private static String totals(final Snapshot s) {
    final StageFigures e = s.stages().get(EncodeStage.NAME);
    final StageFigures c = s.stages().get(CompressStage.NAME);
    final StageFigures q = s.stages().get(QueryStage.NAME);
    return "encoded " + Math.round(e.total()) + " frames, compressed " + Math.round(c.total()) + ", answered "
        + Math.round(q.total()) + " quer" + (Math.round(q.total()) == 1 ? "y" : "ies");
  }

  private static String describe(final Throwable e) {
    final StringBuilder sb = new StringBuilder(e.toString());
    Throwable c = e.getCause();
    for (int depth = 0; c != null && depth < 3; depth++, c = c.getCause()) {
      if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
        sb.append(": ").append(c.getMessage());
      }
    }
    return sb.toString();
  }
}
