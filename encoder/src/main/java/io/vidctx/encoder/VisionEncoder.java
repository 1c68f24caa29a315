package io.vidctx.encoder;

import io.vidctx.ingest.VideoFrame;
import java.util.List;

/** Turns frames into visual tokens. Holds a model: close it. Implementations are thread-safe. */
public interface VisionEncoder extends AutoCloseable {

  /** Encodes a batch; the result has one entry per frame, in the same order. */
  List<FrameTokens> encode(List<VideoFrame> frames);

  /** Embedding width of patch and global tokens. */
  int dim();

  @Override
  void close();
}
