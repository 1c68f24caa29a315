package io.vidctx.samples.cli;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.video.VideoInfo;
import io.vidctx.ingest.video.VideoProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx info}: what the containers say, without decoding pictures. */
@Command(
    name = "info",
    header = "Show container, codec, duration, frame rate, size and streams of videos.",
    description = {
      "Reads each video's container facts without decoding pictures and prints a table (or JSON with"
          + " --json). Every video is reported; the exit code is that of the worst failure (2 for a missing"
          + " file or an input that is not a video)."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class InfoCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<video>", arity = "1..*",
      description = "Video files or URLs (rtsp://, http(s)://, /dev/video0).")
  List<String> videos;

  @Option(names = "--json", description = "Print a JSON array (one object per video) instead of a table.")
  boolean json;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /** One video's facts as printed by {@code --json}. */
  public record Row(
      String location,
      String container,
      String videoCodec,
      String pixelFormat,
      double durationSeconds,
      long durationMicros,
      double fps,
      int width,
      int height,
      long frameCount,
      int streamCount,
      int videoStreams,
      int audioStreams,
      long bitRate) {

    static Row of(final VideoInfo i) {
      return new Row(i.location(), i.container(), i.videoCodec(), i.pixelFormat(), i.durationSeconds(),
          i.durationMicros(), i.fps(), i.width(), i.height(), i.frameCount(), i.streamCount(), i.videoStreams(),
          i.audioStreams(), i.bitRate());
    }
  }

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    final List<Row> rows = new ArrayList<>();
    int exit = ExitCode.OK;
    for (final String video : videos) {
      try {
        rows.add(Row.of(VideoProbe.probe(video)));
      } catch (final IngestException e) {
        if (videos.size() == 1) {
          throw e;
        }
        term.err().println("vidctx info: " + e.getMessage());
        term.err().flush();
        exit = Math.max(exit, Cli.exitCodeOf(e));
      }
    }
    if (json) {
      Json.print(term.out(), rows);
    } else if (!rows.isEmpty()) {
      final TextTable table = new TextTable(
          "VIDEO", "CONTAINER", "CODEC", "PIXFMT", "DURATION", "FPS", "SIZE", "FRAMES", "STREAMS V/A/ALL", "BITRATE");
      for (final Row r : rows) {
        table.row(r.location(), r.container(), r.videoCodec(), r.pixelFormat(),
            r.durationMicros() < 0 ? "?" : TimeConverter.format(r.durationMicros()),
            r.fps() > 0 ? String.format(Locale.ROOT, "%.3f", r.fps()) : "?",
            r.width() + "x" + r.height(),
            r.frameCount() < 0 ? "?" : Long.toString(r.frameCount()),
            r.videoStreams() + "/" + r.audioStreams() + "/" + r.streamCount(),
            Units.bitRate(r.bitRate()));
      }
      table.print(term.out());
    }
    return exit;
  }
}
