package io.vidctx.samples.cli;

import io.vidctx.samples.bench.DecodeBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx bench decode}: our decode + sample rate next to the ffmpeg command's. */
@Command(
    name = "decode",
    header = "Decode + sample throughput of vidctx next to the ffmpeg command on the same clips.",
    description = {
      "For each clip: our VideoFileSource decoding and sampling at --fps, and the ffmpeg command doing the"
          + " same work:",
      "  ffmpeg -hide_banner -nostats -loglevel error -i CLIP -an -sn -vf fps=F -pix_fmt rgb24 -f null -",
      "Rates are source frames/s (all frames in the clip / wall time, best of --repeat runs; ffmpeg's time"
          + " includes its process start). The ratio ours/ffmpeg is DESIGN.md's target figure (>= 0.9)."
          + " Without ffmpeg only our figures are printed."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx bench help <command>' for the options of another benchmark."})
public final class BenchDecodeCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<clip>", arity = "0..*",
      description = "Clips to measure (default: every clip in the shared videos folder).")
  List<Path> clips = new ArrayList<>();

  @Option(names = "--shared", paramLabel = "<dir>",
      description = "Shared data folder holding videos/ (default: $VIDCTX_SHARED, else ../shared).")
  @Nullable Path shared;

  @Option(names = "--fps", paramLabel = "<fps>", defaultValue = "1", description = "Sampling rate; 0 keeps every frame.")
  double fps;

  @Option(names = "--repeat", paramLabel = "<n>", defaultValue = "3", description = "Runs per clip and tool; the best counts.")
  int repeat;

  @Option(names = "--ffmpeg", paramLabel = "<path>", defaultValue = "ffmpeg", description = "The ffmpeg binary (a path, or a name looked up on the PATH).")
  String ffmpeg;

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /** What {@code --json} prints. */
  public record Report(
      double fps, int repeat, @Nullable String ffmpeg, List<DecodeBenchmark.ClipResult> clips,
      @Nullable Double geometricMeanRatio) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    if (!(fps >= 0) || Double.isInfinite(fps)) {
      throw CliException.invalidInput("--fps must be >= 0, was " + fps);
    }
    if (repeat < 1) {
      throw CliException.invalidInput("--repeat must be >= 1, was " + repeat);
    }
    final List<Path> targets = clips.isEmpty() ? SharedFolder.clips(SharedFolder.root(shared)) : clips;
    for (final Path clip : targets) {
      if (!Files.isRegularFile(clip)) {
        throw CliException.invalidInput("clip not found: " + clip);
      }
    }
    final Optional<Path> ff = DecodeBenchmark.locateFfmpeg(ffmpeg);
    if (ff.isEmpty()) {
      term.err().println("vidctx bench decode: ffmpeg not found ('" + ffmpeg + "'): install it (apt-get install ffmpeg)"
          + " or pass --ffmpeg PATH; printing our figures only.");
      term.err().flush();
    } else {
      term.detail("ffmpeg: %s", ff.get());
    }
    final DecodeBenchmark bench = new DecodeBenchmark(fps, repeat, ff.orElse(null));
    final List<DecodeBenchmark.ClipResult> results = new ArrayList<>();
    try (Progress progress = term.progress("bench decode", targets.size(), "clips")) {
      for (final Path clip : targets) {
        term.detail("measuring %s", clip);
        results.add(bench.run(clip));
        progress.step();
      }
    }
    double logSum = 0;
    int ratios = 0;
    for (final DecodeBenchmark.ClipResult r : results) {
      if (r.ratio() != null) {
        logSum += Math.log(r.ratio());
        ratios++;
      }
    }
    final Double geomean = ratios == 0 ? null : Math.exp(logSum / ratios);
    if (json) {
      Json.print(term.out(), new Report(fps, repeat, ff.map(Path::toString).orElse(null), results, geomean));
      return ExitCode.OK;
    }
    final TextTable table = new TextTable("CLIP", "FRAMES", "SAMPLED", "OURS fr/s", "FFMPEG fr/s", "OURS/FFMPEG");
    for (final DecodeBenchmark.ClipResult r : results) {
      table.row(r.clip(), Long.toString(r.sourceFrames()), Long.toString(r.sampledFrames()),
          Units.f1(r.oursFramesPerSecond()),
          r.ffmpegFramesPerSecond() == null ? "-" : Units.f1(r.ffmpegFramesPerSecond()),
          r.ratio() == null ? "-" : Units.f2(r.ratio()));
    }
    table.print(term.out());
    for (final DecodeBenchmark.ClipResult r : results) {
      if (r.ffmpegError() != null) {
        term.println("%s: ffmpeg failed: %s", r.clip(), r.ffmpegError());
      }
    }
    term.println(geomean == null
        ? String.format(Locale.ROOT, "%d clips at %s fps, best of %d; no ffmpeg figures", results.size(), Units.f1(fps), repeat)
        : String.format(Locale.ROOT, "%d clips at %s fps, best of %d; geometric mean ours/ffmpeg %.2f (target >= 0.9)",
            results.size(), Units.f1(fps), repeat, geomean));
    return ExitCode.OK;
  }
}
