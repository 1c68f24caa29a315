package io.vidctx.encoder;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The decode-and-encode loop of everything that encodes a video (the commands, the evaluation):
 * frames in batches of the runtime's size through the encoder, decode and encode time kept apart. A video damaged part-way ends the loop
 * with what was decoded before the damage handed on, and the error kept for the report.
 */
public final class EncodedBatches {
  private EncodedBatches() {}

  /** Receives each batch: the frames and their tokens, in order; the frame list is reused after it returns. */
  public interface Sink {
    void accept(List<VideoFrame> frames, List<FrameTokens> tokens);
  }

  /** Time spent decoding and encoding, and the damage that ended the video early (or null). */
  public record Timings(long decodeNanos, long encodeNanos, @Nullable String error) {}

  public static Timings run(final FrameSource source, final VisionEncoder encoder, final int batchSize, final Sink sink) {
    long decodeNanos = 0;
    long encodeNanos = 0;
    String error = null;
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
        final long te = System.nanoTime();
        final List<FrameTokens> tokens = encoder.encode(pending);
        encodeNanos += System.nanoTime() - te;
        sink.accept(pending, tokens);
        pending.clear();
      }
    }
    return new Timings(decodeNanos, encodeNanos, error);
  }
}
