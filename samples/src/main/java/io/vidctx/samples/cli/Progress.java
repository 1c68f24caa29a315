package io.vidctx.samples.cli;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * A progress bar (count / total, rate, ETA) drawn on stderr by {@code me.tongfei:progressbar}, or
 * nothing. Close it before printing the summary line.
 */
public final class Progress implements AutoCloseable {
  private final @Nullable ProgressBar bar;

  private Progress(final @Nullable ProgressBar bar) {
    this.bar = bar;
  }

  static Progress none() {
    return new Progress(null);
  }

  static Progress bar(final PrintWriter err, final String task, final long max, final String unit) {
    final ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max > 0 ? max : -1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" " + unit, 1)
        .showSpeed()
        .setSpeedUnit(ChronoUnit.SECONDS)
        .setUpdateIntervalMillis(250)
        .clearDisplayOnFinish()
        .setConsumer(new DelegatingProgressBarConsumer(s -> {
          err.print('\r');
          err.print(s);
          err.flush();
        }, 100))
        .build();
    return new Progress(bar);
  }

  /** Sets the count done so far. */
  public void stepTo(final long done) {
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  public void step() {
    if (bar != null) {
      bar.step();
    }
  }

  /** Sets or corrects the expected total. */
  public void maxHint(final long max) {
    if (bar != null && max > 0) {
      bar.maxHint(max);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
