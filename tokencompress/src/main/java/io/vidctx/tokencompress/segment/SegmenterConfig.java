package io.vidctx.tokencompress.segment;

/**
 * Settings of scene segmentation (stage 2). Defaults are calibrated for the built-in encoder on the
 * shared footage (module README, "Calibration (built-in encoder)").
 *
 * @param enabled false puts the whole stream in one segment (input is still validated)
 * @param threshold cosine in [-1, 1]: a frame opens a new segment when its cosine to the running
 *     segment centroid and its cosine to the previous frame are both below this
 * @param minDurationMicros no boundary is opened less than this after the current segment's start
 *     (one odd frame cannot make a segment of its own shorter than this); 0 turns it off
 * @param maxDurationMicros a frame this long or longer after the segment's start always opens a new
 *     one, whatever its similarity; at least {@code minDurationMicros} and positive
 */
public record SegmenterConfig(boolean enabled, double threshold, long minDurationMicros, long maxDurationMicros) {

  public static final double DEFAULT_THRESHOLD = 0.9;
  public static final long DEFAULT_MIN_DURATION_MICROS = 1_000_000L;
  public static final long DEFAULT_MAX_DURATION_MICROS = 60_000_000L;

  /** Threshold 0.9, segments of 1 s to 60 s. */
  public static final SegmenterConfig DEFAULTS =
      new SegmenterConfig(true, DEFAULT_THRESHOLD, DEFAULT_MIN_DURATION_MICROS, DEFAULT_MAX_DURATION_MICROS);

  public SegmenterConfig {
    if (!(threshold >= -1 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be a cosine in [-1, 1], was " + threshold);
    }
    if (minDurationMicros < 0) {
      throw new IllegalArgumentException("minDurationMicros must be >= 0, was " + minDurationMicros);
    }
    if (maxDurationMicros <= 0 || maxDurationMicros < minDurationMicros) {
      throw new IllegalArgumentException("maxDurationMicros must be positive and >= minDurationMicros ("
          + minDurationMicros + "), was " + maxDurationMicros);
    }
  }

  public SegmenterConfig withEnabled(final boolean on) {
    return new SegmenterConfig(on, threshold, minDurationMicros, maxDurationMicros);
  }

  public SegmenterConfig withThreshold(final double t) {
    return new SegmenterConfig(enabled, t, minDurationMicros, maxDurationMicros);
  }

  public SegmenterConfig withMinDurationMicros(final long m) {
    return new SegmenterConfig(enabled, threshold, m, maxDurationMicros);
  }

  public SegmenterConfig withMaxDurationMicros(final long m) {
    return new SegmenterConfig(enabled, threshold, minDurationMicros, m);
  }
}
