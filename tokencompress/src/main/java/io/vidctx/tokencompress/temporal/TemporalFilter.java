package io.vidctx.tokencompress.temporal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Stage 1: drops frames whose global embedding says nothing new, and tells which kept frame's time
 * span absorbs each dropped one. One instance per stream; not thread-safe.
 *
 * <p>Contract: every accepted frame gets exactly one {@link FrameDecision}, in offer order, either
 * from the {@link #offer} call that brought it (last-kept form, or the call that closed its window)
 * or from {@link #flush}. At most {@code window - 1} frames are pending between calls. A dropped
 * frame is always absorbed by a kept frame that has been or is being decided in the same or an
 * earlier result, never by a future one beyond its window. The same input sequence gives the same
 * decisions, also after {@link #state()} / {@link #restore}.
 */
public final class TemporalFilter {
  /*
   * Design. LongVU's temporal reduction (ANCHORS.md §1, S1) in two forms on unit-length globals:
   *
   *  - WINDOW: frames are buffered into non-overlapping windows of W. When a window closes, each
   *    frame's score is its mean cosine to all W frames (itself included); the middle frame (index
   *    n/2) scores 0 when keepMiddle; frames scoring below the threshold are kept. A window that
   *    keeps nothing keeps its middle, so a dropped frame always has a kept frame in its own window
   *    to fold into: the nearest in time, the earlier on a tie. Cost O(W^2 * D) per window, i.e.
   *    O(W * D) per frame; memory W * D floats (flat, row-major) plus W times. Decisions wait up to
   *    W - 1 frames; the partial last window is decided by flush().
   *  - LAST_KEPT (EVS-style causal variant in S1): cosine of the frame to the last kept frame; at
   *    or above the threshold it is dropped and absorbed by that frame, unless it lies maxGap or
   *    more after it. Cost O(D) per frame, memory one D-vector; decisions are immediate. Unlike a
   *    comparison with the previous frame, slow drift accumulates against the last kept frame and
   *    eventually keeps a frame, so a slow change is not lost.
   *
   * Globals are copied and normalised on the way in (the encoder promises unit length; we do not
   * rely on it, and never alias the caller's arrays). Cosines are accumulated in double so results
   * do not depend on summation tricks.
   */

  private final TemporalFilterConfig config;
  private final FrameInputGuard guard;
  private long framesKept;
  private float[] lastKept;
  private long lastKeptSequence;
  private long lastKeptPts;
  /** Window form: flat unit-length globals of pending frames, capacity window * dim. */
  private float[] pending;
  private long[] pendingPts;
  private int pendingCount;
  private long nanos;

  private TemporalFilter(final TemporalFilterConfig config, final FrameInputGuard guard) {
    this.config = Objects.requireNonNull(config, "config");
    this.guard = guard;
    this.lastKept = new float[0];
    this.lastKeptSequence = -1;
    this.lastKeptPts = Long.MIN_VALUE;
    this.pending = new float[0];
    this.pendingPts = new long[config.window()];
  }

  /** A filter for a new stream. */
  public static TemporalFilter create(final TemporalFilterConfig config) {
    return new TemporalFilter(config, new FrameInputGuard());
  }

  /**
   * Resumes a stream from {@link #state()}. The config should be the one the state was made with;
   * a window smaller than the pending frames is rejected.
   */
  public static TemporalFilter restore(final TemporalFilterConfig config, final TemporalFilterState state) {
    if (state.pendingPts().length >= config.window() && state.pendingPts().length > 0) {
      throw new IllegalArgumentException("state has " + state.pendingPts().length + " pending frames, window is "
          + config.window());
    }
    final TemporalFilter f = new TemporalFilter(config,
        new FrameInputGuard(state.dim(), state.lastPtsMicros(), state.accepted()));
    f.framesKept = state.framesKept();
    f.lastKept = state.lastKept().clone();
    f.lastKeptSequence = state.lastKeptSequence();
    f.lastKeptPts = state.lastKeptPtsMicros();
    f.pendingCount = state.pendingPts().length;
    System.arraycopy(state.pendingPts(), 0, f.pendingPts, 0, f.pendingCount);
    f.pending = Arrays.copyOf(state.pendingGlobals(), config.window() * state.dim());
    return f;
  }

  /**
   * Offers the next frame.
   *
   * @param ptsMicros the frame's time, strictly after the previous frame's
   * @param global its global embedding (only read; any non-zero length, the same for all frames)
   * @return the decisions this frame resolved, in offer order: in the last-kept form exactly this
   *     frame's; in the window form none until the window closes, then the whole window's
   * @throws IllegalArgumentException for bad input (see {@link FrameInputGuard}); state is unchanged
   */
  public List<FrameDecision> offer(final long ptsMicros, final float[] global) {
    final long t0 = System.nanoTime();
    final double norm2 = guard.accept(ptsMicros, global);
    final long seq = guard.accepted() - 1;
    final int dim = guard.dim();
    final List<FrameDecision> out;
    if (!config.enabled()) {
      framesKept++;
      out = List.of(FrameDecision.keep(seq, ptsMicros));
    } else if (config.mode() == TemporalFilterConfig.Mode.LAST_KEPT) {
      out = List.of(decideLastKept(seq, ptsMicros, global, norm2, dim));
    } else {
      if (pending.length < config.window() * dim) {
        pending = new float[config.window() * dim];
      }
      FrameInputGuard.normalizeInto(global, norm2, pending, pendingCount * dim);
      pendingPts[pendingCount++] = ptsMicros;
      out = pendingCount == config.window() ? decideWindow(dim) : List.of();
    }
    nanos += System.nanoTime() - t0;
    return out;
  }

  /** Decides the frames still pending (window form: the partial last window); empty if none. */
  public List<FrameDecision> flush() {
    final long t0 = System.nanoTime();
    final List<FrameDecision> out = pendingCount == 0 ? List.of() : decideWindow(guard.dim());
    nanos += System.nanoTime() - t0;
    return out;
  }

  /** Frames offered but not yet decided; always less than the window. */
  public int pending() {
    return pendingCount;
  }

  public TemporalFilterConfig config() {
    return config;
  }

  public TemporalStats stats() {
    return new TemporalStats(guard.accepted(), guard.accepted() - pendingCount, framesKept, nanos);
  }

  /** A snapshot of the streaming state (copies; the filter goes on independently). */
  public TemporalFilterState state() {
    final int dim = guard.dim();
    return new TemporalFilterState(dim, guard.lastPtsMicros(), guard.accepted(), framesKept, lastKept.clone(),
        lastKeptSequence, lastKeptPts, Arrays.copyOf(pendingPts, pendingCount),
        Arrays.copyOf(pending, pendingCount * dim));
  }

  private FrameDecision decideLastKept(final long seq, final long pts, final float[] global, final double norm2,
      final int dim) {
    boolean keep = lastKeptSequence < 0;
    if (!keep) {
      double dot = 0;
      for (int i = 0; i < dim; i++) {
        dot += (double) global[i] * lastKept[i];
      }
      final double cos = dot / Math.sqrt(norm2);
      keep = cos < config.threshold()
          || (config.maxGapMicros() > 0 && pts - lastKeptPts >= config.maxGapMicros());
    }
    if (!keep) {
      return FrameDecision.drop(seq, pts, lastKeptSequence, lastKeptPts);
    }
    if (lastKept.length != dim) {
      lastKept = new float[dim];
    }
    FrameInputGuard.normalizeInto(global, norm2, lastKept, 0);
    lastKeptSequence = seq;
    lastKeptPts = pts;
    framesKept++;
    return FrameDecision.keep(seq, pts);
  }

  private List<FrameDecision> decideWindow(final int dim) {
    final int n = pendingCount;
    final long firstSeq = guard.accepted() - n;
    final double[] score = new double[n];
    for (int j = 0; j < n; j++) {
      for (int k = j; k < n; k++) {
        double dot = 0;
        final int oj = j * dim;
        final int ok = k * dim;
        for (int i = 0; i < dim; i++) {
          dot += (double) pending[oj + i] * pending[ok + i];
        }
        score[j] += dot;
        if (k != j) {
          score[k] += dot;
        }
      }
    }
    final int mid = n / 2;
    final boolean[] keep = new boolean[n];
    boolean any = false;
    for (int j = 0; j < n; j++) {
      keep[j] = (config.keepMiddle() && j == mid) || score[j] / n < config.threshold();
      any |= keep[j];
    }
    if (!any) {
      keep[mid] = true;
    }
    final List<FrameDecision> out = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      if (keep[j]) {
        out.add(FrameDecision.keep(firstSeq + j, pendingPts[j]));
        framesKept++;
        lastKeptSequence = firstSeq + j;
        lastKeptPts = pendingPts[j];
      } else {
        final int into = nearestKept(keep, j);
        out.add(FrameDecision.drop(firstSeq + j, pendingPts[j], firstSeq + into, pendingPts[into]));
      }
    }
    pendingCount = 0;
    return out;
  }

  /** The kept index nearest to {@code j} in time; the earlier on a tie. At least one is kept. */
  private int nearestKept(final boolean[] keep, final int j) {
    int best = -1;
    long bestGap = Long.MAX_VALUE;
    for (int k = 0; k < keep.length; k++) {
      if (keep[k]) {
        final long gap = Math.abs(pendingPts[k] - pendingPts[j]);
        if (gap < bestGap) {
          best = k;
          bestGap = gap;
        }
      }
    }
    return best;
  }
}
