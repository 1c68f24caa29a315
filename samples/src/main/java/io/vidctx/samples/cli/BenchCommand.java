package io.vidctx.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vidctx bench}: throughput figures next to reference tools; prints numbers, asserts nothing. */
@Command(
    name = "bench",
    header = "Measure decode and publish throughput next to ffmpeg and Kafka's own producer tool, and OCR's cost.",
    description = "Benchmarks print figures (best of N runs, wall time); they never fail on a slow result.",
    showDefaultValues = true,
    synopsisSubcommandLabel = "COMMAND",
    footer = {"", "See 'vidctx bench help <command>' for the options of a benchmark."},
    subcommands = {BenchDecodeCommand.class, BenchOcrCommand.class, BenchPublishCommand.class,
        BenchStreamsCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    final CommandLine cmd = spec.commandLine();
    cmd.getErr().println("vidctx bench: missing benchmark (decode, ocr, publish or streams).");
    cmd.usage(cmd.getErr());
    return ExitCode.INVALID_INPUT;
  }
}
