package io.vidctx.samples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Human-readable numbers for summaries (always {@link Locale#ROOT}). */
public final class Units {
  private Units() {}

  /** 1234567 bytes → "1.23 MB" (decimal units). */
  public static String bytes(final long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    if (bytes < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
    }
    if (bytes < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
  }

  /** Nanoseconds → "1.234 s". */
  public static String seconds(final long nanos) {
    return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }

  /** A per-second rate; 0 when no time passed. */
  public static double rate(final double count, final long nanos) {
    return nanos <= 0 ? 0 : count * 1e9 / nanos;
  }

  /** Bits per second → "2.41 Mb/s"; "?" when unknown. */
  public static String bitRate(final long bitsPerSecond) {
    if (bitsPerSecond <= 0) {
      return "?";
    }
    if (bitsPerSecond < 1_000_000) {
      return String.format(Locale.ROOT, "%.0f kb/s", bitsPerSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.2f Mb/s", bitsPerSecond / 1e6);
  }

  /** "%.1f" in {@link Locale#ROOT}. */
  public static String f1(final double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** "%.2f" in {@link Locale#ROOT}. */
  public static String f2(final double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** 0.98765 → "98.77 %". */
  public static String percent(final double fraction) {
    return String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
  }

  /** A file's size, or -1 when it cannot be read. */
  public static long sizeOf(final Path p) {
    try {
      return Files.size(p);
    } catch (final IOException e) {
      return -1;
    }
  }

  /** A file name without its extension ("clips/city.mpg" → "city"). */
  public static String stem(final String location) {
    String name = location;
    final int q = name.indexOf('?');
    if (q >= 0 && name.contains("://")) {
      name = name.substring(0, q);
    }
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    name = name.substring(name.lastIndexOf('/') + 1);
    final int dot = name.lastIndexOf('.');
    final String stem = dot > 0 ? name.substring(0, dot) : name;
    return stem.isBlank() ? "video" : stem;
  }
}
