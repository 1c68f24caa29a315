package io.vidctx.samples.demo;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.VideoFrame;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A {@link FrameSource} over frames already in memory (decoded once, published from here). */
public final class ListFrameSource implements FrameSource {
  private final List<VideoFrame> frames;
  private final String description;
  private int next;

  public ListFrameSource(final List<VideoFrame> frames, final String description) {
    this.frames = List.copyOf(frames);
    this.description = description;
  }

  @Override
  public Optional<VideoFrame> next() {
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

  @Override
  public void close() {}
}
