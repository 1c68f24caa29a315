package io.vidctx.samples.cli;

import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.kafka.FramePublisher;
import io.vidctx.ingest.kafka.KafkaFrameSource;
import io.vidctx.ingest.kafka.KafkaSourceConfig;
import io.vidctx.ingest.kafka.PublishResult;
import io.vidctx.ingest.kafka.PublisherConfig;
import io.vidctx.encoder.models.ModelCache;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.samples.demo.DemoVideo;
import io.vidctx.samples.demo.DemoVideoGenerator;
import io.vidctx.samples.demo.Scene;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.qa.Answer;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.export.ContextExporter;
import io.vidctx.qa.haystack.ImageAlterations;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.ingest.ListFrameSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vidctx demo}: the main job on embedded defaults. Generates the demo video, decodes it,
 * publishes the frames to an embedded broker, reads them back and checks they are the same.
 */
@Command(
    name = "demo",
    header = "Run the main job on embedded defaults: demo video -> decode -> Kafka -> read back -> encode ->"
        + " compress -> ask -> check.",
    description = {
      "Generates a demo video (scenes with known cut times, moving shapes, a running clock), decodes it at"
          + " --fps, starts an embedded Kafka broker, publishes the frames (JPEG), reads them back with a Kafka"
          + " frame source, encodes them into visual tokens with the built-in encoder as they arrive, compresses"
          + " them into a bounded memory, asks \"when does this picture appear?\" with an altered frame of the"
          + " middle scene (query-aware selection, embedding answerer; with --out the context is exported to"
          + " OUT/context), and checks the round trip: counts, stream, timestamps, sizes, pixels (mean absolute error within JPEG"
          + " tolerance), that every scene cut shows between the frames read back, and in their tokens, that the"
          + " memory accounts for every patch token, and that the answer lies in the right scene.",
      "",
      "Exit code 0 only when every check passes, 3 when one fails. Nothing needs to run beforehand."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class DemoCommand implements Callable<Integer> {
  static final String STREAM_ID = "demo";
  /** Tokens the demo's question may use: a typical VLM's visual context. */
  static final int ASK_BUDGET = 4096;
  static final String TOPIC = "vidctx.demo";

  @Option(names = "--out", paramLabel = "<dir>",
      description = "Keep the demo video (demo.mp4) in this folder (default: a temporary folder, deleted afterwards).")
  @Nullable Path out;

  @Option(names = "--duration", paramLabel = "<seconds>", defaultValue = "20", description = "Length of the demo video (1..600 s).")
  double duration;

  @Option(names = "--fps", paramLabel = "<fps>", defaultValue = "2", description = "Frames per second decoded and published.")
  double fps;

  @Option(names = "--seed", paramLabel = "<n>", defaultValue = "42", description = "Seed of the demo video (scene lengths, colours, shapes).")
  long seed;

  @Option(names = "--quality", paramLabel = "<1-100>", defaultValue = "" + ImageCodec.DEFAULT_JPEG_QUALITY, description = "JPEG quality on the wire.")
  int quality;

  @Option(names = "--tolerance", paramLabel = "<mae>", defaultValue = "3.0",
      description = "Largest mean absolute pixel error (0..255) allowed between published and consumed frames.")
  double tolerance;

  @Option(names = "--models-dir", paramLabel = "<dir>",
      description = "Where the built-in encoder model is generated (default: $XDG_CACHE_HOME/vidctx/models, else ~/.cache/vidctx/models).")
  @Nullable Path modelsDir;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /** One check of the round trip. */
  public record Check(String name, boolean ok, String detail) {}

  /** The demo's summary, as {@code --json} prints it. */
  public record Summary(
      long seed,
      String video,
      double durationSeconds,
      int width,
      int height,
      int sourceFps,
      long sourceFrames,
      List<Long> cutsMicros,
      long decodedFrames,
      double decodeSeconds,
      double decodeSourceFramesPerSecond,
      String bootstrapServers,
      double brokerStartSeconds,
      long publishedFrames,
      long publishedBytes,
      double publishSeconds,
      double publishFramesPerSecond,
      double publishMegabytesPerSecond,
      long consumedFrames,
      double consumeSeconds,
      List<String> streams,
      long firstPtsMicros,
      long lastPtsMicros,
      long malformedRecords,
      double meanAbsError,
      double maxFrameMeanAbsError,
      int cutsSeen,
      long encodedFrames,
      String tokenGrid,
      long patchTokens,
      double encodeSeconds,
      double encodeFramesPerSecond,
      int cutsSeenInTokens,
      int memoryTokens,
      int memorySegments,
      double compressSeconds,
      int askScene,
      long askSceneStartMicros,
      long askSceneEndMicros,
      String answer,
      List<String> evidence,
      int selectedTokens,
      double reduction,
      double askSeconds,
      List<Check> checks,
      boolean ok) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    if (!(duration >= 1 && duration <= 600)) {
      throw CliException.invalidInput("--duration must be in 1..600 seconds, was " + duration);
    }
    if (!(fps > 0 && fps <= DemoVideoGenerator.FPS)) {
      throw CliException.invalidInput("--fps must be in (0, " + DemoVideoGenerator.FPS + "], was " + fps);
    }
    if (quality < 1 || quality > 100) {
      throw CliException.invalidInput("--quality must be in 1..100, was " + quality);
    }
    if (!(tolerance >= 0)) {
      throw CliException.invalidInput("--tolerance must be >= 0, was " + tolerance);
    }
    final Path dir;
    try {
      dir = out != null ? Files.createDirectories(out) : Files.createTempDirectory("vidctx-demo-");
    } catch (final IOException e) {
      throw new CliException(ExitCode.INVALID_INPUT, "cannot create the output folder: " + e, e);
    }
    try {
      return run(term, dir);
    } finally {
      if (out == null) {
        Broker.deleteTree(dir);
      }
    }
  }

  private int run(final Terminal term, final Path dir) {
    // 1. The demo video.
    long t = System.nanoTime();
    final DemoVideo video = new DemoVideoGenerator(seed, duration).generate(dir.resolve("demo.mp4"));
    final long generateNanos = System.nanoTime() - t;
    term.note("demo video: %s, %.1f s, %dx%d at %d fps, %d scenes, cuts at %s (written in %s)",
        video.file(), video.durationMicros() / 1e6, video.width(), video.height(), video.fps(), video.scenes().size(),
        video.cutsMicros().stream().map(TimeConverter::format).collect(Collectors.joining(", ")),
        Units.seconds(generateNanos));

    // 2. Decode and sample.
    final List<VideoFrame> decoded = new ArrayList<>();
    t = System.nanoTime();
    try (VideoFileSource source = VideoFileSource.open(
            video.file().toString(), DecodeOptions.DEFAULTS.withStreamId(STREAM_ID).withFps(fps));
        Progress progress = term.progress("decode", source.expectedFrames().orElse(-1), "fr")) {
      Optional<VideoFrame> f;
      while ((f = source.next()).isPresent()) {
        decoded.add(f.get());
        progress.step();
      }
    }
    final long decodeNanos = System.nanoTime() - t;

    // 3. Broker, publish, read back.
    t = System.nanoTime();
    try (Broker broker = Broker.connect(null, dir.resolve("kafka"), true)) {
      final long brokerNanos = System.nanoTime() - t;
      term.note("embedded Kafka broker at %s (started in %s)", broker.bootstrapServers(), Units.seconds(brokerNanos));
      broker.ensureTopic(TOPIC);
      final PublisherConfig config = new PublisherConfig(broker.bootstrapServers(), TOPIC,
          ImageFormat.JPEG, quality, PublisherConfig.DEFAULT_MAX_RECORD_BYTES, Map.of());
      final PublishResult published;
      try (FramePublisher publisher = new FramePublisher(config);
          Progress progress = term.progress("publish", decoded.size(), "fr")) {
        published = publisher.publish(new ListFrameSource(decoded, "demo frames in memory"), progress::stepTo);
      }

      final Map<Long, VideoFrame> byIndex = new HashMap<>();
      for (final VideoFrame f : decoded) {
        byIndex.put(f.index(), f);
      }
      final KafkaSourceConfig sourceConfig = new KafkaSourceConfig(
          broker.bootstrapServers(), TOPIC, null, null, Duration.ofSeconds(10), Math.max(1, published.frames()), null, Map.of());
      final List<VideoFrame> consumed = new ArrayList<>();
      final TreeSet<String> streams = new TreeSet<>();
      double errorSum = 0;
      double worstFrame = 0;
      int mismatched = 0;
      final long malformed;
      final DemoAsk demoAsk;
      final long consumeNanos;
      t = System.nanoTime();
      final DemoEncoding encoding = new DemoEncoding(modelsDir != null ? modelsDir : ModelCache.defaultDir());
      try (encoding;
          KafkaFrameSource source = new KafkaFrameSource(sourceConfig);
          Progress progress = term.progress("consume", published.frames(), "fr")) {
        Optional<VideoFrame> next;
        while ((next = source.next()).isPresent()) {
          final VideoFrame c = next.get();
          streams.add(c.streamId());
          final VideoFrame p = byIndex.get(c.index());
          if (p == null || p.ptsMicros() != c.ptsMicros() || p.width() != c.width() || p.height() != c.height()) {
            mismatched++;
          } else {
            final double mae = meanAbsError(p.rgb(), c.rgb());
            errorSum += mae;
            worstFrame = Math.max(worstFrame, mae);
          }
          consumed.add(thumbnailOf(c));
          encoding.accept(c);
          progress.step();
        }
        encoding.flush();
        malformed = source.malformedRecords();
        consumeNanos = System.nanoTime() - t;
        // While the encoder is open: the query image goes through it too.
        demoAsk = compressAndAsk(encoding, video, decoded, dir);
      }
      final VideoMemory memory = demoAsk.memory();
      final Scene scene = demoAsk.scene();
      final DemoEncoding.Asked asked = demoAsk.asked();
      final Answer answer = asked.answer();
      final long askNanos = demoAsk.nanos();
      final boolean inScene = demoAsk.inScene();
      final List<String> evidence = demoAsk.evidence();
      final double reduction = demoAsk.reduction();
      final int compared = consumed.size() - mismatched;
      final double meanError = compared == 0 ? Double.NaN : errorSum / compared;
      final int cutsSeen = cutsSeen(consumed, video.cutsMicros());
      final int cutsExpected = cutsVisibleAtRate(decoded, video.cutsMicros());
      final int cutsInTokens = encoding.cutsSeen(video.cutsMicros());

      final long expected = Math.round(duration * fps);
      final List<Check> checks = List.of(
          new Check("decoded", !decoded.isEmpty() && Math.abs(decoded.size() - expected) <= 1,
              decoded.size() + " frames at " + fps + " fps from " + video.frameCount() + " (expected " + expected + " +-1)"),
          new Check("published", published.frames() == decoded.size(),
              published.frames() + " of " + decoded.size() + " decoded frames"),
          new Check("consumed", consumed.size() == published.frames(),
              consumed.size() + " of " + published.frames() + " published frames"),
          new Check("malformed", malformed == 0, malformed + " malformed records"),
          new Check("streams", streams.equals(new TreeSet<>(List.of(STREAM_ID))), "streams " + streams),
          new Check("timestamps", mismatched == 0 && !consumed.isEmpty(),
              mismatched + " frames whose index, pts or size differ from the published ones"),
          new Check("pixels", meanError <= tolerance,
              String.format(Locale.ROOT, "mean abs error %.2f (worst frame %.2f; tolerance %.1f)",
                  meanError, worstFrame, tolerance)),
          new Check("scene cuts", cutsSeen == cutsExpected,
              cutsSeen + " of " + cutsExpected + " cuts between sampled frames show as large picture changes"),
          new Check("encoded", encoding.frames() == consumed.size() && !consumed.isEmpty(),
              encoding.frames() + " of " + consumed.size() + " consumed frames encoded (" + encoding.grid() + " tokens each)"),
          new Check("token cuts", cutsInTokens == cutsExpected,
              cutsInTokens + " of " + cutsExpected + " cuts show as the least similar consecutive global embeddings"),
          new Check("compressed", memory.patchTokensIn() == encoding.patchTokens() && memory.tokenCount() > 0,
              memory.patchTokensIn() + " patch tokens -> " + memory.tokenCount() + " memory tokens in "
                  + memory.segments().size() + " segments, every patch accounted for"),
          new Check("answered", inScene && reduction >= 0.9,
              "asked with a frame of scene " + scene.index() + " (" + TimeConverter.format(scene.startMicros()) + "-"
                  + TimeConverter.format(scene.endMicros()) + "): " + answer.text() + ", "
                  + Units.percent(reduction) + " reduction"));
      final boolean ok = checks.stream().allMatch(Check::ok);
      final Summary s = new Summary(seed, out == null ? "(temporary)" : video.file().toString(), video.durationMicros() / 1e6,
          video.width(), video.height(), video.fps(), video.frameCount(), video.cutsMicros(), decoded.size(),
          decodeNanos / 1e9, Units.rate(video.frameCount(), decodeNanos), broker.bootstrapServers(), brokerNanos / 1e9,
          published.frames(), published.valueBytes(), published.elapsedNanos() / 1e9, published.framesPerSecond(),
          published.megabytesPerSecond(), consumed.size(), consumeNanos / 1e9, List.copyOf(streams),
          consumed.isEmpty() ? -1 : consumed.get(0).ptsMicros(),
          consumed.isEmpty() ? -1 : consumed.get(consumed.size() - 1).ptsMicros(),
          malformed, meanError, worstFrame, cutsSeen, encoding.frames(), encoding.grid(), encoding.patchTokens(),
          encoding.nanos() / 1e9, Units.rate(encoding.frames(), encoding.nanos()), cutsInTokens, memory.tokenCount(),
          memory.segments().size(), encoding.compressNanos() / 1e9, scene.index(), scene.startMicros(),
          scene.endMicros(), answer.text(), evidence, asked.context().selection().size(), reduction, askNanos / 1e9,
          checks, ok);
      print(term, s);
      return ok ? ExitCode.OK : ExitCode.UNEXPECTED_STATE;
    }
  }

  /** The demo's compress-and-ask step and what it found. */
  record DemoAsk(VideoMemory memory, Scene scene, DemoEncoding.Asked asked, long nanos, boolean inScene,
      List<String> evidence, double reduction) {}

  /**
   * Compress, then ask by example: an altered copy (60 % size, JPEG 40) of a frame from the middle
   * scene; the answer must fall inside that scene. With --out the context is exported.
   */
  private DemoAsk compressAndAsk(final DemoEncoding encoding, final DemoVideo video, final List<VideoFrame> decoded,
      final Path dir) {
    final VideoMemory memory = encoding.memory();
    final Scene scene = video.scenes().get(video.scenes().size() / 2);
    final long mid = (scene.startMicros() + scene.endMicros()) / 2;
    VideoFrame example = decoded.get(0);
    for (final VideoFrame f : decoded) {
      if (Math.abs(f.ptsMicros() - mid) < Math.abs(example.ptsMicros() - mid)) {
        example = f;
      }
    }
    final DecodedImage altered = ImageAlterations.jpegRecompress(ImageAlterations.resize(
        new DecodedImage(example.width(), example.height(), example.rgb()), 0.6), 40);
    final long t = System.nanoTime();
    final DemoEncoding.Asked asked = encoding.ask(memory, altered, ASK_BUDGET);
    final long askNanos = System.nanoTime() - t;
    final Answer answer = asked.answer();
    // The time the answer names must lie in the scene. Its evidence may reach a frame further back:
    // a segment opened just before a cut absorbs the next shot when the cut comes within the
    // segmenter's minimum duration (tokencompress README, stage 2).
    final boolean inScene = answer.atMicros() >= scene.startMicros() && answer.atMicros() <= scene.endMicros();
    final List<String> evidence = new ArrayList<>();
    for (final EvidenceRange e : answer.evidence()) {
      evidence.add(TimeConverter.format(e.startMicros()) + "-" + TimeConverter.format(e.endMicros()));
    }
    if (out != null) {
      try {
        ContextExporter.export(asked.context(), answer, video.file().toString(), dir.resolve("context"));
      } catch (final IOException e) {
        throw new CliException(ExitCode.ERROR, "cannot export the demo context: " + e.getMessage(), e);
      }
    }
    final double reduction = asked.context().selection().reduction();

    return new DemoAsk(memory, scene, asked, askNanos, inScene, evidence, reduction);
  }

  private void print(final Terminal term, final Summary s) {
    if (json) {
      Json.print(term.out(), s);
      return;
    }
    term.println("video     %.1f s, %dx%d at %d fps (%d frames), %d cuts at %s, seed %d", s.durationSeconds(), s.width(),
        s.height(), s.sourceFps(), s.sourceFrames(), s.cutsMicros().size(),
        s.cutsMicros().stream().map(TimeConverter::format).collect(Collectors.joining(", ")), s.seed());
    term.println("decode    %d frames at %s fps in %.3f s: %.0f source frames/s", s.decodedFrames(), Units.f1(fps),
        s.decodeSeconds(), s.decodeSourceFramesPerSecond());
    term.println("broker    embedded at %s, started in %.2f s", s.bootstrapServers(), s.brokerStartSeconds());
    term.println("publish   %d frames, %s (JPEG q%d) to %s in %.3f s: %.1f frames/s, %.2f MB/s", s.publishedFrames(),
        Units.bytes(s.publishedBytes()), quality, TOPIC, s.publishSeconds(), s.publishFramesPerSecond(),
        s.publishMegabytesPerSecond());
    term.println("consume   %d frames, streams %s, %s .. %s, %d malformed, in %.3f s", s.consumedFrames(), s.streams(),
        TimeConverter.format(s.firstPtsMicros()), TimeConverter.format(s.lastPtsMicros()), s.malformedRecords(),
        s.consumeSeconds());
    term.println("pixels    mean abs error %.2f per channel (worst frame %.2f, tolerance %.1f)", s.meanAbsError(),
        s.maxFrameMeanAbsError(), tolerance);
    term.println("encode    %d frames with the built-in encoder (%s): %d patch tokens in %.3f s, %.0f frames/s",
        s.encodedFrames(), s.tokenGrid(), s.patchTokens(), s.encodeSeconds(), s.encodeFramesPerSecond());
    term.println("compress  %d patch tokens -> %d memory tokens in %d segments in %.3f s", s.patchTokens(),
        s.memoryTokens(), s.memorySegments(), s.compressSeconds());
    term.println("ask       \"When does this picture appear?\" with an altered frame of scene %d (%s-%s): %s; %d tokens"
            + " selected (%s reduction) in %.3f s", s.askScene(), TimeConverter.format(s.askSceneStartMicros()),
        TimeConverter.format(s.askSceneEndMicros()), s.answer(), s.selectedTokens(), Units.percent(s.reduction()),
        s.askSeconds());
    for (final Check c : s.checks()) {
      term.println("  [%s] %-11s %s", c.ok() ? "ok" : "FAILED", c.name(), c.detail());
    }
    term.println("published %d, consumed %d: %s", s.publishedFrames(), s.consumedFrames(),
        s.ok() ? "all " + s.checks().size() + " checks passed" : "CHECKS FAILED");
  }

  /** Mean absolute difference per byte of two equally sized RGB24 pictures. */
  static double meanAbsError(final byte[] a, final byte[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("pictures differ in size: " + a.length + " vs " + b.length + " bytes");
    }
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return a.length == 0 ? 0 : sum / (double) a.length;
  }

  /** A frame reduced to every 8th pixel in each direction (enough to see cuts; keeps memory small). */
  private static VideoFrame thumbnailOf(final VideoFrame f) {
    final int w = Math.max(1, f.width() / 8);
    final int h = Math.max(1, f.height() / 8);
    final byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(f.rgb(), ((y * 8) * f.width() + x * 8) * 3, rgb, (y * w + x) * 3, 3);
      }
    }
    return new VideoFrame(f.streamId(), f.index(), f.ptsMicros(), w, h, rgb);
  }

  /**
   * How many cuts fall between two consecutive frames with a picture change far above the changes
   * within scenes (more than 3 times the largest within-scene change, and at least 20 of 255).
   */
  static int cutsSeen(final List<VideoFrame> frames, final List<Long> cutsMicros) {
    if (frames.size() < 2) {
      return 0;
    }
    final double[] diffs = new double[frames.size() - 1];
    final boolean[] straddles = new boolean[diffs.length];
    double withinMax = 0;
    for (int i = 0; i < diffs.length; i++) {
      diffs[i] = meanAbsError(frames.get(i).rgb(), frames.get(i + 1).rgb());
      straddles[i] = straddlesCut(frames.get(i).ptsMicros(), frames.get(i + 1).ptsMicros(), cutsMicros);
      if (!straddles[i]) {
        withinMax = Math.max(withinMax, diffs[i]);
      }
    }
    int seen = 0;
    for (int i = 0; i < diffs.length; i++) {
      if (straddles[i] && diffs[i] > Math.max(20, 3 * withinMax)) {
        seen++;
      }
    }
    return seen;
  }

  /** How many cuts fall between two consecutive sampled frames (two cuts in one gap count once). */
  static int cutsVisibleAtRate(final List<VideoFrame> frames, final List<Long> cutsMicros) {
    int n = 0;
    for (int i = 0; i + 1 < frames.size(); i++) {
      if (straddlesCut(frames.get(i).ptsMicros(), frames.get(i + 1).ptsMicros(), cutsMicros)) {
        n++;
      }
    }
    return n;
  }

  static boolean straddlesCut(final long a, final long b, final List<Long> cutsMicros) {
    for (final long c : cutsMicros) {
      if (a < c && c <= b) {
        return true;
      }
    }
    return false;
  }
}
