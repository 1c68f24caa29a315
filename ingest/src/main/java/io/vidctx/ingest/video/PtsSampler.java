package io.vidctx.ingest.video;

/*
 * Sampling by presentation time. The time line from startMicros is cut into slots of 1/fps; the
 * first decoded frame whose time falls into a slot is kept and the rest of that slot is skipped.
 * That works the same for constant and variable frame rates and never invents or re-times a frame:
 * a source slower than the target rate keeps every frame, a gap in the source leaves slots empty.
 *
 * A frame a hair before a slot boundary (time bases that do not divide a second evenly, such as
 * 1001/30000, put frames a microsecond early) counts for the next slot: the slack is 1 % of a slot.
 */

/**
 * Decides, frame by frame, which decoded frames to deliver. Pure arithmetic on microsecond times:
 * no native state, so it is unit-tested on its own.
 *
 * <p>Invariants: accepted times are strictly increasing; at most one frame is accepted per slot
 * {@code [start + k/fps, start + (k+1)/fps)} (with 1 % slack); nothing before {@code startMicros} or
 * at/after {@code endMicros} is accepted; after {@code maxFrames} acceptances {@link #isDone()} holds.
 */
final class PtsSampler {

  enum Verdict {
    /** Deliver this frame. */
    TAKE,
    /** Skip it (too early, same slot as the last delivered one, or not after the last time). */
    SKIP,
    /** This frame and everything after it are past the end: stop decoding. */
    END
  }

  private final double slotMicros;
  private final double slackMicros;
  private final long startMicros;
  private final long endMicros;
  private final long maxFrames;
  private double nextDue;
  private long lastTaken = Long.MIN_VALUE;
  private long taken;

  /**
   * @param fps target rate; 0 keeps every frame (only the range, limit and monotonic-time rules apply)
   * @param startMicros first time to deliver
   * @param endMicros exclusive end, or -1 for none
   * @param maxFrames delivery limit, or -1 for none
   */
  PtsSampler(final double fps, final long startMicros, final long endMicros, final long maxFrames) {
    if (!(fps >= 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be >= 0, was " + fps);
    }
    this.slotMicros = fps == 0 ? 0 : 1_000_000.0 / fps;
    this.slackMicros = slotMicros * 0.01;
    this.startMicros = startMicros;
    this.endMicros = endMicros;
    this.maxFrames = maxFrames;
    this.nextDue = startMicros;
  }

  Verdict offer(final long ptsMicros) {
    if (isDone() || (endMicros >= 0 && ptsMicros >= endMicros)) {
      return Verdict.END;
    }
    if (ptsMicros <= lastTaken || ptsMicros + slackMicros < nextDue) {
      return Verdict.SKIP;
    }
    if (slotMicros > 0) {
      final double slot = Math.floor((ptsMicros + slackMicros - startMicros) / slotMicros);
      nextDue = startMicros + (slot + 1) * slotMicros;
    }
    lastTaken = ptsMicros;
    taken++;
    return Verdict.TAKE;
  }

  /** True once {@code maxFrames} frames were accepted. */
  boolean isDone() {
    return maxFrames >= 0 && taken >= maxFrames;
  }

  long taken() {
    return taken;
  }
}
