package io.vidctx.samples.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.ingest.video.VideoInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoVideoGeneratorTest {

  @Test
  void shouldPlanContiguousScenesCoveringEveryFrame() {
    final DemoVideoGenerator gen = new DemoVideoGenerator(42, 20);
    assertEquals(500, gen.frameCount());
    final List<Scene> scenes = gen.scenes();
    assertEquals(5, scenes.size());
    long next = 0;
    for (final Scene s : scenes) {
      assertEquals(next, s.firstFrame());
      assertTrue(s.frameCount() >= DemoVideoGenerator.FPS, "scenes last at least a second: " + s);
      assertEquals(s.firstFrame() * 40_000, s.startMicros());
      next = s.firstFrame() + s.frameCount();
    }
    assertEquals(500, next);
    assertEquals(1, new DemoVideoGenerator(1, 1.5).scenes().size());
    assertThrows(IllegalArgumentException.class, () -> new DemoVideoGenerator(1, 0));
  }

  @Test
  void shouldBeDeterministicFromTheSeed() {
    final DemoVideoGenerator a = new DemoVideoGenerator(42, 20);
    final DemoVideoGenerator b = new DemoVideoGenerator(42, 20);
    final DemoVideoGenerator c = new DemoVideoGenerator(43, 20);
    assertEquals(a.scenes(), b.scenes());
    assertArrayEquals(a.renderRgb(123).rgb(), b.renderRgb(123).rgb());
    assertFalse(a.scenes().equals(c.scenes()), "another seed, another plan");
    assertFalse(Arrays.equals(a.renderRgb(0).rgb(), c.renderRgb(0).rgb()));
  }

  @Test
  void shouldWriteAVideoThatDecodesWithTheExpectedFramesAndCuts() {
    final DemoVideoGenerator gen = new DemoVideoGenerator(42, 12);
    final DemoVideo video = gen.generate(SharedData.work("demo-generator").resolve("demo12.mp4"));
    assertEquals(300, video.frameCount());
    assertEquals(12_000_000L, video.durationMicros());
    assertEquals(gen.scenes().size() - 1, video.cutsMicros().size());

    final List<Double> diffs = new ArrayList<>();
    final List<Long> pts = new ArrayList<>();
    try (VideoFileSource source = VideoFileSource.open(video.file().toString(), DecodeOptions.DEFAULTS)) {
      final VideoInfo info = source.info();
      assertEquals("mpeg4", info.videoCodec());
      assertEquals(640, info.width());
      assertEquals(360, info.height());
      assertEquals(25.0, info.fps(), 0.01);
      assertEquals(12.0, info.durationSeconds(), 0.05);
      byte[] prev = null;
      Optional<VideoFrame> f;
      while ((f = source.next()).isPresent()) {
        final VideoFrame frame = f.get();
        assertEquals(640, frame.width());
        assertEquals(360, frame.height());
        pts.add(frame.ptsMicros());
        if (prev != null) {
          diffs.add(meanAbsDiff(prev, frame.rgb()));
        }
        prev = frame.rgb();
      }
    }
    assertEquals(300, pts.size(), "every written frame decodes");
    assertEquals(0L, pts.get(0));
    assertEquals(11_960_000L, pts.get(299), 1000);

    // The largest frame-to-frame changes are exactly at the scene boundaries.
    final Set<Long> cutFrames = new HashSet<>(video.cutFrames());
    double maxWithin = 0;
    double minCut = Double.MAX_VALUE;
    for (int i = 0; i < diffs.size(); i++) {
      final long to = i + 1;
      if (cutFrames.contains(to)) {
        minCut = Math.min(minCut, diffs.get(i));
      } else {
        maxWithin = Math.max(maxWithin, diffs.get(i));
      }
    }
    assertTrue(minCut > 40, "cuts change the picture a lot: smallest cut diff " + minCut);
    assertTrue(minCut > 4 * maxWithin, "cut diff " + minCut + " vs largest within-scene diff " + maxWithin);
  }

  @Test
  void shouldDecodeToThePicturesItRendered() {
    final DemoVideoGenerator gen = new DemoVideoGenerator(5, 3);
    final DemoVideo video = gen.generate(SharedData.work("demo-generator").resolve("demo3.mp4"));
    try (VideoFileSource source = VideoFileSource.open(video.file().toString(),
        DecodeOptions.DEFAULTS.withRange(2_000_000, -1).withMaxFrames(1))) {
      final VideoFrame f = source.next().orElseThrow();
      assertEquals(2_000_000L, f.ptsMicros());
      final double err = meanAbsDiff(gen.renderRgb(50).rgb(), f.rgb());
      assertTrue(err < 6, "decoded frame 50 is the rendered one within codec loss: mean abs error " + err);
      assertTrue(meanAbsDiff(gen.renderRgb(10).rgb(), f.rgb()) > err, "and not some other frame");
    }
  }

  private static double meanAbsDiff(final byte[] a, final byte[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return sum / (double) a.length;
  }
}
