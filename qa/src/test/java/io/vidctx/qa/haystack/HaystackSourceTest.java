package io.vidctx.qa.haystack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.testing.Photos;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Haystacks of real footage: city_cc0.mpg (7.6 s, 16 frames at 2 fps) then shepard_calais_1906.ogv
 * (19.2 s, 39 frames), with real photos as needles.
 */
class HaystackSourceTest {

  private static final double FPS = 2.0;
  private static final long PERIOD = 500_000;
  private static final int W = 160;
  private static final int H = 90;
  private static final long TWO_SECONDS = 2_000_000;

  private static List<Path> clips() {
    return List.of(SharedData.video("city_cc0.mpg"), SharedData.video("shepard_calais_1906.ogv"));
  }

  private static HaystackSpec spec() {
    return HaystackSpec.of(clips(), FPS).withSize(W, H);
  }

  private static List<VideoFrame> drain(final FrameSource source) {
    final List<VideoFrame> frames = new ArrayList<>();
    for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
      frames.add(f.get());
    }
    return frames;
  }

  private static List<VideoFrame> playAlone(final HaystackSpec spec) {
    try (HaystackSource source = HaystackSource.open(spec)) {
      return drain(source);
    }
  }

  /** What ingest alone delivers for one clip at the same sampling and size. */
  private static List<VideoFrame> decode(final Path clip) {
    try (VideoFileSource source = VideoFileSource.open(clip.toString(), DecodeOptions.DEFAULTS.withFps(FPS).withSize(W, H))) {
      return drain(source);
    }
  }

  private static void assertShowsNeedle(final DecodedImage expected, final VideoFrame frame) {
    final double mae = Photos.meanAbsoluteError(expected.rgb(), frame.rgb());
    assertTrue(mae < 0.5, frame + " should show the needle, mean absolute error " + mae);
  }

  @Test
  void shouldPlayClipsBackToBackOnOneTimeGrid() {
    final List<VideoFrame> reference = new ArrayList<>(decode(clips().get(0)));
    final int cityFrames = reference.size();
    reference.addAll(decode(clips().get(1)));
    try (HaystackSource source = HaystackSource.open(spec())) {
      final List<VideoFrame> frames = drain(source);
      assertEquals(List.of((long) cityFrames, (long) (reference.size() - cityFrames)), source.clipFrameCounts());
      assertEquals(16, cityFrames, "7.6 s at 2 fps");
      assertEquals(55, frames.size(), "16 + 39 sampled frames");
      assertEquals(frames.size(), source.expectedFrames().orElseThrow());
      assertEquals(55 * PERIOD, source.haystackDurationMicros());
      assertTrue(source.needleIntervals().isEmpty());
      for (int k = 0; k < frames.size(); k++) {
        final VideoFrame f = frames.get(k);
        assertEquals(k, f.index());
        assertEquals(k * PERIOD, f.ptsMicros(), "frame " + k + " on the 1/fps grid, no gap at the clip boundary");
        assertEquals(W, f.width());
        assertEquals(H, f.height());
        assertEquals("haystack", f.streamId());
        assertArrayEquals(reference.get(k).rgb(), f.rgb(), "frame " + k + " is the clip's own sampled picture");
      }
      assertTrue(source.next().isEmpty(), "stays at its end");
    }
  }

  @Test
  void shouldInsertTheNeedleAsFramesAndDelayTheRest() {
    final List<VideoFrame> alone = playAlone(spec());
    final DecodedImage cat = Photos.read("cat.png");
    final DecodedImage expected = ImageAlterations.letterbox(cat, W, H);
    final List<VideoFrame> frames;
    final NeedleInterval interval;
    try (HaystackSource source = HaystackSource.open(spec().withNeedle(new Needle(cat, 0.5, TWO_SECONDS, "cat")))) {
      frames = drain(source);
      assertEquals(1, source.needleIntervals().size());
      interval = source.needleIntervals().get(0);
      assertEquals(frames.size(), source.expectedFrames().orElseThrow());
    }
    // D = 27.5 s; the first sampled time at or after 13.75 s is 14 s, frame 28; 2 s at 2 fps = 4 frames.
    assertEquals(new NeedleInterval("cat", 14_000_000, 15_500_000, 28, 31), interval);
    assertEquals(alone.size() + 4, frames.size());
    assertEquals(alone.get(alone.size() - 1).ptsMicros() + TWO_SECONDS, frames.get(frames.size() - 1).ptsMicros(),
        "the stream lasts D + the needle's duration");
    for (int k = 0; k < frames.size(); k++) {
      final VideoFrame f = frames.get(k);
      assertEquals(k, f.index());
      assertEquals(k * PERIOD, f.ptsMicros());
      if (interval.containsIndex(k)) {
        assertShowsNeedle(expected, f);
        continue;
      }
      final VideoFrame ref = alone.get(k < interval.firstIndex() ? k : k - 4);
      final long shift = k < interval.firstIndex() ? 0 : TWO_SECONDS;
      assertEquals(ref.ptsMicros() + shift, f.ptsMicros());
      assertArrayEquals(ref.rgb(), f.rgb(), "frame " + k + " is the needle-free haystack's frame " + ref.index());
      assertTrue(Photos.meanAbsoluteError(expected.rgb(), f.rgb()) > 10, "haystack frame " + k + " looks unlike the cat");
    }
    assertEquals(frames.get((int) interval.firstIndex()).ptsMicros(), interval.startMicros());
    assertEquals(frames.get((int) interval.lastIndex()).ptsMicros(), interval.endMicros());
  }

  @Test
  void shouldPlaceDepthsZeroHalfAndOneAtStartMiddleAndEnd() {
    final List<Long> counts;
    final long d;
    try (HaystackSource probe = HaystackSource.open(spec())) {
      counts = probe.clipFrameCounts();
      d = probe.haystackDurationMicros();
    }
    final DecodedImage coffee = Photos.read("coffee.png");
    final DecodedImage expected = ImageAlterations.letterbox(coffee, W, H);
    for (final double depth : new double[] {0.0, 0.5, 1.0}) {
      // Known counts: no counting pass per depth, as in a length x depth grid.
      final HaystackSpec spec = spec().withNeedle(new Needle(coffee, depth, TWO_SECONDS, "coffee"));
      try (HaystackSource source = HaystackSource.open(spec, counts)) {
        final NeedleInterval at = source.needleIntervals().get(0);
        final double target = depth * d;
        assertTrue(at.startMicros() >= target && at.startMicros() - target < PERIOD,
            "depth " + depth + ": starts at " + at.startMicros() + " us, d*D = " + target);
        final List<VideoFrame> frames = drain(source);
        assertEquals(frames.size(), source.expectedFrames().orElseThrow());
        for (long k = at.firstIndex(); k <= at.lastIndex(); k++) {
          assertShowsNeedle(expected, frames.get((int) k));
        }
        if (depth == 0.0) {
          assertEquals(0, at.firstIndex());
        } else if (depth == 1.0) {
          assertEquals(frames.size() - 1, at.lastIndex(), "the needle closes the stream");
        } else {
          assertEquals(frames.size() / 2.0, (at.firstIndex() + at.lastIndex()) / 2.0, 2.0);
        }
      }
    }
  }

  @Test
  void shouldKeepSeveralNeedlesApartInStreamOrder() {
    final DecodedImage cat = Photos.read("cat.png");
    final DecodedImage rocket = Photos.read("rocket.jpg");
    final HaystackSpec spec = spec().withNeedles(List.of(
        new Needle(rocket, 0.75, 1_000_000, "rocket"), new Needle(cat, 0.25, 1_500_000, "cat")));
    try (HaystackSource source = HaystackSource.open(spec)) {
      final List<NeedleInterval> at = source.needleIntervals();
      assertEquals(List.of("cat", "rocket"), at.stream().map(NeedleInterval::label).toList());
      // N = 55: cat before haystack frame 14 (3 frames), rocket before haystack frame 42 (2 frames).
      assertEquals(new NeedleInterval("cat", 7_000_000, 8_000_000, 14, 16), at.get(0));
      assertEquals(new NeedleInterval("rocket", 22_500_000, 23_000_000, 45, 46), at.get(1));
      final List<VideoFrame> frames = drain(source);
      assertEquals(60, frames.size());
      assertShowsNeedle(ImageAlterations.letterbox(cat, W, H), frames.get(15));
      assertShowsNeedle(ImageAlterations.letterbox(rocket, W, H), frames.get(46));
    }
  }

  @Test
  void shouldRefuseANeedleLongerThanTheHaystack() {
    final HaystackSpec spec = HaystackSpec.of(List.of(SharedData.video("city_cc0.mpg")), 1.0).withSize(W, H)
        .withNeedle(new Needle(Photos.read("cat.png"), 0.5, 60_000_000, "cat"));
    try (HaystackSource source = HaystackSource.open(spec)) {
      final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, source::next);
      assertTrue(e.getMessage().contains("60000000 us") && e.getMessage().contains("longer than the haystack"),
          e.getMessage());
    }
  }

  @Test
  void shouldNameAMissingClip() {
    final Path missing = SharedData.work("haystack").resolve("no_such_clip.mp4");
    final List<Path> withMissing = List.of(SharedData.video("city_cc0.mpg"), missing);
    final IngestException e = assertThrows(IngestException.SourceNotFoundException.class,
        () -> HaystackSource.open(HaystackSpec.of(withMissing, FPS)));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void shouldReportADamagedClipByName() throws IOException {
    // car_detection.mp4 keeps its index at the front: half the file opens and promises 30.2 s.
    final byte[] all = Files.readAllBytes(SharedData.video("car_detection.mp4"));
    final Path half = SharedData.work("haystack").resolve("car_half.mp4");
    Files.write(half, Arrays.copyOf(all, all.length / 2));
    final HaystackSpec spec = HaystackSpec.of(List.of(SharedData.video("city_cc0.mpg"), half), 1.0).withSize(64, 36);
    try (HaystackSource source = HaystackSource.open(spec)) {
      final IngestException e = assertThrows(IngestException.CorruptVideoException.class, () -> drain(source));
      assertTrue(e.getMessage().contains(half.toString()), e.getMessage());
    }
  }

  @Test
  void shouldNameTheClipWhoseCountDoesNotMatch() {
    final Path shepard = clips().get(1);
    try (HaystackSource source = HaystackSource.open(spec(), List.of(16L, 40L))) {
      final IngestException e = assertThrows(IngestException.class, () -> drain(source));
      assertTrue(e.getMessage().contains(shepard.toString()) && e.getMessage().contains("39"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> HaystackSource.open(spec(), List.of(16L)));
  }

  @Test
  void shouldDescribeItselfAndCloseIdempotently() {
    final HaystackSource source =
        HaystackSource.open(spec().withNeedle(new Needle(Photos.read("cat.png"), 0.5, TWO_SECONDS, "cat")));
    assertTrue(source.next().isPresent());
    final String text = source.describe();
    assertTrue(text.contains("city_cc0.mpg") && text.contains("shepard_calais_1906.ogv") && text.contains("cat@0.5"),
        text);
    source.close();
    source.close();
    assertThrows(IllegalStateException.class, source::next);
    assertFalse(source.needleIntervals().isEmpty(), "what was counted stays known after close");
  }
}
