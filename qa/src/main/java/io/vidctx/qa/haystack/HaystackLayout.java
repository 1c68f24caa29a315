package io.vidctx.qa.haystack;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/*
 * The time line of a haystack stream, pure arithmetic on frame counts (no decoding, so it is
 * unit-tested on its own).
 *
 * Every frame of the stream, haystack or needle, sits on one grid: frame k is at round(k / fps) in
 * microseconds. The haystack alone has N frames, so its duration is D = N / fps. A needle of depth d
 * goes in front of haystack frame ceil(d * N) (the first sampled time >= d * D; d = 1 puts it after
 * the last frame), and takes ceil(duration * fps) frames, so the haystack frames behind it move back
 * by that many frame periods. Inserting rather than overwriting keeps every haystack frame, so a
 * needle-free run of the same haystack is the reference for everything outside the needles, and a
 * needle can never run past the end of the stream.
 */

/**
 * Where the needles of a haystack go, given the haystack's frame count.
 *
 * <p>Invariants: needles are held in stream order with strictly increasing insertion points (two
 * needles in front of the same haystack frame would merge into one interval, so they are refused);
 * {@link #intervals()} are disjoint, in stream order, and cover exactly the needle frames.
 */
final class HaystackLayout {

  // Depth times frame count in floating point can land a hair above a whole number (0.3 * 10).
  private static final double EPS = 1e-9;

  private final long haystackFrames;
  private final double fps;
  private final int[] specIndex;
  private final long[] insertAt;
  private final long[] needleFrames;
  private final List<NeedleInterval> intervals;
  private final long totalFrames;

  private HaystackLayout(final long haystackFrames, final double fps, final int[] specIndex,
      final long[] insertAt, final long[] needleFrames, final List<NeedleInterval> intervals, final long totalFrames) {
    this.haystackFrames = haystackFrames;
    this.fps = fps;
    this.specIndex = specIndex;
    this.insertAt = insertAt;
    this.needleFrames = needleFrames;
    this.intervals = intervals;
    this.totalFrames = totalFrames;
  }

  /**
   * Places the needles on a haystack of {@code haystackFrames} frames sampled at {@code fps}.
   *
   * @throws IllegalArgumentException a needle longer than the haystack, or two needles that land in
   *     front of the same haystack frame
   */
  static HaystackLayout plan(final long haystackFrames, final double fps, final List<Needle> needles) {
    if (haystackFrames < 0) {
      throw new IllegalArgumentException("haystack frame count must be >= 0, was " + haystackFrames);
    }
    final List<Integer> order = new ArrayList<>(needles.size());
    for (int i = 0; i < needles.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble(i -> needles.get(i).depth()));
    final List<Needle> sorted = new ArrayList<>(needles.size());
    final int[] specIndex = new int[needles.size()];
    for (int i = 0; i < order.size(); i++) {
      specIndex[i] = order.get(i);
      sorted.add(needles.get(order.get(i)));
    }
    final long haystackMicros = ptsMicros(haystackFrames, fps);
    final long[] at = new long[sorted.size()];
    final long[] frames = new long[sorted.size()];
    final List<NeedleInterval> out = new ArrayList<>(sorted.size());
    long inserted = 0;
    for (int i = 0; i < sorted.size(); i++) {
      final Needle n = sorted.get(i);
      if (n.durationMicros() > haystackMicros) {
        throw new IllegalArgumentException("needle '" + n.label() + "' (" + n.durationMicros()
            + " us) is longer than the haystack (" + haystackMicros + " us, " + haystackFrames + " frames at " + fps
            + " fps); use a shorter needle or more clips");
      }
      at[i] = Math.min(haystackFrames, (long) Math.ceil(n.depth() * haystackFrames - EPS));
      frames[i] = needleFrames(n.durationMicros(), fps);
      if (i > 0 && at[i] == at[i - 1]) {
        final Needle prev = sorted.get(i - 1);
        throw new IllegalArgumentException("needles '" + prev.label() + "' (depth " + prev.depth() + ") and '"
            + n.label() + "' (depth " + n.depth() + ") overlap: both go in front of haystack frame " + at[i] + " of "
            + haystackFrames + "; keep depths at least 1/" + haystackFrames + " apart");
      }
      final long first = at[i] + inserted;
      final long last = first + frames[i] - 1;
      out.add(new NeedleInterval(n.label(), ptsMicros(first, fps), ptsMicros(last, fps), first, last));
      inserted += frames[i];
    }
    return new HaystackLayout(haystackFrames, fps, specIndex, at, frames, List.copyOf(out),
        haystackFrames + inserted);
  }

  /** Frames showing a needle of this duration: the sampled times in [start, start + duration). */
  static long needleFrames(final long durationMicros, final double fps) {
    return Math.max(1, (long) Math.ceil(durationMicros * fps / 1_000_000.0 - EPS));
  }

  /** The grid time of stream frame {@code k}, in microseconds. */
  static long ptsMicros(final long k, final double fps) {
    return Math.round(k * 1_000_000.0 / fps);
  }

  long haystackMicros() {
    return ptsMicros(haystackFrames, fps);
  }

  long totalFrames() {
    return totalFrames;
  }

  int needleCount() {
    return specIndex.length;
  }

  /** Position in the spec's needle list of the i-th needle in stream order. */
  int specIndex(final int i) {
    return specIndex[i];
  }

  /** How many haystack frames come before the i-th needle (in stream order). */
  long insertAt(final int i) {
    return insertAt[i];
  }

  long needleFrames(final int i) {
    return needleFrames[i];
  }

  List<NeedleInterval> intervals() {
    return intervals;
  }
}
