package io.vidctx.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vidctx models}: the catalog of CLIP-family ONNX exports, pulling and verifying them. */
@Command(
    name = "models",
    header = "List, download and verify CLIP-family ONNX models (OpenAI CLIP, MobileCLIP, SigLIP, DINOv2).",
    description = {
      "Models are pulled into ${XDG_CACHE_HOME:-~/.cache}/vidctx/models/<name>/ (or --dir) with a"
          + " vidctx-model.json manifest, and used with 'vidctx encode --model DIR'."
    },
    showDefaultValues = true,
    synopsisSubcommandLabel = "COMMAND",
    footer = {"", "See 'vidctx models help <command>' for the options of a command."},
    subcommands = {ModelsListCommand.class, ModelsPullCommand.class, ModelsVerifyCommand.class,
      CommandLine.HelpCommand.class})
public final class ModelsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    final CommandLine cmd = spec.commandLine();
    cmd.getErr().println("vidctx models: missing command (list, pull or verify).");
    cmd.usage(cmd.getErr());
    return ExitCode.INVALID_INPUT;
  }
}
