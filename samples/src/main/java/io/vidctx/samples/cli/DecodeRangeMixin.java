package io.vidctx.samples.cli;

import io.vidctx.ingest.video.DecodeOptions;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options every command that decodes a video shares: sampling rate, time range, frame limit and
 * output size. {@link #toOptions} checks them together and turns bad values into exit code 2.
 */
final class DecodeRangeMixin {

  @Option(names = "--fps", paramLabel = "<fps>", defaultValue = "1",
      description = "Frames per second to keep, by presentation time; 0 keeps every frame.")
  double fps;

  @Option(names = "--start", paramLabel = "<time>", converter = TimeConverter.class, defaultValue = "0",
      description = "First time to keep (seconds, MM:SS or HH:MM:SS.mmm).")
  long startMicros;

  @Option(names = "--end", paramLabel = "<time>", converter = TimeConverter.class,
      description = "Stop before this time (default: the end of the video).")
  @Nullable Long endMicros;

  @Option(names = "--max-frames", paramLabel = "<n>", description = "Stop after this many frames (default: no limit).")
  @Nullable Long maxFrames;

  @Option(names = "--width", paramLabel = "<px>", defaultValue = "0",
      description = "Frame width (FFmpeg scales); 0 keeps the source width, or the aspect ratio when only --height is given.")
  int width;

  @Option(names = "--height", paramLabel = "<px>", defaultValue = "0", description = "Frame height; 0 as for --width.")
  int height;

  DecodeOptions toOptions(final String streamId) {
    if (!(fps >= 0) || Double.isInfinite(fps)) {
      throw CliException.invalidInput("--fps must be >= 0 (0 keeps every frame), was " + fps);
    }
    if (endMicros != null && endMicros <= startMicros) {
      throw CliException.invalidInput("--end (" + TimeConverter.format(endMicros) + ") must be after --start ("
          + TimeConverter.format(startMicros) + ")");
    }
    if (maxFrames != null && maxFrames < 1) {
      throw CliException.invalidInput("--max-frames must be >= 1, was " + maxFrames);
    }
    if (width < 0 || height < 0) {
      throw CliException.invalidInput("--width/--height must be >= 0 (0 keeps the source size), was " + width + "x" + height);
    }
    try {
      return new DecodeOptions(streamId, fps, startMicros, endMicros == null ? -1 : endMicros,
          maxFrames == null ? -1 : maxFrames, width, height);
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput(e.getMessage());
    }
  }

  /** "between 00:05.000 and the end", for messages. */
  String describeRange() {
    return "between " + TimeConverter.format(startMicros) + " and "
        + (endMicros == null ? "the end" : TimeConverter.format(endMicros));
  }
}
