package io.vidctx.samples.cli;

import io.vidctx.tokencompress.select.TimeRange;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --between START,END} (or {@code START-END}): two video times as {@link TimeConverter} reads them. */
public final class TimeRangeConverter implements ITypeConverter<TimeRange> {

  @Override
  public TimeRange convert(final String value) {
    final String v = value.trim();
    int cut = v.indexOf(',');
    if (cut < 0) {
      cut = v.indexOf('-');
    }
    if (cut <= 0 || cut == v.length() - 1) {
      throw new TypeConversionException("'" + value + "' is not a time range: use START,END such as 00:05,00:12");
    }
    final long start = TimeConverter.parseMicros(v.substring(0, cut));
    final long end = TimeConverter.parseMicros(v.substring(cut + 1));
    if (end < start) {
      throw new TypeConversionException("'" + value + "': the range ends before it starts");
    }
    return new TimeRange(start, end);
  }

  /** {@code --last}: a duration such as {@code 10m}, {@code 90s}, {@code 1.5h} or a clock time {@code 10:00}. */
  public static final class Duration implements ITypeConverter<Long> {
    private static final Pattern UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(s|sec|m|min|h|hr)");

    @Override
    public Long convert(final String value) {
      final Matcher m = UNIT.matcher(value.trim().toLowerCase(Locale.ROOT));
      final long micros;
      if (m.matches()) {
        final double n = Double.parseDouble(m.group(1));
        final double unit = switch (m.group(2).charAt(0)) {
          case 'h' -> 3600e6;
          case 'm' -> 60e6;
          default -> 1e6;
        };
        micros = Math.round(n * unit);
      } else {
        micros = TimeConverter.parseMicros(value);
      }
      if (micros <= 0) {
        throw new TypeConversionException("'" + value + "' is not a positive duration");
      }
      return micros;
    }
  }
}
