package io.vidctx.samples.bench;

import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.ingest.video.VideoProbe;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decode + sample throughput of {@link VideoFileSource} next to the {@code ffmpeg} command doing the
 * same work on the same file ({@code -vf fps=F -pix_fmt rgb24 -f null -}). Rates are in source
 * frames per second: the frames the container holds (every one is decoded, whatever the sampling
 * rate) divided by the wall time, best of N runs. The ffmpeg time includes its process start.
 */
public final class DecodeBenchmark {
  private final double fps;
  private final int repeat;
  private final @Nullable Path ffmpeg;

  /** One clip's figures; the ffmpeg fields are null when ffmpeg was not run or failed. */
  public record ClipResult(
      String clip,
      long sourceFrames,
      long sampledFrames,
      long oursBestNanos,
      double oursFramesPerSecond,
      @Nullable Long ffmpegBestNanos,
      @Nullable Double ffmpegFramesPerSecond,
      @Nullable Double ratio,
      @Nullable String ffmpegError) {}

  /**
   * @param fps sampling rate (0 = every frame)
   * @param repeat runs per clip and tool; the best counts
   * @param ffmpeg the ffmpeg binary, or null to measure ours only
   */
  public DecodeBenchmark(final double fps, final int repeat, final @Nullable Path ffmpeg) {
    if (repeat < 1) {
      throw new IllegalArgumentException("repeat must be >= 1, was " + repeat);
    }
    this.fps = fps;
    this.repeat = repeat;
    this.ffmpeg = ffmpeg;
  }

  public ClipResult run(final Path clip) {
    final String location = clip.toString();
    long sourceFrames = VideoProbe.probe(location).frameCount();
    if (sourceFrames <= 0) {
      sourceFrames = decode(location, 0);
    }
    long best = Long.MAX_VALUE;
    long sampled = 0;
    for (int r = 0; r < repeat; r++) {
      final long t0 = System.nanoTime();
      sampled = decode(location, fps);
      best = Math.min(best, System.nanoTime() - t0);
    }
    final double ours = sourceFrames * 1e9 / best;
    if (ffmpeg == null) {
      return new ClipResult(clip.getFileName().toString(), sourceFrames, sampled, best, ours, null, null, null, null);
    }
    long ffBest = Long.MAX_VALUE;
    String error = null;
    for (int r = 0; r < repeat && error == null; r++) {
      final long t0 = System.nanoTime();
      error = runFfmpeg(ffmpeg, clip, fps);
      ffBest = Math.min(ffBest, System.nanoTime() - t0);
    }
    if (error != null) {
      return new ClipResult(clip.getFileName().toString(), sourceFrames, sampled, best, ours, null, null, null, error);
    }
    final double ff = sourceFrames * 1e9 / ffBest;
    return new ClipResult(clip.getFileName().toString(), sourceFrames, sampled, best, ours, ffBest, ff, ours / ff, null);
  }

  /** Frames delivered by our source at {@code sampleFps}. */
  private static long decode(final String location, final double sampleFps) {
    long n = 0;
    try (VideoFileSource source = VideoFileSource.open(location, DecodeOptions.DEFAULTS.withFps(sampleFps))) {
      Optional<VideoFrame> f;
      while ((f = source.next()).isPresent()) {
        n++;
      }
    }
    return n;
  }

  /** The ffmpeg command line for one clip. */
  public static List<String> ffmpegCommand(final Path ffmpeg, final Path clip, final double fps) {
    final List<String> cmd = new ArrayList<>(List.of(
        ffmpeg.toString(), "-hide_banner", "-nostats", "-loglevel", "error", "-i", clip.toString(), "-an", "-sn"));
    if (fps > 0) {
      cmd.add("-vf");
      cmd.add("fps=" + plain(fps));
    }
    cmd.addAll(List.of("-pix_fmt", "rgb24", "-f", "null", "-"));
    return cmd;
  }

  /** Runs ffmpeg once; null when it exited 0, else its exit code and error output. */
  private static @Nullable String runFfmpeg(final Path ffmpeg, final Path clip, final double fps) {
    try {
      final Process p = new ProcessBuilder(ffmpegCommand(ffmpeg, clip, fps))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      final String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      final int rc = p.waitFor();
      return rc == 0 ? null : "ffmpeg exited with " + rc + (err.isEmpty() ? "" : ": " + err);
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot run " + ffmpeg, e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /**
   * The ffmpeg binary: {@code given} when it is a path to an executable, else {@code given} looked up
   * on the PATH; empty when there is none.
   */
  public static Optional<Path> locateFfmpeg(final String given) {
    final Path direct = Path.of(given);
    if (given.contains(File.separator)) {
      return Files.isExecutable(direct) ? Optional.of(direct) : Optional.empty();
    }
    final String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (final String dir : path.split(File.pathSeparator)) {
      final Path candidate = Path.of(dir.isEmpty() ? "." : dir, given);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Plain decimal text of a double ("1", "2.5"), as ffmpeg's filter syntax wants it. */
  static String plain(final double v) {
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
