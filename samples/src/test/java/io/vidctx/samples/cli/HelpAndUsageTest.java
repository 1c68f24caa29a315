package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Black-box: help, usage errors, version, exit codes of the argument layer. */
class HelpAndUsageTest {

  private static CommandLine root() {
    return Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }

  /** Every command path below the root, e.g. ["info"], ["bench", "decode"]. */
  private static List<List<String>> commandPaths(final CommandLine cmd, final List<String> prefix) {
    final List<List<String>> paths = new ArrayList<>();
    for (final Map.Entry<String, CommandLine> e : cmd.getSubcommands().entrySet()) {
      if (e.getKey().equals("help")) {
        continue;
      }
      final List<String> path = new ArrayList<>(prefix);
      path.add(e.getKey());
      paths.add(path);
      paths.addAll(commandPaths(e.getValue(), path));
    }
    return paths;
  }

  @Test
  void shouldListEverySubcommandInTheHelp() {
    final CliRun run = CliRun.of("help");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final CommandLine root = root();
    assertEquals(List.of("info", "frames", "publish", "demo", "bench", "encode", "compress", "ask", "stream", "query", "eval", "ocr", "niah", "models", "help"), new ArrayList<>(root.getSubcommands().keySet()));
    for (final String name : root.getSubcommands().keySet()) {
      final String header = String.join(" ", root.getSubcommands().get(name).getCommandSpec().usageMessage().header());
      assertTrue(run.out().contains("  " + name + " "), "help lacks " + name + ":\n" + run.out());
      assertFalse(header.isBlank(), name + " has no header");
    }
    final CliRun bench = CliRun.of("bench", "help");
    assertEquals(ExitCode.OK, bench.exitCode(), bench.dump());
    for (final String name : root.getSubcommands().get("bench").getSubcommands().keySet()) {
      assertTrue(bench.out().contains("  " + name + " "), "bench help lacks " + name + ":\n" + bench.out());
    }
  }

  @Test
  void shouldExitZeroWithUsageForEverySubcommandHelp() {
    final List<List<String>> paths = commandPaths(root(), List.of());
    assertTrue(paths.size() >= 7, "commands: " + paths);
    for (final List<String> path : paths) {
      final List<String> args = new ArrayList<>(path);
      args.add("--help");
      final CliRun run = CliRun.of(args.toArray(String[]::new));
      assertEquals(ExitCode.OK, run.exitCode(), path + "\n" + run.dump());
      assertTrue(run.out().contains("Usage: vidctx " + String.join(" ", path)), path + "\n" + run.out());
      assertTrue(run.out().contains("help <command>"), "footer missing for " + path);
    }
  }

  @Test
  void shouldShowHelpOfACommandThroughTheHelpCommand() {
    final CliRun run = CliRun.of("help", "frames");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    assertTrue(run.out().contains("--sheet-max"), run.out());
    assertTrue(run.out().contains("Default: 1"), "defaults are shown:\n" + run.out());
  }

  @Test
  void shouldRejectAnUnknownOptionWithExitTwo() {
    final CliRun run = CliRun.of("info", "--bogus", "x.mp4");
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("Unknown option: '--bogus'"), run.err());
    assertTrue(run.err().contains("vidctx help info"), run.err());
    assertEquals("", run.out());
  }

  @Test
  void shouldRejectAMissingParameterWithExitTwo() {
    final CliRun run = CliRun.of("frames", "--out", "x");
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("Missing required parameter: '<video>'"), run.err());
  }

  @Test
  void shouldRejectAnUnknownCommandWithASuggestion() {
    final CliRun run = CliRun.of("fraems");
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("frames"), "suggests the near command:\n" + run.err());
  }

  @Test
  void shouldPrintUsageOnStderrWithoutACommand() {
    final CliRun run = CliRun.of();
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("missing command"), run.err());
    assertTrue(run.err().contains("Usage: vidctx"), run.err());
  }

  @Test
  void shouldRefuseVerboseAndQuietTogether() {
    final CliRun run = CliRun.of("info", "--verbose", "--quiet", "x.mp4");
    assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.dump());
    assertTrue(run.err().contains("mutually exclusive"), run.err());
  }

  @Test
  void shouldPrintTheVersion() {
    final CliRun run = CliRun.of("--version");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    assertTrue(run.out().startsWith("vidctx "), run.out());
    assertTrue(run.out().contains(VersionProvider.version()), run.out());
    assertFalse(VersionProvider.version().equals("unknown") || VersionProvider.version().contains("${"),
        "version resource not filled in: " + VersionProvider.version());
  }

  @Test
  void shouldRejectBadOptionValuesWithClearMessages() {
    final CliRun format = CliRun.of("publish", "x.mp4", "--format", "gif");
    assertEquals(ExitCode.INVALID_INPUT, format.exitCode(), format.dump());
    assertTrue(format.err().contains("unknown image format 'gif': use jpeg, png or raw"), format.err());

    final CliRun time = CliRun.of("frames", "x.mp4", "--out", "o", "--start", "ten");
    assertEquals(ExitCode.INVALID_INPUT, time.exitCode(), time.dump());
    assertTrue(time.err().contains("'ten' is not a time"), time.err());

    final CliRun fps = CliRun.of("frames", "x.mp4", "--out", "o", "--fps", "fast");
    assertEquals(ExitCode.INVALID_INPUT, fps.exitCode(), fps.dump());
    assertTrue(fps.err().contains("--fps"), fps.err());
  }

  @Test
  void shouldMapExceptionsToExitCodes() {
    assertEquals(ExitCode.INVALID_INPUT, Cli.exitCodeOf(new io.vidctx.ingest.IngestException.SourceNotFoundException("x")));
    assertEquals(ExitCode.INVALID_INPUT, Cli.exitCodeOf(new io.vidctx.ingest.IngestException.UnsupportedSourceException("x")));
    assertEquals(ExitCode.ERROR, Cli.exitCodeOf(new io.vidctx.ingest.IngestException.CorruptVideoException("x", 0, 0)));
    assertEquals(ExitCode.UNEXPECTED_STATE, Cli.exitCodeOf(CliException.unexpectedState("x")));
    assertEquals(ExitCode.INTERNAL, Cli.exitCodeOf(new NullPointerException()));
  }
}
