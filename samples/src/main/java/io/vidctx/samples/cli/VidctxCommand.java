package io.vidctx.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code vidctx} command; without a subcommand it prints its usage to stderr. */
@Command(
    name = "vidctx",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Turns long video into compact token context for video-QA models.",
    description = {
      "Frames in from files, URLs, cameras and Kafka; compact, time-stamped context out.",
      "Run 'vidctx demo' for the main job on embedded defaults (no server needed)."
    },
    synopsisSubcommandLabel = "COMMAND",
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of a command.",
      "Exit codes: 0 ok, 1 error, 2 invalid input, 3 unexpected state (a check failed), 4 internal error."},
    subcommands = {
      InfoCommand.class,
      FramesCommand.class,
      PublishCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      EncodeCommand.class,
      CompressCommand.class,
      AskCommand.class,
      StreamCommand.class,
      QueryCommand.class,
      EvalCommand.class,
      OcrCommand.class,
      NiahCommand.class,
      ModelsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class VidctxCommand implements Callable<Integer> {
  private final boolean interactive;

  @Spec CommandSpec spec;

  @Mixin LoggingMixin logging;

  public VidctxCommand(final boolean interactive) {
    this.interactive = interactive;
  }

  /** Whether stderr is a terminal (progress bars allowed). */
  public boolean interactive() {
    return interactive;
  }

  @Override
  public Integer call() {
    final CommandLine cmd = spec.commandLine();
    cmd.getErr().println("vidctx: missing command.");
    cmd.usage(cmd.getErr());
    return ExitCode.INVALID_INPUT;
  }
}
