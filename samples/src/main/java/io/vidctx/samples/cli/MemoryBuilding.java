package io.vidctx.samples.cli;

import io.vidctx.encoder.EncodedBatches;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.VideoMemory;
import org.jspecify.annotations.Nullable;

/**
 * Decode, encode and compress one video into a memory, with a progress bar and per-stage timings:
 * the first half of {@code vidctx ask} and all of {@code vidctx compress}. A video that turns out to
 * be damaged part-way keeps what was decoded before the damage (the error is reported).
 */
final class MemoryBuilding {
  private MemoryBuilding() {}

  /** A built memory and what it took. */
  record Built(VideoMemory memory, long decodeNanos, long encodeNanos, long compressNanos, @Nullable String error) {}

  static Built build(final Terminal term, final String video, final DecodeOptions options, final VisionEncoder encoder,
      final int batchSize, final CompressorConfig config) {
    final HierarchicalCompressor compressor = new HierarchicalCompressor(config);
    final Tally n = new Tally();
    final EncodedBatches.Timings timings;
    try (VideoFileSource source = Decoding.open(video, options);
        Progress progress = term.progress("encode+compress", source.expectedFrames().orElse(-1), "fr")) {
      term.detail("decoding %s", source.describe());
      timings = EncodedBatches.run(source, encoder, batchSize, (batch, tokens) -> {
        final long tc = System.nanoTime();
        for (final FrameTokens t : tokens) {
          compressor.accept(t);
        }
        n.compressNanos += System.nanoTime() - tc;
        n.frames += tokens.size();
        progress.stepTo(n.frames);
      });
    }
    final String error = timings.error();
    if (n.frames == 0) {
      throw error != null ? new CliException(ExitCode.ERROR, error)
          : CliException.invalidInput("no frames in " + video + " for the requested range and rate: check --start/--end"
              + " against the duration ('vidctx info " + video + "')");
    }
    final long tc = System.nanoTime();
    compressor.flush();
    final VideoMemory memory = compressor.snapshot();
    return new Built(memory, timings.decodeNanos(), timings.encodeNanos(), n.compressNanos + System.nanoTime() - tc,
        error);
  }

  /** Counts the batch callback keeps. */
  private static final class Tally {
    long frames;
    long compressNanos;
  }
}
