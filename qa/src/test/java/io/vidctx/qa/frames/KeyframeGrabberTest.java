package io.vidctx.qa.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.testing.Photos;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.qa.Keyframe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyframe pictures from real footage, checked against a plain sequential decode (no seeking) of
 * the same video at the same size.
 */
class KeyframeGrabberTest {

  /**
   * JPEG against the raw frame, mean per byte: measured 0.2-2.1 at quality 85 and 3.7 at quality 70 on
   * these clips; the neighbouring frames measured 2.2-80 against the same JPEG.
   */
  private static final double MAX_JPEG_ERROR = 6;

  /** Frames within this of a target are kept by the reference pass (nearest and its neighbours). */
  private static final long KEEP_MICROS = 400_000;

  @TempDir
  Path dir;

  private static Keyframe keyframe(final double seconds) {
    return new Keyframe(Math.round(seconds * 1e6), 0.25, 0.5f, null);
  }

  private static DecodedImage decode(final Keyframe k) {
    return new ImageCodec().decode(Objects.requireNonNull(k.jpeg(), "jpeg"), ImageFormat.JPEG);
  }

  /** What a sequential pass saw: every frame time, the frames near the targets, and the last frame. */
  private record Reference(List<Long> times, Map<Long, VideoFrame> kept, VideoFrame last) {

    /** The frame nearest to {@code micros} (earlier on a tie), and its neighbours where kept. */
    VideoFrame[] nearestWithNeighbours(final long micros) {
      int best = 0;
      for (int i = 1; i < times.size(); i++) {
        if (Math.abs(times.get(i) - micros) < Math.abs(times.get(best) - micros)) {
          best = i;
        }
      }
      final VideoFrame nearest = kept.get(times.get(best));
      assertTrue(nearest != null, "reference kept the frame at " + times.get(best));
      return new VideoFrame[] {
        best > 0 ? kept.get(times.get(best - 1)) : null, nearest,
        best + 1 < times.size() ? kept.get(times.get(best + 1)) : null
      };
    }
  }

