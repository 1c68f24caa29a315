package io.vidctx.tokencompress.temporal;

import java.util.Objects;

/**
 * Settings of the temporal redundancy filter (stage 1, LongVU TR). Defaults are calibrated for the
 * built-in encoder on the shared footage (module README, "Calibration (built-in encoder)").
 *
 * @param enabled false keeps every frame (the filter still validates input and counts)
 * @param mode {@link Mode#LAST_KEPT} decides each frame at once; {@link Mode#WINDOW} decides a window
 *     of frames when it closes
 * @param window frames per non-overlapping window ({@link Mode#WINDOW} only), at least 1
 * @param threshold cosine in [-1, 1]: last-kept form drops a frame whose cosine to the last kept
 *     frame is at least this; window form drops a frame whose mean cosine to its window (itself
 *     included) is at least this
 * @param keepMiddle window form: the window's middle frame is always kept (LongVU)
 * @param maxGapMicros last-kept form: a frame at least this long after the last kept frame is kept
 *     whatever its similarity, so long static stretches are still sampled; 0 turns it off
 */
public record TemporalFilterConfig(
    boolean enabled, Mode mode, int window, double threshold, boolean keepMiddle, long maxGapMicros) {

  /** How frames are compared. */
  public enum Mode {
    /** LongVU's form: non-overlapping windows, mean cosine to the window; decisions wait for the window. */
    WINDOW,
    /** Streaming form: cosine to the last kept frame; each frame is decided when offered. */
    LAST_KEPT
  }

  /** LongVU's window (ANCHORS.md S1). */
  public static final int DEFAULT_WINDOW = 16;
  /** Last-kept threshold for the built-in encoder (LongVU's 0.83 was for flattened DINOv2 maps). */
  public static final double DEFAULT_LAST_KEPT_THRESHOLD = 0.99;
  /** Window threshold for the built-in encoder: a mean over the window sits lower than a pairwise cosine. */
  public static final double DEFAULT_WINDOW_THRESHOLD = 0.97;
  /** At least one kept frame per 10 s of static footage. */
  public static final long DEFAULT_MAX_GAP_MICROS = 10_000_000L;

  /** The streaming default: last-kept form, threshold 0.99, a sample at least every 10 s. */
  public static final TemporalFilterConfig DEFAULTS = new TemporalFilterConfig(
      true, Mode.LAST_KEPT, DEFAULT_WINDOW, DEFAULT_LAST_KEPT_THRESHOLD, true, DEFAULT_MAX_GAP_MICROS);

  /** LongVU's window form with its window of 16 and the middle frame kept, threshold recalibrated (0.97). */
  public static final TemporalFilterConfig WINDOW_DEFAULTS = new TemporalFilterConfig(
      true, Mode.WINDOW, DEFAULT_WINDOW, DEFAULT_WINDOW_THRESHOLD, true, DEFAULT_MAX_GAP_MICROS);

  public TemporalFilterConfig {
    Objects.requireNonNull(mode, "mode");
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1 frame, was " + window);
    }
    if (!(threshold >= -1 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be a cosine in [-1, 1], was " + threshold);
    }
    if (maxGapMicros < 0) {
      throw new IllegalArgumentException("maxGapMicros must be >= 0 (0 = off), was " + maxGapMicros);
    }
  }

  public TemporalFilterConfig withEnabled(final boolean on) {
    return new TemporalFilterConfig(on, mode, window, threshold, keepMiddle, maxGapMicros);
  }

  public TemporalFilterConfig withMode(final Mode m) {
    return new TemporalFilterConfig(enabled, m, window, threshold, keepMiddle, maxGapMicros);
  }

  public TemporalFilterConfig withWindow(final int w) {
    return new TemporalFilterConfig(enabled, mode, w, threshold, keepMiddle, maxGapMicros);
  }

  public TemporalFilterConfig withThreshold(final double t) {
    return new TemporalFilterConfig(enabled, mode, window, t, keepMiddle, maxGapMicros);
  }

  public TemporalFilterConfig withKeepMiddle(final boolean k) {
    return new TemporalFilterConfig(enabled, mode, window, threshold, k, maxGapMicros);
  }

  public TemporalFilterConfig withMaxGapMicros(final long g) {
    return new TemporalFilterConfig(enabled, mode, window, threshold, keepMiddle, g);
  }
}
