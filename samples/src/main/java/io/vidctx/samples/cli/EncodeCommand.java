package io.vidctx.samples.cli;

import io.vidctx.encoder.EncodedBatches;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.io.TokenFile;
import io.vidctx.encoder.io.TokenFileWriter;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.VisionSpec;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx encode}: a video's sampled frames to visual tokens in a token file. */
@Command(
    name = "encode",
    header = "Encode a video's sampled frames into visual tokens (a .vtok token file).",
    description = {
      "Decodes <video> at --fps (FFmpeg scales each frame towards the model's input size), runs the vision"
          + " model in batches of --batch frames and writes every frame's tokens to --out: the index and"
          + " presentation time, the global embedding and the grid of patch embeddings, in the token file"
          + " format of encoder/README.md (a header, then fixed-size little-endian float32 records; numpy can"
          + " map it).",
      "",
      "--model builtin is the training-free built-in encoder (generated on first use, no download);"
          + " --model DIR is any folder with a vidctx-model.json, e.g. one made by 'vidctx models pull'."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class EncodeCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<video>", description = "Video file or URL.")
  String video;

  @Option(names = "--model", paramLabel = "<builtin|dir>", defaultValue = "builtin",
      description = "'builtin', or a model folder holding vidctx-model.json.")
  String model;

  @Option(names = "--out", paramLabel = "<file>", required = true, description = "Token file to write (conventionally .vtok).")
  Path out;

  @Option(names = "--stream-id", paramLabel = "<id>", description = "Stream id stored in the file (default: the file name without extension).")
  @Nullable String streamId;

  @Option(names = "--models-dir", paramLabel = "<dir>",
      description = "Where the built-in model is generated (default: $XDG_CACHE_HOME/vidctx/models, else ~/.cache/vidctx/models).")
  @Nullable Path modelsDir;

  @Option(names = "--overwrite", description = "Replace --out when it exists.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Mixin DecodeRangeMixin range;

  @Mixin RuntimeMixin runtimeOptions;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /** The summary printed at the end (also as JSON). */
  public record Summary(
      String video, String model, String modelDir, String out, String streamId, String device, long frames,
      int gridH, int gridW, int dim, int frameWidth, int frameHeight, long firstPtsMicros, long lastPtsMicros,
      long bytes, double seconds, double decodeSeconds, double encodeSeconds, double framesPerSecond,
      @Nullable String error) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    final RuntimeOptions runtime = runtimeOptions.toOptions();
    ModelSetup.requireNewFile(out, overwrite);
    final String stream = streamId != null ? streamId : Units.stem(video);
    final DecodeOptions requested = range.toOptions(stream);
    final ModelSetup.Loaded loaded = ModelSetup.load(model, modelsDir, term);
    final Path modelDir = loaded.dir();
    final ModelManifest manifest = loaded.manifest();
    final VisionSpec vision = loaded.vision();
    final DecodeOptions options = ModelSetup.fitToModel(video, requested, vision);

    final long t0 = System.nanoTime();
    final TokenFile.Header header;
    final EncodedBatches.Timings timings;
    final Output o = new Output();
    try (OnnxVisionEncoder encoder = OnnxVisionEncoder.open(modelDir, runtime);
        VideoFileSource source = Decoding.open(video, options)) {
      term.detail("model %s (%s) on %s; decoding %s", manifest.name(), modelDir, encoder.device(), source.describe());
      try (Progress progress = term.progress("encode", source.expectedFrames().orElse(-1), "fr")) {
        timings = EncodedBatches.run(source, encoder, runtime.batchSize(), (frames, tokens) -> {
          if (o.writer == null) {
            final FrameTokens t = tokens.get(0);
            o.writer = TokenFileWriter.create(out, new TokenFile.Header(manifest.name(), stream, t.gridH(),
                t.gridW(), t.dim(), 0));
            o.width = frames.get(0).width();
            o.height = frames.get(0).height();
          }
          final TokenFileWriter w = o.writer;
          for (final FrameTokens t : tokens) {
            w.write(t);
            if (o.first < 0) {
              o.first = t.ptsMicros();
            }
            o.last = t.ptsMicros();
          }
          progress.stepTo(w.frames());
        });
        if (o.writer == null) {
          throw timings.error() != null
              ? new CliException(ExitCode.ERROR, timings.error())
              : CliException.invalidInput("no frames in " + video + " " + range.describeRange()
                  + ": check --start/--end against the duration ('vidctx info " + video + "')");
        }
        header = o.writer.finish();
      } finally {
        if (o.writer != null) {
          o.writer.close();
        }
      }
      final long nanos = System.nanoTime() - t0;
      final Summary s = new Summary(video, manifest.name(), modelDir.toString(), out.toString(), stream,
          encoder.device().toString(), header.frameCount(), header.gridH(), header.gridW(), header.dim(), o.width,
          o.height, o.first, o.last, Units.sizeOf(out), nanos / 1e9, timings.decodeNanos() / 1e9,
          timings.encodeNanos() / 1e9, Units.rate(header.frameCount(), nanos), timings.error());
      report(term, s);
    }
    if (timings.error() != null) {
      term.err().println("vidctx encode: " + timings.error() + " (the frames before it were encoded and written)");
      term.err().flush();
      return ExitCode.ERROR;
    }
    return ExitCode.OK;
  }

  /** What the batch callback writes as it goes: the token file once the first batch gives the grid. */
  private static final class Output {
    @Nullable TokenFileWriter writer;
    long first = -1;
    long last = -1;
    int width;
    int height;
  }

  private void report(final Terminal term, final Summary s) {
    if (json) {
      Json.print(term.out(), s);
      return;
    }
    term.println("%s: encoded %d frames (%dx%d) with %s on %s: %dx%d patch grid, %d-d tokens, %s to %s; wrote %s"
            + " (%s) in %s (%s frames/s; decode %s, encode %s)",
        s.video(), s.frames(), s.frameWidth(), s.frameHeight(), s.model(), s.device(), s.gridH(), s.gridW(), s.dim(),
        TimeConverter.format(s.firstPtsMicros()), TimeConverter.format(s.lastPtsMicros()), s.out(),
        Units.bytes(s.bytes()), Units.seconds((long) (s.seconds() * 1e9)), Units.f1(s.framesPerSecond()),
        Units.seconds((long) (s.decodeSeconds() * 1e9)), Units.seconds((long) (s.encodeSeconds() * 1e9)));
  }
}
