package io.vidctx.ingest;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link FrameSource} over frames already in memory: frames decoded once and published, replayed
 * into a later stage, or assembled by a test. Frames come in list order; nothing is checked or
 * copied beyond the list itself.
 */
public final class ListFrameSource implements FrameSource {
  private final List<VideoFrame> frames;
  private final String description;
  private int next;
  private boolean closed;

  public ListFrameSource(final List<VideoFrame> frames, final String description) {
    this.frames = List.copyOf(frames);
    this.description = description;
  }

  public ListFrameSource(final List<VideoFrame> frames) {
    this(frames, frames.size() + " in-memory frames");
  }

  /** @throws IllegalStateException after {@link #close()} */
  @Override
  public Optional<VideoFrame> next() {
    if (closed) {
      throw new IllegalStateException("source is closed: " + description);
    }
    return next < frames.size() ? Optional.of(frames.get(next++)) : Optional.empty();
  }

  @Override
  public OptionalLong expectedFrames() {
    return OptionalLong.of(frames.size());
  }

  @Override
  public String describe() {
    return description;
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
