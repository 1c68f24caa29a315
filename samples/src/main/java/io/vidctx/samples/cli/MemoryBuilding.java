package io.vidctx.samples.cli;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.VideoMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decode, encode and compress one video into a memory, with a progress bar and per-stage timings:
 * the first half of {@code vidctx ask} and all of {@code vidctx compress}. A video that turns out to
 * be damaged part-way keeps what was decoded before the damage (the error is reported).
 */
final class MemoryBuilding {
  private MemoryBuilding() {}

  /** A built memory and what it took. */
  record Built(VideoMemory memory, long frames, int frameWidth, int frameHeight, long decodeNanos, long encodeNanos,
      long compressNanos, @Nullable String error) {}

  static Built build(final Terminal term, final String video, final DecodeOptions options, final VisionEncoder encoder,
      final int batchSize, final CompressorConfig config) {
    final HierarchicalCompressor compressor = new HierarchicalCompressor(config);
    long decodeNanos = 0;
    long encodeNanos = 0;
    long compressNanos = 0;
    long frames = 0;
    int width = 0;
    int height = 0;
    String error = null;
    try (VideoFileSource source = Decoding.open(video, options);
        Progress progress = term.progress("encode+compress", source.expectedFrames().orElse(-1), "fr")) {
      term.detail("decoding %s", source.describe());
      final List<VideoFrame> pending = new ArrayList<>(batchSize);
      boolean more = true;
      while (more) {
        final long td = System.nanoTime();
        try {
          final Optional<VideoFrame> next = source.next();
          if (next.isPresent()) {
            pending.add(next.get());
          } else {
            more = false;
          }
        } catch (final IngestException.CorruptVideoException e) {
          error = e.getMessage();
          more = false;
        }
        decodeNanos += System.nanoTime() - td;
        if (pending.size() == batchSize || (!more && !pending.isEmpty())) {
          if (width == 0) {
            width = pending.get(0).width();
            height = pending.get(0).height();
          }
          final long te = System.nanoTime();
          final List<FrameTokens> tokens = encoder.encode(pending);
          encodeNanos += System.nanoTime() - te;
          final long tc = System.nanoTime();
          for (final FrameTokens t : tokens) {
            compressor.accept(t);
          }
          compressNanos += System.nanoTime() - tc;
          frames += tokens.size();
          progress.stepTo(frames);
          pending.clear();
        }
      }
    }
    if (frames == 0) {
      throw error != null ? new CliException(ExitCode.ERROR, error)
          : CliException.invalidInput("no frames in " + video + " for the requested range and rate: check --start/--end"
              + " against the duration ('vidctx info " + video + "')");
    }
    final long tc = System.nanoTime();
    compressor.flush();
    final VideoMemory memory = compressor.snapshot();
    compressNanos += System.nanoTime() - tc;
    return new Built(memory, frames, width, height, decodeNanos, encodeNanos, compressNanos, error);
  }
}
