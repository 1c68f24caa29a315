package io.vidctx.samples.cli;

import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.kafka.FramePublisher;
import io.vidctx.ingest.kafka.FrameWireFormat;
import io.vidctx.ingest.kafka.KafkaFrameSource;
import io.vidctx.ingest.kafka.KafkaSourceConfig;
import io.vidctx.ingest.kafka.PublishResult;
import io.vidctx.ingest.kafka.PublisherConfig;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx publish}: a video's sampled frames to a Kafka topic in the frame wire format. */
@Command(
    name = "publish",
    header = "Publish a video's frames to a Kafka topic (the vidctx frame wire format).",
    description = {
      "Decodes <video>, samples it at --fps and writes one record per frame: key = stream id, value = the"
          + " picture (JPEG, PNG or raw RGB24), headers vidctx.index, vidctx.pts-us, vidctx.width, vidctx.height,"
          + " vidctx.format.",
      "",
      "Without --bootstrap-servers an embedded Kafka broker is started for this command only: it disappears"
          + " when the command ends, so the frames are read back from it to verify the round trip and the count"
          + " is printed. Pass --bootstrap-servers to publish to a real cluster.",
      "",
      "A frame whose record would exceed the 1 MB record limit is refused, unless --claim-check-dir is given:"
          + " then its picture goes to a file there and the record refers to it (header vidctx.ref)."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class PublishCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<video>", description = "Video file or URL.")
  String video;

  @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "<host:port,...>",
      description = "Kafka bootstrap servers (default: an embedded broker, for this command only).")
  @Nullable String bootstrapServers;

  @Option(names = "--data-dir", paramLabel = "<dir>",
      description = "Data folder of the embedded broker (default: a temporary folder, deleted afterwards).")
  @Nullable Path dataDir;

  @Option(names = {"-t", "--topic"}, paramLabel = "<topic>", defaultValue = FrameWireFormat.DEFAULT_TOPIC,
      description = "Topic to write to.")
  String topic;

  @Option(names = "--stream-id", paramLabel = "<id>",
      description = "Stream id, the record key (default: the file name without extension).")
  @Nullable String streamId;

  @Option(names = "--format", paramLabel = "<jpeg|png|raw>", defaultValue = "jpeg", converter = ImageFormatConverter.class,
      description = "Picture encoding of the record values.")
  ImageFormat format;

  @Option(names = "--quality", paramLabel = "<1-100>", defaultValue = "" + ImageCodec.DEFAULT_JPEG_QUALITY,
      description = "JPEG quality.")
  int quality;

  @Option(names = "--claim-check-dir", paramLabel = "<dir>",
      description = "Folder for frames whose record would exceed the 1 MB record limit (large raw or PNG frames):"
          + " the picture is written to <dir>/<stream id>/<index>.<jpg|png|rgb> and the record carries its file: URI"
          + " in header vidctx.ref, with an empty value. Every consumer must see the folder under the same path;"
          + " files are never deleted. Default: such frames are refused.")
  @Nullable Path claimCheckDir;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Mixin DecodeRangeMixin range;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /**
   * What {@code --json} prints. {@code byReference} counts frames sent as claim-check references
   * (files in {@code claimCheckDir}, null without {@code --claim-check-dir}); {@code readBack} is null
   * when nothing was read back (external servers).
   */
  public record Report(
      String video,
      String streamId,
      String topic,
      String bootstrapServers,
      boolean embeddedBroker,
      String format,
      long frames,
      long valueBytes,
      double seconds,
      double framesPerSecond,
      double megabytesPerSecond,
      long byReference,
      @Nullable String claimCheckDir,
      @Nullable Long readBack,
      @Nullable Long malformed) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    if (quality < 1 || quality > 100) {
      throw CliException.invalidInput("--quality must be in 1..100, was " + quality);
    }
    if (topic.isBlank()) {
      throw CliException.invalidInput("--topic must not be empty");
    }
    final String id = streamId != null ? streamId : Units.stem(video);
    if (id.isBlank()) {
      throw CliException.invalidInput("--stream-id must not be empty");
    }
    final DecodeOptions options = range.toOptions(id);

    try (VideoFileSource source = Decoding.open(video, options)) {
      if (bootstrapServers == null) {
        term.note("vidctx publish: no --bootstrap-servers given: starting an embedded Kafka broker for this command"
            + " only; it stops when the command ends, so the frames are read back from it to verify the round trip.");
      }
      try (Broker broker = Broker.connect(bootstrapServers, dataDir)) {
        term.detail("broker at %s%s", broker.bootstrapServers(), broker.isEmbedded() ? " (embedded)" : "");
        broker.ensureTopic(topic);
        final PublisherConfig config = new PublisherConfig(broker.bootstrapServers(), topic, format, quality,
            PublisherConfig.DEFAULT_MAX_RECORD_BYTES, Map.of(), claimCheckDir);
        final PublishResult result;
        final long byReference;
        try (FramePublisher publisher = new FramePublisher(config);
            Progress progress = term.progress("publish", source.expectedFrames().orElse(-1), "fr")) {
          result = publisher.publish(source, progress::stepTo);
          byReference = publisher.claimCheckedFrames();
        }
        Long readBack = null;
        Long malformed = null;
        if (broker.isEmbedded()) {
          final long[] counts = readBack(broker.bootstrapServers(), id, result.frames());
          readBack = counts[0];
          malformed = counts[1];
        }
        final Report report = new Report(video, id, topic, broker.bootstrapServers(), broker.isEmbedded(),
            format.wireName(), result.frames(), result.valueBytes(), result.elapsedNanos() / 1e9,
            result.framesPerSecond(), result.megabytesPerSecond(), byReference,
            config.claimCheckDir() == null ? null : config.claimCheckDir().toString(), readBack, malformed);
        print(term, report);
        if (readBack != null && (readBack != result.frames() || malformed != 0)) {
          throw CliException.unexpectedState("read back " + readBack + " frames (" + malformed
              + " malformed) from the embedded broker, published " + result.frames());
        }
        return ExitCode.OK;
      }
    }
  }

  private long[] readBack(final String servers, final String id, final long published) {
    if (published == 0) {
      return new long[] {0, 0};
    }
    final KafkaSourceConfig config = new KafkaSourceConfig(
        servers, topic, null, id, Duration.ofSeconds(10), published, null, Map.of());
    long count = 0;
    try (KafkaFrameSource source = new KafkaFrameSource(config)) {
      Optional<VideoFrame> f;
      while ((f = source.next()).isPresent()) {
        count++;
      }
      return new long[] {count, source.malformedRecords()};
    }
  }

  private void print(final Terminal term, final Report r) {
    if (json) {
      Json.print(term.out(), r);
      return;
    }
    term.println("published %d frames of stream %s (%s) to %s at %s%s: %s in %.3f s, %.1f frames/s, %.2f MB/s",
        r.frames(), r.streamId(), r.format(), r.topic(), r.bootstrapServers(), r.embeddedBroker() ? " (embedded)" : "",
        Units.bytes(r.valueBytes()), r.seconds(), r.framesPerSecond(), r.megabytesPerSecond());
    if (r.claimCheckDir() != null) {
      term.println("%d frames over the record limit travelled by reference, their pictures in %s", r.byReference(),
          r.claimCheckDir());
    }
    if (r.readBack() != null) {
      term.println("read back %d frames of stream %s from the embedded broker (%d malformed): %s",
          r.readBack(), r.streamId(), r.malformed(),
          r.readBack() == r.frames() && r.malformed() == 0 ? "OK" : "MISMATCH");
    }
  }
}
