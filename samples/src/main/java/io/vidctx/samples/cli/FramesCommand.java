package io.vidctx.samples.cli;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx frames}: sampled frames as JPEG files, a contact sheet and an index. */
@Command(
    name = "frames",
    header = "Write sampled frames as JPEGs, plus a contact sheet and index.json.",
    description = {
      "Decodes <video>, samples it at --fps by presentation time and writes each frame to --out as"
          + " frame_<index>_t<seconds>.jpg (e.g. frame_000012_t0012.000.jpg), then contact_sheet.jpg (a grid of"
          + " evenly spaced thumbnails with their timestamps) and index.json (every frame with its pts).",
      "",
      "Times accept seconds (12.5), MM:SS (01:30) or HH:MM:SS.mmm (00:01:30.250)."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class FramesCommand implements Callable<Integer> {
  static final String CONTACT_SHEET = "contact_sheet.jpg";
  static final String INDEX = "index.json";

  @Parameters(paramLabel = "<video>", description = "Video file or URL.")
  String video;

  @Option(names = "--out", paramLabel = "<dir>", required = true, description = "Folder to write to (created if missing).")
  Path out;

  @Option(names = "--quality", paramLabel = "<1-100>", defaultValue = "90", description = "JPEG quality.")
  int quality;

  @Option(names = "--sheet-max", paramLabel = "<n>", defaultValue = "48",
      description = "Most thumbnails on the contact sheet; evenly spaced frames are chosen when there are more.")
  int sheetMax;

  @Option(names = "--sheet-columns", paramLabel = "<n>", defaultValue = "6", description = "Thumbnails per row of the contact sheet.")
  int sheetColumns;

  @Option(names = "--sheet-tile-width", paramLabel = "<px>", defaultValue = "240", description = "Width of one thumbnail.")
  int tileWidth;

  @Option(names = "--overwrite", description = "Replace frames, contact sheet and index of an earlier run in --out.")
  boolean overwrite;

  @Option(names = "--json", description = "Print index.json's content instead of a summary line.")
  boolean json;

  @Mixin DecodeRangeMixin range;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /** One written frame in index.json. */
  public record FrameEntry(long index, long ptsMicros, double seconds, String file, long bytes) {}

  /** index.json. */
  public record FramesIndex(
      String video,
      String streamId,
      double fps,
      long startMicros,
      long endMicros,
      int width,
      int height,
      int quality,
      @Nullable String contactSheet,
      int contactSheetFrames,
      int frameCount,
      @Nullable String error,
      List<FrameEntry> frames) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    check(quality >= 1 && quality <= 100, "--quality must be in 1..100, was " + quality);
    check(sheetMax >= 1, "--sheet-max must be >= 1, was " + sheetMax);
    check(sheetColumns >= 1, "--sheet-columns must be >= 1, was " + sheetColumns);
    check(tileWidth >= 16, "--sheet-tile-width must be >= 16, was " + tileWidth);
    final String streamId = Units.stem(video);
    final DecodeOptions options = range.toOptions(streamId);
    prepareOutput();

    final ImageCodec codec = new ImageCodec(quality);
    final List<FrameEntry> entries = new ArrayList<>();
    int frameWidth = 0;
    int frameHeight = 0;
    String error = null;
    int exit = ExitCode.OK;
    final long t0 = System.nanoTime();
    try (VideoFileSource source = Decoding.open(video, options);
        Progress progress = term.progress("frames", source.expectedFrames().orElse(-1), "fr")) {
      term.detail("decoding %s", source.describe());
      try {
        Optional<VideoFrame> next;
        while ((next = source.next()).isPresent()) {
          final VideoFrame f = next.get();
          final String name = String.format(Locale.ROOT, "frame_%06d_t%08.3f.jpg", f.index(), f.seconds());
          final byte[] jpeg = codec.encode(f.rgb(), f.width(), f.height(), ImageFormat.JPEG);
          write(out.resolve(name), jpeg);
          entries.add(new FrameEntry(f.index(), f.ptsMicros(), f.seconds(), name, jpeg.length));
          frameWidth = f.width();
          frameHeight = f.height();
          progress.step();
        }
      } catch (final IngestException.CorruptVideoException e) {
        error = e.getMessage();
        exit = ExitCode.ERROR;
      }
    }
    final long decodeNanos = System.nanoTime() - t0;
    if (entries.isEmpty()) {
      throw error != null
          ? new CliException(ExitCode.ERROR, error)
          : CliException.invalidInput("no frames in " + video + " " + range.describeRange() + ": check --start/--end against the duration ('vidctx info " + video + "')");
    }

    final List<Integer> picked = ContactSheet.pickEvenly(entries.size(), sheetMax);
    final List<ContactSheet.Tile> tiles = new ArrayList<>();
    for (final int i : picked) {
      final FrameEntry e = entries.get(i);
      final DecodedImage img = codec.read(out.resolve(e.file()));
      tiles.add(new ContactSheet.Tile(img, TimeConverter.format(e.ptsMicros())));
    }
    final DecodedImage sheet = ContactSheet.render(tiles, sheetColumns, tileWidth);
    write(out.resolve(CONTACT_SHEET), codec.encode(sheet.rgb(), sheet.width(), sheet.height(), ImageFormat.JPEG));

    final FramesIndex index = new FramesIndex(video, streamId, options.fps(), options.startMicros(), options.endMicros(),
        frameWidth, frameHeight, quality, CONTACT_SHEET, tiles.size(), entries.size(), error, List.copyOf(entries));
    try {
      Json.mapper().writeValue(out.resolve(INDEX).toFile(), index);
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot write " + out.resolve(INDEX), e);
    }
    if (json) {
      Json.print(term.out(), index);
    } else {
      final long bytes = entries.stream().mapToLong(FrameEntry::bytes).sum();
      term.println("%s: wrote %d frames (%dx%d, %s) to %s in %s, %s to %s; %s with %d thumbnails; %s",
          video, entries.size(), frameWidth, frameHeight, Units.bytes(bytes), out, Units.seconds(decodeNanos),
          TimeConverter.format(entries.get(0).ptsMicros()), TimeConverter.format(entries.get(entries.size() - 1).ptsMicros()),
          CONTACT_SHEET, tiles.size(), INDEX);
    }
    if (error != null) {
      term.err().println("vidctx frames: " + error + " (the frames before it were written)");
      term.err().flush();
    }
    return exit;
  }

  private void prepareOutput() {
    try {
      Files.createDirectories(out);
      final List<Path> earlier = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(out, "{frame_*.jpg," + CONTACT_SHEET + "," + INDEX + "}")) {
        ds.forEach(earlier::add);
      }
      if (!earlier.isEmpty()) {
        if (!overwrite) {
          throw CliException.invalidInput(out + " already holds " + earlier.size()
              + " files of an earlier run (frame_*.jpg, contact_sheet.jpg, index.json): pass --overwrite or pick another --out");
        }
        for (final Path p : earlier) {
          Files.delete(p);
        }
      }
    } catch (final IOException e) {
      throw new CliException(ExitCode.INVALID_INPUT, "cannot use " + out + " as output folder: " + e, e);
    }
  }

  private static void write(final Path file, final byte[] data) {
    try {
      Files.write(file, data);
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void check(final boolean ok, final String message) {
    if (!ok) {
      throw CliException.invalidInput(message);
    }
  }
}
