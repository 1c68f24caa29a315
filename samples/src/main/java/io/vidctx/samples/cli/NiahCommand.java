package io.vidctx.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vidctx niah}: needle-in-a-video-haystack grids. */
@Command(
    name = "niah",
    header = "Needle-in-a-video-haystack grids made from real footage.",
    description = {"'vidctx niah make' builds a grid (haystacks, needles, manifest); 'vidctx eval MANIFEST' runs it."},
    subcommands = {NiahMakeCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class NiahCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.INVALID_INPUT;
  }
}
