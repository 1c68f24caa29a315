package io.vidctx.samples.cli;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import org.jspecify.annotations.Nullable;

/** Builds {@link DecodeOptions} from command options, turning bad values into exit code 2. */
final class Decoding {
  private Decoding() {}

  static DecodeOptions options(
      final String streamId, final double fps, final long startMicros, final @Nullable Long endMicros,
      final @Nullable Long maxFrames, final int width, final int height) {
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

  /**
   * Opens a video. {@link VideoFileSource#open} throws the base {@link IngestException} (no subclass)
   * only when the request does not fit a readable input (a start past the end): that is a bad
   * argument, exit code 2. Typed failures keep their own mapping in {@link Cli#exitCodeOf}.
   */
  static VideoFileSource open(final String location, final DecodeOptions options) {
    try {
      return VideoFileSource.open(location, options);
    } catch (final IngestException e) {
      if (e.getClass() == IngestException.class) {
        throw new CliException(ExitCode.INVALID_INPUT, e.getMessage(), e);
      }
      throw e;
    }
  }
}
