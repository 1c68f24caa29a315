package io.vidctx.samples.cli;

import io.vidctx.encoder.EncodedBatches;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.encoder.ocr.OcrPass;
import io.vidctx.encoder.ocr.OcrSchedule;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.VideoMemory;
import org.jspecify.annotations.Nullable;

/**
 * Decode, encode and compress one video into a memory, with a progress bar and per-stage timings:
 * the first half of {@code vidctx ask} and all of {@code vidctx compress}. A video that turns out to
 * be damaged part-way keeps what was decoded before the damage (the error is reported). With OCR, the
 * frames the schedule picks are read as they pass, and their text tokens join the memory.
 */
final class MemoryBuilding {
  private MemoryBuilding() {}

  /** A built memory and what it took; {@code ocr} is null when OCR did not run. */
  record Built(VideoMemory memory, long decodeNanos, long encodeNanos, long compressNanos, @Nullable String error,
      @Nullable OcrCost ocr) {}

  /** What on-screen text reading cost: frames seen and read, detection and recognition time, text boxes. */
  record OcrCost(long frames, long read, long detectNanos, long recognizeNanos, long crops, int textTokens) {
    long nanos() {
      return detectNanos + recognizeNanos;
    }
  }

  /** OCR to run beside the encoder, or none. */
  record Ocr(OcrEngine engine, OcrSchedule.Config schedule) {}

  static Built build(final Terminal term, final String video, final DecodeOptions options, final VisionEncoder encoder,
      final int batchSize, final CompressorConfig config) {
    return build(term, video, options, encoder, batchSize, config, null);
  }

  /**
   * Builds the memory; with {@code ocr}, each frame the schedule picks is read too, and the text tokens
   * join the memory as their text leaves the screen.
   */
  static Built build(final Terminal term, final String video, final DecodeOptions options, final VisionEncoder encoder,
      final int batchSize, final CompressorConfig config, final @Nullable Ocr ocr) {
    final HierarchicalCompressor compressor = new HierarchicalCompressor(config);
    final OcrPass pass = ocr == null ? null : new OcrPass(ocr.schedule());
    final Tally n = new Tally();
    final EncodedBatches.Timings timings;
    try (VideoFileSource source = Decoding.open(video, options);
        Progress progress = term.progress("encode+compress", source.expectedFrames().orElse(-1), "fr")) {
      term.detail("decoding %s", source.describe());
      timings = EncodedBatches.run(source, encoder, batchSize, (batch, tokens) -> {
        if (pass != null) {
          for (final VideoFrame f : batch) {
            pass.accept(f.ptsMicros(), f.width(), f.height(), f.rgb(), ocr.engine());
          }
        }
        final long tc = System.nanoTime();
        for (final FrameTokens t : tokens) {
          compressor.accept(t);
        }
        if (pass != null) {
          pass.drainClosed().forEach(compressor::acceptText);
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
    if (pass != null) {
      pass.finish().forEach(compressor::acceptText);
    }
    compressor.flush();
    final VideoMemory memory = compressor.snapshot();
    final OcrCost cost = pass == null ? null : new OcrCost(pass.frames(), pass.read(), pass.detectNanos(),
        pass.recognizeNanos(), pass.crops(), memory.texts().size());
    return new Built(memory, timings.decodeNanos(), timings.encodeNanos(), n.compressNanos + System.nanoTime() - tc,
        error, cost);
  }

  /** Counts the batch callback keeps. */
  private static final class Tally {
    long frames;
    long compressNanos;
  }
}
