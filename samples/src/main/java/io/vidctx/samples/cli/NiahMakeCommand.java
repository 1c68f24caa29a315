package io.vidctx.samples.cli;

import io.vidctx.ingest.IngestException;
import io.vidctx.qa.eval.manifest.Manifest;
import io.vidctx.qa.eval.niah.NiahConfig;
import io.vidctx.qa.eval.niah.NiahMaker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vidctx niah make}: haystack files, needle pictures and the manifest of a V-NIAH grid. */
@Command(
    name = "make",
    header = "Build a needle-in-a-video-haystack grid from real footage.",
    description = {
      "Plays the --haystack clips back to back (looped with shifted sampling phases to reach each length; no"
          + " frame is duplicated), and for every length x depth x needle writes a manifest item whose needle is"
          + " inserted as real frames for --needle-duration: photos (--needles, asked 'when does this picture"
          + " appear?' with an altered copy: 60 %% size, JPEG quality 40) and rendered text cards (--text-cards,"
          + " asked what they say, 4 options; read with 'vidctx eval --ocr', else unanswerable for the built-in"
          + " encoder).",
      "Writes <out>/manifest.jsonl, <out>/haystacks/<length>.haystack.json (a playlist of the real clips, not a"
          + " re-encoded video) and <out>/needles/. The same arguments and --seed give the same grid.",
      "",
      "Example: vidctx niah make --haystack ../shared/videos/*.mp4 --needles ../shared/images/{eagle,cat}.*"
          + " --lengths 5m,15m --depths 0,0.5,1 --out grid/ && vidctx eval grid/manifest.jsonl --baseline"
          + " ours,uniform,none --out runs/grid"
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class NiahMakeCommand implements Callable<Integer> {

  @Option(names = "--haystack", arity = "1..*", required = true, paramLabel = "<clip>",
      description = "Real clips the haystacks are made of, in playing order.")
  List<Path> clips;

  @Option(names = "--needles", arity = "1..*", paramLabel = "<image>", description = "Needle photos (JPEG, PNG).")
  List<Path> needles = new ArrayList<>();

  @Option(names = "--text-cards", paramLabel = "<n>", defaultValue = "2",
      description = "Rendered text cards to add as needles (numbers and short phrases, several fonts and sizes).")
  int textCards;

  @Option(names = "--lengths", paramLabel = "<list>", defaultValue = "5m,15m,30m,60m",
      description = "Haystack lengths without the needle, e.g. 5m,15m,30m,60m.")
  String lengths;

  @Option(names = "--depths", paramLabel = "<list>", defaultValue = "0,0.2,0.4,0.6,0.8,1",
      description = "Needle depths in [0, 1].")
  String depths;

  @Option(names = "--needle-duration", paramLabel = "<duration>", defaultValue = "2s",
      converter = TimeRangeConverter.Duration.class, description = "How long each needle is shown.")
  long needleMicros;

  @Option(names = "--fps", paramLabel = "<fps>", defaultValue = "1", description = "Sampling rate of the haystacks.")
  double fps;

  @Option(names = "--size", paramLabel = "<WxH>", defaultValue = "320x180", description = "Frame size of the haystacks.")
  String size;

  @Option(names = "--seed", paramLabel = "<n>", defaultValue = "7",
      description = "Decides loop order, sampling phases, card texts and distractors.")
  long seed;

  @Option(names = "--no-loop", description = "Refuse lengths longer than the clips instead of looping them.")
  boolean noLoop;

  @Option(names = "--out", paramLabel = "<dir>", required = true, description = "Folder to write the grid to.")
  Path out;

  @Option(names = "--overwrite", description = "Replace a grid already in --out.")
  boolean overwrite;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(false);
    final Path manifestFile = out.resolve("manifest.jsonl");
    if (Files.exists(manifestFile) && !overwrite) {
      throw CliException.invalidInput(manifestFile + " exists: pass --overwrite or pick another --out");
    }
    for (final Path p : clips) {
      if (!Files.isRegularFile(p)) {
        throw CliException.invalidInput("--haystack " + p + ": not a file");
      }
    }
    for (final Path p : needles) {
      if (!Files.isRegularFile(p)) {
        throw CliException.invalidInput("--needles " + p + ": not a file");
      }
    }
    final NiahConfig config;
    try {
      final String[] wh = size.toLowerCase(java.util.Locale.ROOT).split("x");
      if (wh.length != 2 || !wh[0].strip().matches("\\d+") || !wh[1].strip().matches("\\d+")) {
        throw new IllegalArgumentException("--size must be WIDTHxHEIGHT such as 320x180, was " + size);
      }
      config = new NiahConfig(clips, needles, textCards, parseLengths(lengths), parseDepths(depths), needleMicros, fps,
          Integer.parseInt(wh[0].strip()), Integer.parseInt(wh[1].strip()), !noLoop, seed);
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput(e.getMessage());
    }
    final long t0 = System.nanoTime();
    final NiahMaker.Grid grid;
    try {
      grid = new NiahMaker(config, line -> term.note("%s", line)).make(out);
      Manifest.write(manifestFile, grid.items());
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput(e.getMessage());
    } catch (final IngestException e) {
      throw new CliException(ExitCode.INVALID_INPUT, e.getMessage(), e);
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot write the grid to " + out + ": " + e.getMessage(), e);
    }
    final long photoItems = grid.items().stream().filter(i -> "niah-photo".equals(i.task())).count();
    term.println("grid: %d items (%d lengths x %d depths x %d needles: %d photo, %d text-card items) in %s",
        grid.items().size(), config.lengthsMicros().size(), config.depths().size(), needles.size() + textCards,
        photoItems, grid.items().size() - photoItems, Units.seconds(System.nanoTime() - t0));
    term.println("haystacks: %s (%d frames in all at %s fps, from %d clips)", grid.haystacks().stream()
        .map(p -> String.valueOf(p.getFileName())).collect(Collectors.joining(", ")), grid.haystackFrames(),
        Units.f2(fps), clips.size());
    term.println("manifest: %s", manifestFile);
    term.println("run it:   vidctx eval %s --baseline ours,uniform,none --out <dir>", manifestFile);
    return ExitCode.OK;
  }

  static List<Long> parseLengths(final String s) {
    final TimeRangeConverter.Duration d = new TimeRangeConverter.Duration();
    final List<Long> out = new ArrayList<>();
    for (final String part : s.split(",")) {
      if (!part.isBlank()) {
        try {
          out.add(d.convert(part.strip()));
        } catch (final RuntimeException e) {
          throw new IllegalArgumentException("--lengths: " + e.getMessage());
        }
      }
    }
    return out;
  }

  static List<Double> parseDepths(final String s) {
    try {
      return Arrays.stream(s.split(",")).filter(p -> !p.isBlank()).map(p -> Double.parseDouble(p.strip())).toList();
    } catch (final NumberFormatException e) {
      throw new IllegalArgumentException("--depths must be numbers in [0, 1] separated by commas, was '" + s + "'");
    }
  }
}
