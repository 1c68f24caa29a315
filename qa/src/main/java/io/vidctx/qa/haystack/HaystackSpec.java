package io.vidctx.qa.haystack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link HaystackSource} plays: real clips back to back, sampled at {@code fps} and decoded at
 * one frame size, with needles inserted. Checks only what it can know without reading the clips;
 * whether the needles fit the haystack's duration is checked by the source once it is known.
 *
 * @param clips the stretches of footage, in playing order; at least one
 * @param fps sampling rate, in (0, 1000]; also the stream's frame rate (frame k is at k / fps)
 * @param width output width of every frame (clips are scaled to it, needles letterboxed into it)
 * @param height output height of every frame
 * @param streamId stream id stamped on every frame; not blank
 * @param needles the needles, in any order; no two at the same depth
 */
public record HaystackSpec(
    List<Clip> clips, double fps, int width, int height, String streamId, List<Needle> needles) {

  /** Output width when none is given (16:9, small enough for fast tests and grids). */
  public static final int DEFAULT_WIDTH = 320;

  /** Output height when none is given. */
  public static final int DEFAULT_HEIGHT = 180;

  /** Stream id when none is given. */
  public static final String DEFAULT_STREAM_ID = "haystack";

  // pts are whole microseconds on the grid k / fps; far above any real sampling rate, neighbouring
  // frames would share a microsecond.
  private static final double MAX_FPS = 1000;

  public HaystackSpec {
    clips = List.copyOf(Objects.requireNonNull(clips, "clips"));
    needles = List.copyOf(Objects.requireNonNull(needles, "needles"));
    Objects.requireNonNull(streamId, "streamId");
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("a haystack needs at least one clip, got none");
    }
    if (!(fps > 0 && fps <= MAX_FPS)) {
      throw new IllegalArgumentException("fps must be > 0 and at most " + MAX_FPS + ", was " + fps);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("output size must be positive, was " + width + "x" + height);
    }
    if (streamId.isBlank()) {
      throw new IllegalArgumentException("streamId must not be blank");
    }
    final List<Needle> byDepth = new ArrayList<>(needles);
    byDepth.sort(Comparator.comparingDouble(Needle::depth));
    for (int i = 1; i < byDepth.size(); i++) {
      final Needle a = byDepth.get(i - 1);
      final Needle b = byDepth.get(i);
      if (a.depth() == b.depth()) {
        throw new IllegalArgumentException("needles '" + a.label() + "' and '" + b.label() + "' overlap: both at depth "
            + a.depth() + "; give each needle its own depth");
      }
    }
  }

  /** The whole clips at {@code fps}, {@value #DEFAULT_WIDTH}x{@value #DEFAULT_HEIGHT}, no needles. */
  public static HaystackSpec of(final List<Path> clips, final double fps) {
    return playlist(clips.stream().map(Clip::whole).toList(), fps);
  }

  /** A playlist of clip stretches at {@code fps}, {@value #DEFAULT_WIDTH}x{@value #DEFAULT_HEIGHT}, no needles. */
  public static HaystackSpec playlist(final List<Clip> clips, final double fps) {
    return new HaystackSpec(clips, fps, DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_STREAM_ID, List.of());
  }

  public HaystackSpec withSize(final int w, final int h) {
    return new HaystackSpec(clips, fps, w, h, streamId, needles);
  }

  public HaystackSpec withStreamId(final String id) {
    return new HaystackSpec(clips, fps, width, height, id, needles);
  }

  /** The same haystack with these needles instead of the current ones. */
  public HaystackSpec withNeedles(final List<Needle> newNeedles) {
    return new HaystackSpec(clips, fps, width, height, streamId, newNeedles);
  }

  /** The same haystack with one more needle. */
  public HaystackSpec withNeedle(final Needle needle) {
    final List<Needle> more = new ArrayList<>(needles);
    more.add(needle);
    return withNeedles(more);
  }
}
