package io.vidctx.samples.cli;

import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.encoder.ocr.OcrModels;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.VisionSpec;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.qa.export.MemoryFile;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.VideoMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx compress}: a video into a compressed memory file that 'vidctx ask --memory' reuses. */
@Command(
    name = "compress",
    header = "Compress a video into a memory file, to ask it many questions without re-encoding.",
    description = {
      "Decodes <video> at --fps, encodes every sampled frame with --model and compresses the tokens (temporal"
          + " filter, scene segmentation, spatial reduction, token merging, bounded tiered memory of at most"
          + " --memory-budget tokens) into --out. 'vidctx ask --memory FILE \"QUESTION\"' then answers from it"
          + " directly; the file records the model, the video and the settings."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class CompressCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<video>", description = "Video file or URL.")
  String video;

  @Option(names = "--out", paramLabel = "<file>", required = true,
      description = "Memory file to write (conventionally .vmem).")
  Path out;

  @Option(names = "--overwrite", description = "Replace --out when it exists.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Mixin CompressionMixin compression;

  @Mixin DecodeRangeMixin range;

  @Mixin RuntimeMixin runtimeOptions;

  @Mixin LoggingMixin logging;

  @Mixin OcrMixin ocr;

  @Mixin HelpOption help;

  /** The summary printed at the end (also as JSON). */
  public record Summary(String video, String model, String out, long frames, long patchTokens, int memoryTokens,
      int segments, double reduction, long bytes, double seconds, double decodeSeconds, double encodeSeconds,
      double compressSeconds, @Nullable String error, int textTokens, double ocrSeconds) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    ModelSetup.requireNewFile(out, overwrite);
    final long t0 = System.nanoTime();
    final CompressorConfig config = compression.config();
    final RuntimeOptions runtime = runtimeOptions.toOptions();
    final ModelSetup.Loaded loaded = ModelSetup.load(compression.model, compression.modelsDir, term);
    final Path modelDir = loaded.dir();
    final ModelManifest manifest = loaded.manifest();
    final VisionSpec vision = loaded.vision();
    final DecodeOptions options = ocr.enabled ? ModelSetup.fitForOcr(video, range.toOptions(compression.streamId(video)))
        : ModelSetup.fitToModel(video, range.toOptions(compression.streamId(video)), vision);
    final OcrModels ocrModels = ocr.enabled ? ocr.resolveModels() : null;
    final MemoryBuilding.Built built;
    try (OnnxVisionEncoder encoder = OnnxVisionEncoder.open(modelDir, runtime);
        OcrEngine engine = ocr.open(ocrModels, runtime)) {
      built = MemoryBuilding.build(term, video, options, encoder, runtime.batchSize(), config,
          engine == null ? null : new MemoryBuilding.Ocr(engine, ocr.schedule()));
    }
    final VideoMemory memory = built.memory();
    try {
      new MemoryFile(manifest.name(), video, options.fps(), config.toString(), memory).write(out);
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
    final Summary s = new Summary(video, manifest.name(), out.toString(), memory.framesIn(), memory.patchTokensIn(),
        memory.tokenCount(), memory.segments().size(), 1 - (double) memory.tokenCount() / memory.patchTokensIn(),
        Units.sizeOf(out), (System.nanoTime() - t0) / 1e9, built.decodeNanos() / 1e9, built.encodeNanos() / 1e9,
        built.compressNanos() / 1e9, built.error(), memory.texts().size(),
        built.ocr() == null ? 0 : built.ocr().nanos() / 1e9);
    if (json) {
      Json.print(term.out(), s);
    } else {
      term.println("%s: %d frames -> %d patch tokens -> %d memory tokens in %d segments (%s reduction); wrote %s (%s)"
              + " in %s (decode %s, encode %s, compress %s)",
          video, s.frames(), s.patchTokens(), s.memoryTokens(), s.segments(), Units.percent(s.reduction()), s.out(),
          Units.bytes(s.bytes()), Units.seconds((long) (s.seconds() * 1e9)),
          Units.seconds(built.decodeNanos()), Units.seconds(built.encodeNanos()), Units.seconds(built.compressNanos()));
      if (built.ocr() != null) {
        term.println("on-screen text: %d text tokens from %d of %d frames read by OCR in %s", s.textTokens(),
            built.ocr().read(), built.ocr().frames(), Units.seconds(built.ocr().nanos()));
      }
    }
    if (built.error() != null) {
      term.err().println("vidctx compress: " + built.error() + " (the frames before it were compressed and written)");
      term.err().flush();
      return ExitCode.ERROR;
    }
    return ExitCode.OK;
  }
}
