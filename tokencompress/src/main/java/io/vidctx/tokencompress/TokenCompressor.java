package io.vidctx.tokencompress;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.ocr.TextToken;
import java.util.List;

/**
 * The seam between encoder and selection: one stream's frame tokens in, a bounded {@link
 * VideoMemory} out. Implementations are per stream and single-threaded.
 */
public interface TokenCompressor {

  /**
   * Takes the stream's next frame.
   *
   * @throws IllegalArgumentException for a frame that does not fit the stream (other grid or dim,
   *     another stream id, a non-finite value, a time not after the previous frame's); nothing
   *     changes, so the caller may skip the frame and go on
   */
  void accept(FrameTokens frame);

  /**
   * Takes a text token of the stream (on-screen text read by OCR over its time span). A compressor
   * without a text memory ignores it.
   */
  default void acceptText(TextToken token) {}

  /** Ends the stream: everything accepted is in the memory afterwards. */
  void flush();

  /** The memory now, including the frames still being compressed (the unit in progress). */
  VideoMemory snapshot();

  /** Per-stage statistics so far. */
  List<StageStats> stats();
}
