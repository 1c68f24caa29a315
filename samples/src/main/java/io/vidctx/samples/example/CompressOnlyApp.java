package io.vidctx.samples.example;

import io.vidctx.plugins.VidctxConfig;
import io.vidctx.plugins.VidctxStreams;
import io.vidctx.plugins.compress.CompressStage;
import io.vidctx.plugins.compress.CompressSupplier;
import io.vidctx.plugins.serde.FrameTokensSerde;
import io.vidctx.plugins.serde.JsonSerde;
import io.vidctx.tokencompress.CompressorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A Kafka Streams app of one's own that uses ONE vidctx stage, the compress stage, in the DSL: frame
 * tokens that some encoder of yours writes to {@value #TOKENS_TOPIC} (key = stream id, value in the
 * {@link FrameTokensSerde} format) go into a bounded, changelogged memory per stream, and a status
 * record of your own design goes to {@value #UPDATES_TOPIC} per frame.
 *
 * <pre>
 * my-tokens ──▶ CompressSupplier ──▶ mapValues(MemoryStatus) ──▶ my-memory-updates
 *                     │
 *              [vidctx-memory store]
 * </pre>
 *
 * <p>Run: {@code java -cp 'samples/target/vidctx.jar:samples/target/lib/*'
 * io.vidctx.samples.example.CompressOnlyApp localhost:9092 [STATE_DIR]}. See README.md next to this file.
 */
public final class CompressOnlyApp {
  public static final String TOKENS_TOPIC = "my-tokens";
  public static final String UPDATES_TOPIC = "my-memory-updates";
  public static final String DEAD_LETTER_TOPIC = "my-dead-letters";
  public static final String APPLICATION_ID = "compress-only-app";
  /** The compression settings; whoever reads the memory store must use the same. */
  public static final CompressorConfig COMPRESSION = CompressorConfig.DEFAULTS;

  private CompressOnlyApp() {}

  /**
   * What this app writes per frame: its own JSON, not vidctx's {@code MemoryUpdate}.
   *
   * @param camera the stream id
   * @param frame the frame just compressed
   * @param seconds its presentation time
   * @param framesSoFar frames of this stream in the memory
   * @param memoryTokens tokens in the memory now
   */
  public record MemoryStatus(String camera, long frame, double seconds, long framesSoFar, int memoryTokens) {}

  /** The app's topology; {@link #main} runs exactly this, and the test drives it without a broker. */
  public static Topology topology() {
    final StreamsBuilder builder = new StreamsBuilder();
    builder.stream(TOKENS_TOPIC, Consumed.with(Serdes.String(), new FrameTokensSerde()))
        // The stage adds its memory store itself (ProcessorSupplier.stores()).
        .process(new CompressSupplier(CompressStage.of(COMPRESSION)))
        .mapValues(u -> new MemoryStatus(u.streamId(), u.frameIndex(), u.ptsMicros() / 1e6, u.framesIn(),
            u.memoryTokens()))
        .to(UPDATES_TOPIC, Produced.with(Serdes.String(), new JsonSerde<>(MemoryStatus.class)));
    return builder.build();
  }

  /**
   * Streams settings: vidctx's (exactly-once, refused records to {@value #DEAD_LETTER_TOPIC} with the
   * reason in headers) plus this app's id, servers and state folder.
   */
  public static Properties properties(final String bootstrapServers, final Path stateDir) {
    final VidctxConfig vidctx = new VidctxConfig(Map.of(VidctxConfig.DEAD_LETTER_TOPIC_CONFIG, DEAD_LETTER_TOPIC));
    return VidctxStreams.properties(vidctx, bootstrapServers, APPLICATION_ID, stateDir);
  }

  /**
   * Runs the app until Ctrl-C.
   *
   * @param args bootstrap servers, and optionally the state folder (default: a folder in the temp dir)
   */
  public static void main(final String[] args) throws InterruptedException {
    if (args.length < 1 || args.length > 2) {
      throw new IllegalArgumentException("usage: CompressOnlyApp BOOTSTRAP_SERVERS [STATE_DIR]");
    }
    final Path state = args.length == 2 ? Path.of(args[1])
        : Path.of(System.getProperty("java.io.tmpdir"), APPLICATION_ID + "-state");
    final KafkaStreams streams = new KafkaStreams(topology(), properties(args[0], state));
    final CountDownLatch stopped = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.ERROR) {
        stopped.countDown();
      }
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close(Duration.ofSeconds(30));
      stopped.countDown();
    }, "compress-only-app-shutdown"));
    streams.start();
    stopped.await();
    if (streams.state() == KafkaStreams.State.ERROR) {
      streams.close(Duration.ofSeconds(30));
      throw new IllegalStateException("Kafka Streams failed; see the log above");
    }
  }
}
