package io.vidctx.ingest.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.BundledFfmpeg;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.testing.SharedData.VideoRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our pictures against the {@code ffmpeg} command that ships in the same FFmpeg jar: an independent
 * decode-scale-convert path (its own demuxing, its scale filter, its colour handling) on the same
 * real clips. Channel order, colour matrix, range, cropping and scaling all have to agree: we expect
 * identical bytes (same swscale code, same flags, same colour details).
 */
class FfmpegCommandParityTest {

  static Stream<VideoRow> clips() {
    return SharedData.videos().stream();
  }

  /** The first picture of a clip as the ffmpeg command writes it: raw RGB24 on stdout. */
  static byte[] ffmpegFirstFrame(final String path, final int width, final int height) throws IOException, InterruptedException {
    final List<String> cmd = new ArrayList<>(List.of("-v", "error", "-nostdin", "-i", path, "-frames:v", "1",
        "-an", "-sws_flags", "bilinear"));
    if (width > 0) {
      cmd.addAll(List.of("-s", width + "x" + height));
    }
    cmd.addAll(List.of("-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"));
    final Process p = BundledFfmpeg.command(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
    final byte[] out = p.getInputStream().readAllBytes();
    final String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), err);
    return out;
  }

  private static VideoFrame ourFirstFrame(final String path, final int width, final int height) {
    try (VideoFileSource source = VideoFileSource.open(path, DecodeOptions.DEFAULTS.withSize(width, height))) {
      return source.next().orElseThrow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clips")
  void shouldMatchTheFfmpegCommandAtNativeSize(final VideoRow clip) throws Exception {
    final String path = clip.path().toString();
    final VideoFrame ours = ourFirstFrame(path, 0, 0);
    final byte[] theirs = ffmpegFirstFrame(path, 0, 0);
    assertEquals(theirs.length, ours.rgb().length, "same picture size: ours " + ours.width() + "x" + ours.height());
    final double diff = VideoFileSourceTest.meanAbsDiff(ours.rgb(), theirs);
    assertEquals(0.0, diff, clip.file() + ": mean difference " + diff);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clips")
  void shouldMatchTheFfmpegCommandWhenScaling(final VideoRow clip) throws Exception {
    final String path = clip.path().toString();
    final VideoFrame ours = ourFirstFrame(path, 224, 224);
    final byte[] theirs = ffmpegFirstFrame(path, 224, 224);
    assertEquals(224 * 224 * 3, theirs.length);
    final double diff = VideoFileSourceTest.meanAbsDiff(ours.rgb(), theirs);
    assertEquals(0.0, diff, clip.file() + ": mean difference " + diff);
  }
}
