package io.vidctx.samples.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --verbose}/{@code --quiet} (mutually exclusive) and {@code --stacktrace}, mixed into every
 * command. The state lives in the mixin instances: a subcommand's flags also take its ancestors'
 * into account, so {@code vidctx --quiet frames ...} and {@code vidctx frames ... --quiet} mean the
 * same.
 */
public final class LoggingMixin {
  /** The name every command gives its {@code @Mixin} field, so ancestors can be looked up. */
  static final String NAME = "logging";

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Verbosity verbosity;

  @Option(names = "--stacktrace", description = "Print the full stack trace when an error occurs.")
  boolean stacktrace;

  /** The exclusive pair. */
  static final class Verbosity {
    @Option(names = {"-v", "--verbose"}, description = "Print details of the work on stderr.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Print only results and errors: no notes, no progress bars.")
    boolean quiet;
  }

  public boolean verbose() {
    return anyInChain(true) && !quiet();
  }

  public boolean quiet() {
    return anyInChain(false);
  }

  public boolean stacktrace() {
    return stacktrace;
  }

  /** Output helpers for one command run; {@code json} suppresses notes and progress bars. */
  public Terminal terminal(final boolean json) {
    final CommandSpec spec = mixee;
    final Object root = spec.root().userObject();
    final boolean interactive = root instanceof VidctxCommand v && v.interactive();
    final boolean quiet = quiet();
    return new Terminal(
        spec.commandLine().getOut(), spec.commandLine().getErr(), verbose(), quiet || json,
        interactive && !quiet && !json);
  }

  private boolean own(final boolean verbose) {
    return verbosity != null && (verbose ? verbosity.verbose : verbosity.quiet);
  }

  private boolean anyInChain(final boolean verbose) {
    if (own(verbose)) {
      return true;
    }
    CommandSpec parent = mixee.parent();
    while (parent != null) {
      final CommandSpec mixin = parent.mixins().get(NAME);
      if (mixin != null && mixin.userObject() instanceof LoggingMixin other && other.own(verbose)) {
        return true;
      }
      parent = parent.parent();
    }
    return false;
  }
}
