package io.vidctx.ingest.testing;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.VideoFrame;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A {@link FrameSource} over frames already in memory (test support). */
public final class ListFrameSource implements FrameSource {
  private final List<VideoFrame> frames;
  private int next;
  private boolean closed;

  public ListFrameSource(final List<VideoFrame> frames) {
    this.frames = List.copyOf(frames);
  }

  @Override
  public Optional<VideoFrame> next() {
    if (closed) {
      throw new IllegalStateException("source is closed");
    }
    return next < frames.size() ? Optional.of(frames.get(next++)) : Optional.empty();
  }

  @Override
  public OptionalLong expectedFrames() {
    return OptionalLong.of(frames.size());
  }

  @Override
  public String describe() {
    return frames.size() + " in-memory frames";
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
