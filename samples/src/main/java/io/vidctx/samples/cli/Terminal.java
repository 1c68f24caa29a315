package io.vidctx.samples.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Where one command run writes: results to {@code out}; notes, details and progress bars to {@code
 * err}.
 *
 * @param out results (tables, JSON, the final summary line)
 * @param err notes, details, errors, progress bars
 * @param verbose print {@link #detail} lines
 * @param quiet suppress {@link #note} lines (also set when the output is JSON)
 * @param progressBars draw progress bars on {@code err} (a terminal, not quiet, not JSON)
 */
public record Terminal(PrintWriter out, PrintWriter err, boolean verbose, boolean quiet, boolean progressBars) {

  /** A note for a human on stderr, unless quiet. */
  public void note(final String format, final Object... args) {
    if (!quiet) {
      err.println(String.format(Locale.ROOT, format, args));
      err.flush();
    }
  }

  /** A detail on stderr, only with {@code --verbose}. */
  public void detail(final String format, final Object... args) {
    if (verbose) {
      err.println(String.format(Locale.ROOT, format, args));
      err.flush();
    }
  }

  /** A result line on stdout. */
  public void println(final String format, final Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /** A progress bar on stderr, or a no-op one when bars are off. {@code max} &lt;= 0: unknown. */
  public Progress progress(final String task, final long max, final String unit) {
    return progressBars ? Progress.bar(err, task, max, unit) : Progress.none();
  }
}
