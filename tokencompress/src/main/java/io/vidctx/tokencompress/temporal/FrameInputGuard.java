package io.vidctx.tokencompress.temporal;

/**
 * Checks one stream's per-frame input before a stage touches its state: every global embedding has
 * the dimension of the first one, holds only finite values and is not all zeros; presentation times
 * strictly increase.
 *
 * <p>Policy: a bad frame throws {@link IllegalArgumentException} naming the bad value and the frame's
 * position (0-based count of frames accepted so far) and leaves the guard, and the stage that owns
 * it, exactly as before the call, so a caller may log, skip the frame and go on. Duplicate
 * timestamps are rejected like out-of-order ones: two frames at one instant are a producer bug or a
 * redelivery, and a stage cannot tell which copy is right. Callers that replay input (Kafka
 * at-least-once) skip frames whose time is not after {@link #lastPtsMicros()}.
 *
 * <p>Not thread-safe: one guard per stream.
 */
public final class FrameInputGuard {
  private int dim;
  private long lastPtsMicros;
  private long accepted;

  /** A guard for a new stream: the first frame fixes the dimension. */
  public FrameInputGuard() {
    this(0, Long.MIN_VALUE, 0);
  }

  /**
   * A guard resumed from saved state.
   *
   * @param dim the stream's dimension, 0 before its first frame
   * @param lastPtsMicros time of the last accepted frame ({@link Long#MIN_VALUE} before the first)
   * @param accepted frames accepted so far, never negative
   */
  public FrameInputGuard(final int dim, final long lastPtsMicros, final long accepted) {
    if (dim < 0 || accepted < 0 || (dim == 0) != (accepted == 0)) {
      throw new IllegalArgumentException(
          "inconsistent guard state: dim " + dim + ", accepted " + accepted + " (dim is 0 exactly when nothing was accepted)");
    }
    this.dim = dim;
    this.lastPtsMicros = lastPtsMicros;
    this.accepted = accepted;
  }

  /**
   * Checks one frame and, if it is valid, records it as accepted.
   *
   * @return the squared L2 norm of {@code global} (positive and finite), so callers can normalise
   *     without a second pass
   * @throws IllegalArgumentException for a dimension change, a NaN or infinite value, an all-zero
   *     vector, or a time not after the previous frame's; nothing is recorded then
   */
  public double accept(final long ptsMicros, final float[] global) {
    final long position = accepted;
    if (global.length == 0) {
      throw new IllegalArgumentException("frame " + position + " at " + ptsMicros + " us: empty global embedding");
    }
    if (dim != 0 && global.length != dim) {
      throw new IllegalArgumentException("frame " + position + " at " + ptsMicros + " us: global embedding has "
          + global.length + " values, the stream's frames have " + dim);
    }
    if (accepted > 0 && ptsMicros <= lastPtsMicros) {
      throw new IllegalArgumentException("frame " + position + ": time " + ptsMicros + " us is not after the previous frame's "
          + lastPtsMicros + " us (times must strictly increase; duplicates are rejected)");
    }
    double norm2 = 0;
    for (int i = 0; i < global.length; i++) {
      final float v = global[i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            "frame " + position + " at " + ptsMicros + " us: global embedding value " + i + " is " + v);
      }
      norm2 += (double) v * v;
    }
    if (!(norm2 > 0) || !Double.isFinite(norm2)) {
      throw new IllegalArgumentException("frame " + position + " at " + ptsMicros + " us: global embedding has norm^2 "
          + norm2 + " (cosine is undefined)");
    }
    dim = global.length;
    lastPtsMicros = ptsMicros;
    accepted++;
    return norm2;
  }

  /** The stream's dimension; 0 before the first frame. */
  public int dim() {
    return dim;
  }

  /** Time of the last accepted frame; {@link Long#MIN_VALUE} before the first. */
  public long lastPtsMicros() {
    return lastPtsMicros;
  }

  /** Frames accepted so far; never negative. */
  public long accepted() {
    return accepted;
  }

  /**
   * Copies {@code global} scaled to unit length into {@code dst} at {@code offset}; {@code norm2} is
   * what {@link #accept} returned for it. {@code global} is only read.
   */
  public static void normalizeInto(final float[] global, final double norm2, final float[] dst, final int offset) {
    final double inv = 1.0 / Math.sqrt(norm2);
    for (int i = 0; i < global.length; i++) {
      dst[offset + i] = (float) (global[i] * inv);
    }
  }
}
