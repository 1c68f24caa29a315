package io.vidctx.samples.cli;

import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.samples.bench.StreamsBenchmark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vidctx bench streams}: the Kafka Streams topology against the in-process pipeline, latencies. */
@Command(name = "streams", header = "Measure the Kafka Streams topology: frames/s against vidctx ask's in-process"
    + " pipeline, publish-to-memory latency, query latency on an hour of memory.", showDefaultValues = true,
    footer = {"", "See 'vidctx bench help <command>' for the options of another benchmark."})
public final class BenchStreamsCommand implements Callable<Integer> {
  private static final String DEFAULT_CLIP = "wanna_work_together.mp4";

  @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "<host:port,...>",
      description = "Kafka to use (default: an embedded broker for this run).")
  @Nullable String bootstrapServers;

  @Option(names = "--clip", paramLabel = "<path>", description = "Clip (default: the shared " + DEFAULT_CLIP + ").")
  @Nullable Path clip;

  @Option(names = "--shared", paramLabel = "<dir>", description = "Shared data folder (default: $VIDCTX_SHARED or ../shared).")
  @Nullable Path shared;

  @Option(names = "--fps", paramLabel = "<fps>", defaultValue = "1", description = "Frames per second sampled.")
  double fps;

  @Option(names = "--hour-frames", paramLabel = "<n>", defaultValue = "3600",
      description = "Frames of the long stream the queries run on (3600 = one hour at 1 fps).")
  int hourFrames;

  @Option(names = "--queries", paramLabel = "<n>", defaultValue = "20", description = "Queries on the long stream.")
  int queries;

  @Option(names = "--commit-ms", paramLabel = "<ms>", defaultValue = "100",
      description = "Streams commit.interval.ms (100 is the exactly-once default).")
  long commitMs;

  @Option(names = "--model", paramLabel = "<builtin|DIR>", defaultValue = "builtin", description = "Encoder model.")
  String model;

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  @Mixin RuntimeMixin runtime;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    if (!(fps > 0) || hourFrames < 1 || queries < 1 || commitMs < 1) {
      throw CliException.invalidInput("--fps must be > 0, --hour-frames, --queries and --commit-ms >= 1");
    }
    final Path source = clip != null ? clip : SharedFolder.root(shared).resolve("videos").resolve(DEFAULT_CLIP);
    if (!Files.isRegularFile(source)) {
      throw CliException.invalidInput("clip not found: " + source);
    }
    final ModelSetup.Loaded loaded = ModelSetup.load(model, null, term);
    final DecodeOptions decode = ModelSetup.fitToModel(source.toString(), DecodeOptions.DEFAULTS.withFps(fps),
        loaded.vision());
    final Path state;
    try {
      state = Files.createTempDirectory("vidctx-bench-streams-");
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Broker broker = Broker.connect(bootstrapServers, null);
        OnnxVisionEncoder encoder = OnnxVisionEncoder.open(loaded.dir(), runtime.toOptions())) {
      final StreamsBenchmark.Result r = new StreamsBenchmark(broker.bootstrapServers(), encoder, state,
          commitMs, line -> term.note("  %s", line)).run(source, decode, hourFrames, queries);
      if (json) {
        Json.print(term.out(), r);
        return ExitCode.OK;
      }
      term.println("%s at %s fps: %d frames, model %s, Kafka %s%s, commit.interval.ms %d", r.clip(),
          Units.f1(r.fps()), r.frames(), loaded.manifest().name(), broker.bootstrapServers(),
          broker.isEmbedded() ? " (embedded, in this process)" : "", commitMs);
      new TextTable("WHAT", "FRAMES/S", "VS IN-PROCESS")
          .row("in process (decode + encode + compress)", Units.f1(r.inProcessFramesPerSecond()), "1.00")
          .row("topology, from start", Units.f1(r.topologyFramesPerSecond()), Units.f2(r.ratio()))
          .row("topology, from first update", Units.f1(r.topologySteadyFramesPerSecond()), Units.f2(r.ratioSteady()))
          .print(term.out());
      term.println("publish -> committed memory update, %d frames at %s fps: p50 %s ms, p95 %s ms, max %s ms",
          r.latencyFrames(), Units.f1(r.fps()), Units.f1(r.latencyP50Ms()), Units.f1(r.latencyP95Ms()),
          Units.f1(r.latencyMaxMs()));
      term.println("query -> answer on %d frames of memory (%d tokens), %d image queries: p50 %s ms, p95 %s ms"
          + " (in the query stage: p50 %s ms)", r.hourFrames(), r.hourMemoryTokens(), r.queries(),
          Units.f1(r.queryP50Ms()), Units.f1(r.queryP95Ms()), Units.f1(r.queryStageP50Ms()));
      return ExitCode.OK;
    } finally {
      Broker.deleteTree(state);
    }
  }
}
