package io.vidctx.samples.cli;

/**
 * An error a command reports to the user as one line, with the exit code it maps to; no stack trace
 * unless {@code --stacktrace} is given.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliException(final int exitCode, final String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(final int exitCode, final String message, final Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Bad arguments or unusable input (exit code 2). */
  public static CliException invalidInput(final String message) {
    return new CliException(ExitCode.INVALID_INPUT, message);
  }

  /** A check failed after the work ran (exit code 3). */
  public static CliException unexpectedState(final String message) {
    return new CliException(ExitCode.UNEXPECTED_STATE, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
