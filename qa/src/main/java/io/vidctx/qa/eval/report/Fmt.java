package io.vidctx.qa.eval.report;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Text formatting for the report: escaping and numbers, always in {@link Locale#ROOT}. */
final class Fmt {

  static final String NONE = "\u2014";

  private Fmt() {
  }

  /**
   * Text safe in HTML content, attribute values and inline SVG (which the HTML parser reads too).
   * Control characters other than tab and newline become U+FFFD: they are not allowed in HTML and
   * would only come from a broken input file.
   */
  static String esc(final @Nullable String s) {
    if (s == null) {
      return "";
    }
    final StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c < 0x20 && c != '\t' && c != '\n' || c == 0x7f ? '\ufffd' : c);
      }
    }
    return b.toString();
  }

  /** At most {@code max} characters, an ellipsis marking the cut. */
  static String clip(final String s, final int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
  }

  /** A share as a percentage with {@code decimals} decimals, or a dash for NaN. */
  static String pct(final double share, final int decimals) {
    return Double.isNaN(share) ? NONE : String.format(Locale.ROOT, "%." + decimals + "f%%", share * 100);
  }

  /** A count or mean with thousands separators, or a dash for NaN. */
  static String num(final double v) {
    if (Double.isNaN(v)) {
      return NONE;
    }
    return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%,.1f", v);
  }

  /** Milliseconds with about three significant digits. */
  static String ms(final double ms) {
    if (Double.isNaN(ms)) {
      return NONE;
    }
    if (ms >= 10_000) {
      return String.format(Locale.ROOT, "%,.1f s", ms / 1000);
    }
    return String.format(Locale.ROOT, ms >= 100 ? "%,.0f ms" : ms >= 10 ? "%.1f ms" : "%.2f ms", ms);
  }

  static String bytes(final long bytes) {
    if (bytes <= 0) {
      return NONE;
    }
    final double mib = bytes / (1024.0 * 1024);
    return mib >= 1024 ? String.format(Locale.ROOT, "%.2f GiB", mib / 1024) : String.format(Locale.ROOT, "%,.0f MiB",
        mib);
  }

  /** A time of the video: {@code m:ss.s}, or {@code h:mm:ss} from an hour on. */
  static String time(final long micros) {
    if (micros < 0) {
      return NONE;
    }
    final long tenths = Math.round(micros / 100_000.0);
    final long s = tenths / 10;
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d:%02d.%d", s / 60, s % 60, tenths % 10);
  }

  /** A time axis label: whole seconds, {@code m:ss} or {@code h:mm:ss}. */
  static String tick(final long micros) {
    final long s = Math.round(micros / 1e6);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /** An SVG coordinate: one decimal, no trailing zero. */
  static String c(final double v) {
    final long tenths = Math.round(v * 10);
    return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
  }
}
