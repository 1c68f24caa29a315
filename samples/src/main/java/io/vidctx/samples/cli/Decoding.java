package io.vidctx.samples.cli;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;

/** Opens videos for the commands, mapping a request that does not fit the video to exit code 2. */
final class Decoding {
  private Decoding() {}

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
