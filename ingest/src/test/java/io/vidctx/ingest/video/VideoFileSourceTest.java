package io.vidctx.ingest.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.testing.SharedData.VideoRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Decoding the shared real footage end to end. */
class VideoFileSourceTest {

  /** The clips with a sound track (the audio column of VIDEOS.tsv). */
  private static final java.util.Set<String> WITH_AUDIO = java.util.Set.of("big_buck_bunny_0_30.webm", "car_detection.mp4",
      "cockatoo.mp4", "sintel_trailer_720p.mp4", "wanna_work_together.mp4");

  static Stream<VideoRow> clips() {
    return SharedData.videos().stream();
  }

  private static List<VideoFrame> readAll(final String path, final DecodeOptions options) {
    try (VideoFileSource source = VideoFileSource.open(path, options)) {
      final List<VideoFrame> frames = new ArrayList<>();
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        frames.add(f.get());
      }
      return frames;
    }
  }

  private static String path(final String clip) {
    return SharedData.video(clip).toString();
  }

  /** Mean absolute difference per byte between two equally sized frames. */
  static double meanAbsDiff(final byte[] a, final byte[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return (double) sum / a.length;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clips")
  void shouldDecodeEveryFrameOfEveryClipInTimeOrder(final VideoRow clip) {
    // Small output keeps the test cheap; decoding still touches every packet of the file.
    try (VideoFileSource source = VideoFileSource.open(clip.path().toString(), DecodeOptions.DEFAULTS.withSize(64, 0))) {
      long count = 0;
      long last = -1;
      long first = -1;
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        final VideoFrame frame = f.get();
        assertEquals(count, frame.index(), "indices are dense from 0");
        assertTrue(frame.ptsMicros() > last, "times strictly increase at frame " + count);
        assertEquals(64, frame.width());
        assertEquals(Math.round(64.0 * clip.height() / clip.width()), frame.height());
        if (first < 0) {
          first = frame.ptsMicros();
        }
        last = frame.ptsMicros();
        count++;
      }
      assertEquals(clip.frames(), count, "decoded frames (ffprobe -count_frames says " + clip.frames() + ")");
      assertTrue(first >= 0 && first < 1_000_000 / clip.fps(), "first frame at " + first + " us");
      final double frameSeconds = 1 / clip.fps();
      assertEquals(clip.durationSeconds() - frameSeconds, last / 1e6, 2 * frameSeconds + 0.05, "last frame time");
      assertEquals(count, source.stats().delivered());
      assertEquals(0, source.stats().outOfOrder());
      assertEquals(0, source.stats().gaps(), "an intact clip has no holes in its time line");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clips")
  void shouldReportWhatTheContainerSays(final VideoRow clip) {
    final VideoInfo info = VideoProbe.probe(clip.path().toString());
    assertEquals(clip.width(), info.width());
    assertEquals(clip.height(), info.height());
    assertEquals(clip.fps(), info.fps(), 0.01);
    assertEquals(clip.durationSeconds(), info.durationSeconds(), 0.06);
    assertEquals(clip.frames(), info.frameCount(), 2);
    assertTrue(clip.codec().startsWith(info.videoCodec()), "codec " + info.videoCodec() + " vs " + clip.codec());
    assertEquals(1, info.videoStreams());
    assertEquals(WITH_AUDIO.contains(clip.file()) ? 1 : 0, info.audioStreams());
    final String demuxer = switch (clip.container()) {
      case "mp4" -> "mov,mp4,m4a,3gp,3g2,mj2";
      case "webm" -> "matroska,webm";
      case "mpeg-ps" -> "mpeg";
      default -> clip.container();
    };
    assertEquals(demuxer, info.container());
    assertEquals(clip.path().toString(), info.location());
    assertTrue(info.bitRate() > 0);
  }

  @Test
  void shouldSampleByPresentationTime() {
    // 59.94 fps source, 2 fps target over 10 s: one frame per half second, each the first of its slot.
    final List<VideoFrame> frames = new ArrayList<>();
    try (VideoFileSource source = VideoFileSource.open(path("highway_traffic_60fps.mp4"),
        DecodeOptions.DEFAULTS.withFps(2).withRange(0, 10_000_000))) {
      assertEquals(20, source.expectedFrames().orElseThrow());
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        frames.add(f.get());
      }
      final DecodeStats stats = source.stats();
      assertEquals(20, stats.delivered());
      assertEquals(580, stats.sampledOut(), "the other 580 of the 600 frames in 10 s: " + stats);
      assertEquals(601, stats.decoded(), "600 in range, plus the first one past the end");
    }
    assertEquals(20, frames.size());
    for (int k = 0; k < frames.size(); k++) {
      final long t = frames.get(k).ptsMicros();
      assertTrue(t >= k * 500_000L - 200 && t < k * 500_000L + 16_700, "slot " + k + " got " + t);
      assertEquals(k, frames.get(k).index());
    }
  }

  @Test
  void shouldSampleOggThatHasNoAverageFrameRate() {
    final String ogg = path("shepard_calais_1906.ogv");
    assertEquals(15, VideoProbe.probe(ogg).fps(), 1e-9);
    final List<VideoFrame> frames = readAll(ogg, DecodeOptions.DEFAULTS.withFps(5));
    assertEquals(96, frames.size());
    assertEquals(214, frames.get(0).width(), "the container's picture width, not the padded coded width");
    assertEquals(160, frames.get(0).height());
  }

  @Test
  void shouldSeekToStartAndDeliverTheSamePicturesAsReadingThrough() {
    final String mpg = path("city_cc0.mpg");
    final List<VideoFrame> all = readAll(mpg, DecodeOptions.DEFAULTS);
    final List<VideoFrame> window = readAll(mpg, DecodeOptions.DEFAULTS.withRange(5_000_000, 6_000_000));
    assertEquals(25, window.size());
    assertEquals(5_000_000, window.get(0).ptsMicros(), 1);
    assertTrue(window.get(24).ptsMicros() < 6_000_000);
    for (final VideoFrame w : window) {
      final VideoFrame same = all.stream().filter(a -> a.ptsMicros() == w.ptsMicros()).findFirst().orElseThrow();
      assertArrayEquals(same.rgb(), w.rgb(), "picture at " + w.ptsMicros() + " us");
    }
    assertEquals(0, window.get(0).index(), "index counts delivered frames, not source frames");
  }

  @Test
  void shouldRefuseAStartPastTheEnd() {
    final io.vidctx.ingest.IngestException e = assertThrows(io.vidctx.ingest.IngestException.class,
        () -> VideoFileSource.open(path("city_cc0.mpg"), DecodeOptions.DEFAULTS.withRange(9_000_000, -1)));
    assertTrue(e.getMessage().contains("9.000 s") && e.getMessage().contains("7.600 s"), e.getMessage());
  }

  @Test
  void shouldStopAfterMaxFrames() {
    try (VideoFileSource source = VideoFileSource.open(path("vtest.avi"), DecodeOptions.DEFAULTS.withMaxFrames(7))) {
      for (int i = 0; i < 7; i++) {
        assertTrue(source.next().isPresent());
      }
      assertFalse(source.next().isPresent());
      assertFalse(source.next().isPresent(), "stays at the end");
      assertEquals(7, source.expectedFrames().orElseThrow());
    }
  }

  @Test
  void shouldScaleInsideFfmpeg() {
    try (VideoFileSource source = VideoFileSource.open(path("sintel_trailer_720p.mp4"), DecodeOptions.DEFAULTS.withSize(320, 0))) {
      final VideoFrame f = source.next().orElseThrow();
      assertEquals(320, f.width());
      assertEquals(180, f.height());
      assertEquals(320 * 180 * 3, f.rgb().length);
    }
    try (VideoFileSource source = VideoFileSource.open(path("sintel_trailer_720p.mp4"), DecodeOptions.DEFAULTS.withSize(224, 224))) {
      final VideoFrame f = source.next().orElseThrow();
      assertEquals(224, f.width());
      assertEquals(224, f.height());
    }
  }

  @Test
  void shouldMatchJavaCvsOwnConversionPixelForPixel() throws Exception {
    // An independent path to the same picture: JavaCV's COLOR mode (its own swscale call, BGR24).
    // Ours is RGB and reads the colour matrix from each frame; colours must agree closely.
    for (final String clip : List.of("bottle_detection.mp4", "cockatoo.mp4", "big_buck_bunny_0_30.webm")) {
      final byte[] ours;
      final int w;
      final int h;
      try (VideoFileSource source = VideoFileSource.open(path(clip), DecodeOptions.DEFAULTS.withRange(3_000_000, -1))) {
        final VideoFrame f = source.next().orElseThrow();
        ours = f.rgb();
        w = f.width();
        h = f.height();
      }
      final byte[] theirs = new byte[w * h * 3];
      try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(path(clip))) {
        g.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24);
        g.start();
        g.setVideoTimestamp(3_000_000);
        final Frame f = g.grabImage();
        final java.nio.ByteBuffer buf = (java.nio.ByteBuffer) f.image[0];
        for (int y = 0; y < h; y++) {
          buf.get(y * f.imageStride, theirs, y * w * 3, w * 3);
        }
      }
      final double diff = meanAbsDiff(ours, theirs);
      assertTrue(diff < 4, clip + ": mean difference " + diff + " per channel value");
    }
  }

  @Test
  void shouldLineUpTimesWithTheKnownHardCuts() {
    // Big Buck Bunny has hard cuts at 11.79, 15.67 and 22.96 s: the three largest picture changes
    // between consecutive frames must fall on those times, which checks times against content.
    final VideoRow bunny = SharedData.videos().stream().filter(r -> r.file().startsWith("big_buck_bunny")).findFirst().orElseThrow();
    final List<VideoFrame> frames = readAll(bunny.path().toString(), DecodeOptions.DEFAULTS.withSize(96, 54));
    final List<double[]> changes = new ArrayList<>();
    for (int i = 1; i < frames.size(); i++) {
      changes.add(new double[] {meanAbsDiff(frames.get(i - 1).rgb(), frames.get(i).rgb()), frames.get(i).seconds()});
    }
    changes.sort((a, b) -> Double.compare(b[0], a[0]));
    final List<Double> cuts = bunny.hardCutSeconds();
    assertEquals(3, cuts.size());
    for (int k = 0; k < 3; k++) {
      final double at = changes.get(k)[1];
      assertTrue(cuts.stream().anyMatch(c -> Math.abs(c - at) <= 0.05), "big change at " + at + " s is not a known cut " + cuts);
    }
  }

  @Test
  void shouldStampStreamIdAndDescribeTheInput() {
    final String clip = path("car_detection.mp4");
    try (VideoFileSource source = VideoFileSource.open(clip, DecodeOptions.DEFAULTS.withStreamId("cam-7").withMaxFrames(2))) {
      assertEquals("cam-7", source.next().orElseThrow().streamId());
      assertEquals(clip, source.describe());
      assertEquals(377, VideoFileSource.open(clip).info().frameCount());
    }
  }

  @Test
  void shouldEstimateExpectedFrames() {
    try (VideoFileSource source = VideoFileSource.open(path("one_by_one_person_detection.mp4"),
        DecodeOptions.DEFAULTS.withFps(1).withSize(32, 0))) {
      assertEquals(140, source.expectedFrames().orElseThrow());
      long n = 0;
      while (source.next().isPresent()) {
        n++;
      }
      assertEquals(140, n, "the estimate matches what is delivered");
    }
    try (VideoFileSource source = VideoFileSource.open(path("one_by_one_person_detection.mp4"))) {
      assertEquals(1394, source.expectedFrames().orElseThrow());
    }
  }

  @Test
  void shouldCloseIdempotentlyAndRefuseUseAfterClose() {
    final VideoFileSource source = VideoFileSource.open(path("city_cc0.mpg"));
    source.close();
    source.close();
    assertThrows(IllegalStateException.class, source::next);
  }
}