  private static Reference sequential(final Path video, final DecodeOptions options, final long... targets) {
    final List<Long> times = new ArrayList<>();
    final Map<Long, VideoFrame> kept = new HashMap<>();
    VideoFrame last = null;
    try (VideoFileSource source = VideoFileSource.open(video.toString(), options)) {
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        last = f.get();
        times.add(last.ptsMicros());
        for (final long t : targets) {
          if (Math.abs(last.ptsMicros() - t) <= KEEP_MICROS) {
            kept.put(last.ptsMicros(), last);
          }
        }
      }
    }
    return new Reference(times, kept, Objects.requireNonNull(last, "no frames"));
  }

  /**
   * The picture is the nearest frame: close to it (JPEG error only), and closer to it than to either
   * neighbour, so the check would catch an off-by-one frame.
   */
  private static void assertIsFrame(final VideoFrame[] candidates, final DecodedImage image, final String what) {
    final VideoFrame nearest = candidates[1];
    assertEquals(nearest.width() + "x" + nearest.height(), image.width() + "x" + image.height(), what + " size");
    final double error = Photos.meanAbsoluteError(nearest.rgb(), image.rgb());
    assertTrue(error < MAX_JPEG_ERROR, what + ": mean absolute error " + error + " against the frame at "
        + nearest.ptsMicros() + " us");
    for (final VideoFrame neighbour : new VideoFrame[] {candidates[0], candidates[2]}) {
      if (neighbour != null) {
        final double other = Photos.meanAbsoluteError(neighbour.rgb(), image.rgb());
        assertTrue(error < other, what + ": closer to the neighbour at " + neighbour.ptsMicros() + " us (" + other
            + ") than to the nearest frame at " + nearest.ptsMicros() + " us (" + error + ")");
      }
    }
  }

  private static void assertKeptFields(final List<Keyframe> asked, final List<Keyframe> got) {
    assertEquals(asked.size(), got.size());
    for (int i = 0; i < asked.size(); i++) {
      assertEquals(asked.get(i).ptsMicros(), got.get(i).ptsMicros(), "order and time kept at " + i);
      assertEquals(asked.get(i).share(), got.get(i).share());
      assertEquals(asked.get(i).similarity(), got.get(i).similarity());
      assertTrue(got.get(i).hasImage());
    }
  }

  @Test
  void shouldGrabTheNearestFramesOfAnAvi() {
    final Path video = SharedData.video("vtest.avi"); // 79.5 s, 10 fps, 768x576
    final List<Keyframe> asked = List.of(keyframe(1.0), keyframe(40.0), keyframe(75.3), keyframe(200.0));

    final List<Keyframe> got = new KeyframeGrabber(video.toString()).grab(asked);

    assertKeptFields(asked, got);
    final Reference ref = sequential(video, DecodeOptions.DEFAULTS, 1_000_000, 40_000_000, 75_300_000);
    for (int i = 0; i < 3; i++) {
      final DecodedImage image = decode(got.get(i));
      assertEquals(768, image.width());
      assertEquals(576, image.height());
      assertIsFrame(ref.nearestWithNeighbours(asked.get(i).ptsMicros()), image, "keyframe at " + asked.get(i));
    }
    final DecodedImage beyond = decode(got.get(3));
    assertTrue(Photos.meanAbsoluteError(ref.last().rgb(), beyond.rgb()) < MAX_JPEG_ERROR, "past the end: the last frame");
  }

  @Test
  void shouldGrabFromWebmScaledDownToMaxWidth() {
    final Path video = SharedData.video("big_buck_bunny_0_30.webm"); // 30 s, 24 fps, 1280x720, cuts at 11.79 s
    final List<Keyframe> asked = List.of(keyframe(1.0), keyframe(11.8), keyframe(12.3), keyframe(29.9),
        keyframe(45.0));

    final List<Keyframe> got = new KeyframeGrabber(video.toString()).grab(asked);

    assertKeptFields(asked, got);
    final Reference ref = sequential(video, DecodeOptions.DEFAULTS.withSize(768, 0),
        1_000_000, 11_800_000, 12_300_000, 29_900_000);
    for (int i = 0; i < 4; i++) {
      final DecodedImage image = decode(got.get(i));
      assertEquals(768, image.width(), "scaled to maxWidth");
      assertEquals(432, image.height(), "aspect kept");
      assertIsFrame(ref.nearestWithNeighbours(asked.get(i).ptsMicros()), image, "keyframe at " + asked.get(i));
    }
    assertTrue(Photos.meanAbsoluteError(ref.last().rgb(), decode(got.get(4)).rgb()) < MAX_JPEG_ERROR, "past the end");
  }

  @Test
  void shouldKeepTheGivenOrderAndRespectASmallMaxWidth() {
    final Path video = SharedData.video("vtest.avi");
    // Out of time order, a repeated time, and two times whose nearest frame is the same (1.0 s).
    final List<Keyframe> asked = List.of(keyframe(3.0), keyframe(0.97), keyframe(3.0), keyframe(1.04));

    final List<Keyframe> got = new KeyframeGrabber(video.toString(), 320, 70).grab(asked);

    assertKeptFields(asked, got);
    final Reference ref =
        sequential(video, DecodeOptions.DEFAULTS.withSize(320, 0).withRange(0, 4_000_000), 970_000, 3_000_000);
    for (int i = 0; i < asked.size(); i++) {
      final DecodedImage image = decode(got.get(i));
      assertEquals(320, image.width());
      assertEquals(240, image.height());
      assertIsFrame(ref.nearestWithNeighbours(asked.get(i).ptsMicros()), image, "keyframe at " + asked.get(i));
    }
    assertSame(got.get(1).jpeg(), got.get(3).jpeg(), "one frame, encoded once");
    assertArrayEquals(got.get(0).jpeg(), got.get(2).jpeg());
  }

  @Test
  void shouldNeverEnlargeASmallVideo() {
    final Path video = SharedData.video("shepard_calais_1906.ogv"); // 214x160
    final DecodedImage image = decode(new KeyframeGrabber(video.toString()).grab(List.of(keyframe(10.0))).get(0));
    assertEquals(214, image.width());
    assertEquals(160, image.height());
  }

  @Test
  void shouldPropagateTheIngestErrorNamingTheVideo() throws IOException {
    final Path missing = dir.resolve("no_such_clip.mp4");
    final IngestException notFound = assertThrows(IngestException.SourceNotFoundException.class,
        () -> new KeyframeGrabber(missing.toString()).grab(List.of(keyframe(1))));
    assertTrue(notFound.getMessage().contains("no_such_clip.mp4"), notFound.getMessage());

    final Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video at all\n".repeat(100));
    final IngestException unreadable =
        assertThrows(IngestException.class, () -> new KeyframeGrabber(text.toString()).grab(List.of(keyframe(1))));
    assertTrue(unreadable.getMessage().contains("notes.mp4"), unreadable.getMessage());
  }

  @Test
  void shouldNotOpenTheVideoForNoKeyframes() {
    assertEquals(List.of(), new KeyframeGrabber(dir.resolve("never_opened.mp4").toString()).grab(List.of()));
  }

  @Test
  void shouldRefuseBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new KeyframeGrabber("x.mp4", 0, 85));
    assertThrows(IllegalArgumentException.class, () -> new KeyframeGrabber("x.mp4", 768, 0));
    assertThrows(IllegalArgumentException.class, () -> new KeyframeGrabber("x.mp4", 768, 101));
  }

  @Test
  void shouldWriteJpegsNamedByIndexAndTime() throws IOException {
    final byte[] jpeg = new ImageCodec(85).encode(new byte[8 * 6 * 3], 8, 6, ImageFormat.JPEG);
    final List<Keyframe> keyframes = List.of(keyframe(1.0).withJpeg(jpeg), keyframe(75.3).withJpeg(jpeg),
        new Keyframe(3_723_456_789L, 0.1, Float.NaN, jpeg));

    final Path out = dir.resolve("keyframes");
    final List<Path> written = KeyframeGrabber.writeAll(keyframes, out);

    assertEquals(List.of(out.resolve("keyframe_000_0-00-01.000.jpg"), out.resolve("keyframe_001_0-01-15.300.jpg"),
        out.resolve("keyframe_002_1-02-03.456.jpg")), written);
    for (final Path file : written) {
      assertArrayEquals(jpeg, Files.readAllBytes(file));
    }
    assertEquals("keyframe_1000_0-00-00.000.jpg", KeyframeGrabber.fileName(1000, 0));
  }

  @Test
  void shouldRefuseToWriteKeyframesWithoutJpeg() {
    final byte[] jpeg = new ImageCodec().encode(new byte[4 * 4 * 3], 4, 4, ImageFormat.JPEG);
    final Path out = dir.resolve("none");
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeyframeGrabber.writeAll(List.of(keyframe(1).withJpeg(jpeg), keyframe(2)), out));
    assertTrue(e.getMessage().contains("keyframe 1") && e.getMessage().contains("0-00-02.000"), e.getMessage());
    assertTrue(Files.notExists(out), "nothing written");
  }
}
