package io.vidctx.tokencompress.select;

import java.util.Locale;

/**
 * A closed interval of presentation time, in microseconds, that a question is about ("between 00:05
 * and 00:12", "in the last 10 minutes").
 *
 * @param startMicros first time of the range, {@code >= 0}
 * @param endMicros last time of the range, {@code >= startMicros}
 */
public record TimeRange(long startMicros, long endMicros) {

  public TimeRange {
    if (startMicros < 0 || endMicros < startMicros) {
      throw new IllegalArgumentException("time range must have 0 <= start <= end, was " + format(startMicros) + " to "
          + format(endMicros));
    }
  }

  /** The last {@code durationMicros} of a video that ends at {@code videoEndMicros}. */
  public static TimeRange last(final long durationMicros, final long videoEndMicros) {
    if (durationMicros <= 0) {
      throw new IllegalArgumentException("a 'last' duration must be positive, was " + durationMicros + " us");
    }
    return new TimeRange(Math.max(0, videoEndMicros - durationMicros), Math.max(0, videoEndMicros));
  }

  public boolean contains(final double ptsMicros) {
    return ptsMicros >= startMicros && ptsMicros <= endMicros;
  }

  /** Whether the closed span {@code [start, end]} shares at least one instant with this range. */
  public boolean overlaps(final long start, final long end) {
    return start <= endMicros && end >= startMicros;
  }

  @Override
  public String toString() {
    return format(startMicros) + "-" + format(endMicros);
  }

  /** {@code H:MM:SS.mmm}, the form error messages and reports use. */
  public static String format(final long micros) {
    final long sign = micros < 0 ? -1 : 1;
    final long ms = Math.abs(micros) / 1000;
    return String.format(Locale.ROOT, "%s%d:%02d:%02d.%03d", sign < 0 ? "-" : "", ms / 3_600_000, ms / 60_000 % 60,
        ms / 1000 % 60, ms % 1000);
  }
}
