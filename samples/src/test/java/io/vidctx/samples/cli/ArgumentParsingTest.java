package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.kafka.FrameWireFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** White-box: parse arguments and inspect the command objects. */
class ArgumentParsingTest {

  private static ParseResult parse(final String... args) {
    final CommandLine cmd = Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    return cmd.parseArgs(args);
  }

  private static <T> T command(final ParseResult pr, final Class<T> type) {
    ParseResult r = pr;
    while (r != null) {
      if (type.isInstance(r.commandSpec().userObject())) {
        return type.cast(r.commandSpec().userObject());
      }
      r = r.subcommand();
    }
    throw new AssertionError("no " + type.getSimpleName() + " in the parse result");
  }

  @Test
  void shouldParseFramesOptionsAndTimes() {
    final FramesCommand f = command(parse("frames", "clip.mp4", "--out", "dir", "--fps", "2.5", "--start", "01:02.5",
        "--end", "1:00:00", "--max-frames", "7", "--width", "320", "--quality", "75"), FramesCommand.class);
    assertEquals("clip.mp4", f.video);
    assertEquals(Path.of("dir"), f.out);
    assertEquals(2.5, f.range.fps);
    assertEquals(62_500_000L, f.range.startMicros);
    assertEquals(3_600_000_000L, f.range.endMicros);
    assertEquals(7L, f.range.maxFrames);
    assertEquals(320, f.range.width);
    assertEquals(0, f.range.height);
    assertEquals(75, f.quality);
  }

  @Test
  void shouldApplyFramesDefaults() {
    final FramesCommand f = command(parse("frames", "clip.mp4", "--out", "dir"), FramesCommand.class);
    assertEquals(1.0, f.range.fps);
    assertEquals(0L, f.range.startMicros);
    assertNull(f.range.endMicros);
    assertNull(f.range.maxFrames);
    assertEquals(90, f.quality);
    assertEquals(48, f.sheetMax);
    assertFalse(f.overwrite);
  }

  @Test
  void shouldParsePublishOptions() {
    final PublishCommand p = command(parse("publish", "a/b/city.mpg", "--format", "PNG", "-b", "k1:9092,k2:9092",
        "--stream-id", "cam7", "--claim-check-dir", "/mnt/claims"), PublishCommand.class);
    assertEquals(ImageFormat.PNG, p.format);
    assertEquals(Path.of("/mnt/claims"), p.claimCheckDir);
    assertEquals("k1:9092,k2:9092", p.bootstrapServers);
    assertEquals("cam7", p.streamId);
    assertEquals(FrameWireFormat.DEFAULT_TOPIC, p.topic);
    assertEquals(1.0, p.range.fps);

    final PublishCommand d = command(parse("publish", "clip.mp4"), PublishCommand.class);
    assertEquals(ImageFormat.JPEG, d.format);
    assertNull(d.bootstrapServers);
    assertNull(d.streamId);
    assertNull(d.claimCheckDir, "no claim check unless asked: oversized frames are refused");
  }

  @Test
  void shouldParseBenchSubcommands() {
    final BenchDecodeCommand d = command(parse("bench", "decode", "a.mp4", "b.webm", "--repeat", "1", "--fps", "0"),
        BenchDecodeCommand.class);
    assertEquals(List.of(Path.of("a.mp4"), Path.of("b.webm")), d.clips);
    assertEquals(1, d.repeat);
    assertEquals(0.0, d.fps);
    assertEquals("ffmpeg", d.ffmpeg);

    final BenchPublishCommand p = command(parse("bench", "publish"), BenchPublishCommand.class);
    assertEquals(500, p.frames);
    assertEquals(1280, p.width);
    assertEquals(720, p.height);
  }

  @Test
  void shouldSeeVerbosityGivenOnAnAncestorCommand() {
    final ParseResult pr = parse("--quiet", "frames", "clip.mp4", "--out", "d");
    final FramesCommand f = command(pr, FramesCommand.class);
    assertTrue(f.logging.quiet());
    assertFalse(f.logging.verbose());

    final FramesCommand v = command(parse("frames", "clip.mp4", "--out", "d", "-v"), FramesCommand.class);
    assertTrue(v.logging.verbose());
    assertFalse(v.logging.quiet());

    final BenchDecodeCommand b = command(parse("-v", "bench", "decode"), BenchDecodeCommand.class);
    assertTrue(b.logging.verbose());
  }

  @Test
  void shouldSuppressNotesAndProgressForJson() {
    final InfoCommand i = command(parse("info", "x.mp4", "--json"), InfoCommand.class);
    final Terminal t = i.logging.terminal(i.json);
    assertTrue(t.quiet());
    assertFalse(t.progressBars());
  }
}
