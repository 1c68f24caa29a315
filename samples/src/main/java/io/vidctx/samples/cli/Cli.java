package io.vidctx.samples.cli;

import io.vidctx.encoder.EncoderException;
import io.vidctx.ingest.IngestException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the {@code vidctx} command line: output streams, error handling and exit codes in one
 * place. An error prints as one line ({@code vidctx <command>: <message>}) with the exit code of
 * {@link #exitCodeOf}; the stack trace follows only with {@code --stacktrace}.
 */
public final class Cli {
  private Cli() {}

  /** A command line writing to {@code out}/{@code err}; never shows progress bars (tests, pipes). */
  public static CommandLine create(final PrintWriter out, final PrintWriter err) {
    return create(out, err, false);
  }

  /**
   * A command line writing to {@code out}/{@code err}.
   *
   * @param interactive whether {@code err} is a terminal, so that progress bars may be drawn on it
   */
  public static CommandLine create(final PrintWriter out, final PrintWriter err, final boolean interactive) {
    final CommandLine cmd = new CommandLine(new VidctxCommand(interactive));
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setParameterExceptionHandler(Cli::handleParameterException);
    cmd.setExecutionExceptionHandler(Cli::handleExecutionException);
    cmd.setExitCodeExceptionMapper(Cli::exitCodeOf);
    return cmd;
  }

  /** The command line of {@link Main}: the process's stdout/stderr; progress bars when on a terminal. */
  public static CommandLine forConsole() {
    final Charset cs = Charset.defaultCharset();
    return create(
        new PrintWriter(new OutputStreamWriter(System.out, cs), true),
        new PrintWriter(new OutputStreamWriter(System.err, cs), true),
        System.console() != null);
  }

  /** The exit code an exception stands for. */
  public static int exitCodeOf(final Throwable e) {
    if (e instanceof CliException ce) {
      return ce.exitCode();
    }
    if (e instanceof ParameterException
        || e instanceof IngestException.SourceNotFoundException
        || e instanceof IngestException.UnsupportedSourceException) {
      return ExitCode.INVALID_INPUT;
    }
    if (e instanceof IngestException || e instanceof EncoderException || e instanceof UncheckedIOException) {
      return ExitCode.ERROR;
    }
    return ExitCode.INTERNAL;
  }

  private static int handleParameterException(final ParameterException ex, final String[] args) {
    final CommandLine cmd = ex.getCommandLine();
    final PrintWriter err = cmd.getErr();
    err.println(cmd.getColorScheme().errorText(commandPath(cmd) + ": " + ex.getMessage()));
    if (!UnmatchedArgumentException.printSuggestions(ex, err)) {
      err.print(cmd.getHelp().synopsis(0));
    }
    err.println("Try '" + helpHint(cmd) + "' for more information.");
    err.flush();
    return ExitCode.INVALID_INPUT;
  }

  private static int handleExecutionException(
      final Exception ex, final CommandLine cmd, final ParseResult parseResult) {
    final PrintWriter err = cmd.getErr();
    final int code = exitCodeOf(ex);
    final String prefix = commandPath(cmd) + ": ";
    if (code == ExitCode.INTERNAL) {
      final String what = ex instanceof UnsupportedOperationException
          ? "not implemented yet: " + ex.getMessage()
          : "internal error: " + ex;
      err.println(cmd.getColorScheme().errorText(prefix + what));
      if (!stacktraceRequested(parseResult)) {
        err.println("This is a bug in vidctx; rerun with --stacktrace and report the output.");
      }
    } else {
      err.println(cmd.getColorScheme().errorText(prefix + messageOf(ex)));
    }
    if (stacktraceRequested(parseResult)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** The message, with the causes' messages where they add something (an IOException's file name). */
  private static String messageOf(final Throwable e) {
    final StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable cause = e.getCause();
    int depth = 0;
    while (cause != null && depth < 3) {
      final String m = cause.getMessage();
      if (m != null && !sb.toString().contains(m)) {
        sb.append(": ").append(m);
      }
      cause = cause.getCause();
      depth++;
    }
    return sb.toString();
  }

  private static boolean stacktraceRequested(final ParseResult parseResult) {
    ParseResult pr = parseResult;
    while (pr != null) {
      if (pr.hasMatchedOption("--stacktrace")) {
        return true;
      }
      pr = pr.subcommand();
    }
    return false;
  }

  private static String commandPath(final CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName();
  }

  private static String helpHint(final CommandLine cmd) {
    final String path = commandPath(cmd);
    final int space = path.indexOf(' ');
    return space < 0 ? path + " --help" : path.substring(0, space) + " help" + path.substring(space);
  }
}
