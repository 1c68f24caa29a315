package io.vidctx.samples.cli;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a point in a video to microseconds: seconds ({@code 12}, {@code 12.5}), {@code MM:SS(.mmm)}
 * or {@code HH:MM:SS(.mmm)}. Negative times and minutes/seconds fields of 60 or more are refused.
 */
public final class TimeConverter implements ITypeConverter<Long> {
  private static final Pattern CLOCK = Pattern.compile("(?:(\\d+):)?(\\d{1,2}):(\\d{1,2}(?:\\.\\d+)?)");
  private static final Pattern SECONDS = Pattern.compile("\\d+(?:\\.\\d*)?|\\.\\d+");

  @Override
  public Long convert(final String value) {
    return parseMicros(value);
  }

  /** The time in microseconds (rounded down to whole microseconds). */
  public static long parseMicros(final String value) {
    final String v = value.trim();
    if (SECONDS.matcher(v).matches()) {
      return toMicros(new BigDecimal(v));
    }
    final Matcher m = CLOCK.matcher(v);
    if (m.matches()) {
      final long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
      final long minutes = Long.parseLong(m.group(2));
      final BigDecimal seconds = new BigDecimal(m.group(3));
      if (minutes >= 60 || seconds.compareTo(BigDecimal.valueOf(60)) >= 0) {
        throw new TypeConversionException(
            "'" + value + "' is not a valid time: minutes and seconds must be below 60");
      }
      return toMicros(seconds.add(BigDecimal.valueOf(hours * 3600 + minutes * 60)));
    }
    throw new TypeConversionException(
        "'" + value + "' is not a time: use seconds (12.5), MM:SS (01:30) or HH:MM:SS.mmm (00:01:30.250)");
  }

  /** Formats microseconds as {@code HH:MM:SS.mmm} (or {@code MM:SS.mmm} under an hour). */
  public static String format(final long micros) {
    if (micros < 0) {
      return "?";
    }
    final long millis = micros / 1000;
    final long h = millis / 3_600_000;
    final long m = millis / 60_000 % 60;
    final long s = millis / 1000 % 60;
    final long ms = millis % 1000;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d.%03d", h, m, s, ms)
        : String.format(Locale.ROOT, "%02d:%02d.%03d", m, s, ms);
  }

  private static long toMicros(final BigDecimal seconds) {
    try {
      return seconds.movePointRight(6).longValue();
    } catch (final ArithmeticException e) {
      throw new TypeConversionException("time out of range: " + seconds);
    }
  }
}
