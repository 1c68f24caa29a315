package io.vidctx.samples.cli;

import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.samples.bench.PublishBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vidctx bench publish}: FramePublisher next to Kafka's ProducerPerformance. */
@Command(
    name = "publish",
    header = "Kafka publish throughput of vidctx next to Kafka's ProducerPerformance tool.",
    description = {
      "Decodes --frames frames of a real clip at --width x --height and encodes them to JPEG before any"
          + " timing, then measures, against the same broker and with the same producer settings (acks=all,"
          + " linger.ms=5, batch.size=524288, compression none), each on a fresh topic:",
      "  1. FramePublisher.sendEncoded of the JPEG records;",
      "  2. org.apache.kafka.tools.ProducerPerformance in a child JVM: same count, record size = the mean"
          + " JPEG size, --throughput -1, its steady-state line after --warmup-records;",
      "  3. FramePublisher.send of raw frames, JPEG encoding included (the end-to-end rate).",
      "Each measurement sends --warmup untimed records first. Without --bootstrap-servers an embedded broker"
          + " is started for the run."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx bench help <command>' for the options of another benchmark."})
public final class BenchPublishCommand implements Callable<Integer> {
  static final String DEFAULT_CLIP = "sintel_trailer_720p.mp4";

  @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "<host:port,...>",
      description = "Kafka bootstrap servers (default: an embedded broker for this run).")
  @Nullable String bootstrapServers;

  @Option(names = "--frames", paramLabel = "<n>", defaultValue = "500", description = "Records per measurement.")
  int frames;

  @Option(names = "--warmup", paramLabel = "<n>", defaultValue = "100",
      description = "Untimed records sent before each measurement (Kafka's tool: --warmup-records).")
  int warmup;

  @Option(names = "--clip", paramLabel = "<path>",
      description = "Clip to take frames from (default: " + DEFAULT_CLIP + " in the shared videos folder).")
  @Nullable Path clip;

  @Option(names = "--shared", paramLabel = "<dir>",
      description = "Shared data folder holding videos/ (default: $VIDCTX_SHARED, else ../shared).")
  @Nullable Path shared;

  @Option(names = "--width", paramLabel = "<px>", defaultValue = "1280", description = "Frame width.")
  int width;

  @Option(names = "--height", paramLabel = "<px>", defaultValue = "720", description = "Frame height.")
  int height;

  @Option(names = "--quality", paramLabel = "<1-100>", defaultValue = "" + ImageCodec.DEFAULT_JPEG_QUALITY, description = "JPEG quality.")
  int quality;

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    if (frames < 1) {
      throw CliException.invalidInput("--frames must be >= 1, was " + frames);
    }
    if (warmup < 0) {
      throw CliException.invalidInput("--warmup must be >= 0, was " + warmup);
    }
    if (width < 0 || height < 0) {
      throw CliException.invalidInput("--width/--height must be >= 0, was " + width + "x" + height);
    }
    if (quality < 1 || quality > 100) {
      throw CliException.invalidInput("--quality must be in 1..100, was " + quality);
    }
    final Path source = clip != null ? clip : SharedFolder.root(shared).resolve("videos").resolve(DEFAULT_CLIP);
    if (!Files.isRegularFile(source)) {
      throw CliException.invalidInput("clip not found: " + source + (clip == null
          ? " (pass --clip PATH, --shared DIR or set VIDCTX_SHARED)" : ""));
    }
    if (bootstrapServers == null) {
      term.note("vidctx bench publish: no --bootstrap-servers given: starting an embedded Kafka broker for this run.");
    }
    try (Broker broker = Broker.connect(bootstrapServers, null)) {
      final PublishBenchmark.Result r = new PublishBenchmark(broker.bootstrapServers(), frames, warmup, quality)
          .run(source, width, height, line -> term.note("  %s", line));
      if (json) {
        Json.print(term.out(), r);
        return ExitCode.OK;
      }
      term.println("%d records (after %d warm-up) of %dx%d JPEG q%d from %s (mean %.1f kB) to %s%s", r.frames(),
          r.warmupFrames(), r.width(), r.height(), r.quality(), r.clip(), r.meanRecordBytes() / 1e3,
          broker.bootstrapServers(), broker.isEmbedded() ? " (embedded)" : "");
      term.println("producer settings: %s", r.producerSettings().entrySet().stream()
          .map(Map.Entry::getKey).map(k -> k + "=" + r.producerSettings().get(k)).collect(Collectors.joining(" ")));
      new TextTable("WHAT", "RECORDS/S", "MiB/S", "VS KAFKA")
          .row("FramePublisher.sendEncoded", Units.f1(r.oursRecordsPerSecond()), Units.f1(r.oursMibPerSecond()), Units.f2(r.ratio()))
          .row("kafka ProducerPerformance", Units.f1(r.kafkaRecordsPerSecond()), Units.f1(r.kafkaMibPerSecond()), "1.00")
          .row("FramePublisher.send (+JPEG encode)", Units.f1(r.sendRecordsPerSecond()), Units.f1(r.sendMibPerSecond()),
              Units.f2(r.sendRecordsPerSecond() / r.kafkaRecordsPerSecond()))
          .print(term.out());
      term.println("ours/kafka %.2f at the same record size, count and producer settings (MiB = 2^20 bytes, as"
          + " ProducerPerformance counts)", r.ratio());
      return ExitCode.OK;
    }
  }
}
