package io.vidctx.qa.eval.report;

import io.vidctx.qa.eval.niah.NiahConfig;

/**
 * A haystack length as the grid shows it: rounded to whole minutes ("5m", "1h30m"), or to seconds
 * below 90 s ("45s"), so that haystacks a few frames apart share a row; labelled as {@code vidctx
 * niah make} names its haystacks ({@link NiahConfig#lengthLabel}).
 *
 * @param micros the rounded length, the row's sort key
 * @param label the row label
 */
public record HaystackLength(long micros, String label) implements Comparable<HaystackLength> {

  private static final long SECOND = 1_000_000L;

  public static HaystackLength of(final long haystackMicros) {
    final long seconds = Math.round(haystackMicros / (double) SECOND);
    if (seconds < 90) {
      return new HaystackLength(seconds * SECOND, NiahConfig.lengthLabel(haystackMicros));
    }
    final long minutes = Math.round(seconds / 60.0);
    return new HaystackLength(minutes * 60 * SECOND, NiahConfig.lengthLabel(haystackMicros));
  }

  @Override
  public int compareTo(final HaystackLength o) {
    return Long.compare(micros, o.micros);
  }
}
