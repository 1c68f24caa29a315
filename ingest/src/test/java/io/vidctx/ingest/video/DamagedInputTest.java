package io.vidctx.ingest.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Real clips cut short or damaged (copies in the build folder), and inputs that are not videos. */
class DamagedInputTest {

  private static Path copyPrefix(final String clip, final double share, final String name) throws IOException {
    final byte[] all = Files.readAllBytes(SharedData.video(clip));
    final Path out = SharedData.work("damaged").resolve(name);
    Files.write(out, Arrays.copyOf(all, (int) (all.length * share)));
    return out;
  }

  @Test
  void shouldDeliverEverythingReadableThenReportATruncatedFile() throws IOException {
    // highway_traffic_60fps.mp4 keeps its index (moov) at the front, so half the file still opens
    // and promises 29.5 s.
    final Path half = copyPrefix("highway_traffic_60fps.mp4", 0.5, "highway_half.mp4");
    long delivered = 0;
    long lastPts = -1;
    try (VideoFileSource source = VideoFileSource.open(half.toString(), DecodeOptions.DEFAULTS.withSize(48, 0))) {
      final IngestException.CorruptVideoException e = assertThrows(IngestException.CorruptVideoException.class, () -> {
        for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
          // drain
        }
      });
      delivered = source.stats().delivered();
      lastPts = source.stats().lastPtsMicros();
      assertEquals(delivered, e.framesDelivered());
      assertEquals(lastPts, e.positionMicros());
      assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(half.toString()), e.getMessage());
      assertTrue(source.next().isEmpty(), "after the report the source stays at its end");
    }
    assertTrue(delivered > 600 && delivered < 1769, "a half file holds roughly half the frames, got " + delivered);
    assertTrue(lastPts > 10_000_000 && lastPts < 25_000_000, "stopped at " + lastPts);
  }

  @Test
  void shouldNotReportTruncationWhenTheRequestedEndWasReached() throws IOException {
    final Path half = copyPrefix("highway_traffic_60fps.mp4", 0.5, "highway_half_range.mp4");
    try (VideoFileSource source = VideoFileSource.open(half.toString(), DecodeOptions.DEFAULTS.withRange(0, 5_000_000).withSize(48, 0))) {
      long n = 0;
      while (source.next().isPresent()) {
        n++;
      }
      assertEquals(300, n, "5 s at 59.94 fps");
    }
  }

  @Test
  void shouldNotMistakeASoundTrackThatRunsOnForTruncation() throws Exception {
    // 10 s of pictures with the full sound track (Big Buck Bunny in Matroska, the Sintel trailer in
    // MP4), remuxed without re-encoding by the ffmpeg command: the container says 30 s or 52 s, the
    // video stream (Matroska DURATION tag, MP4 track duration) says 10 s. Reaching 10 s is a complete
    // read, not a truncated one.
    for (final String[] c : new String[][] {{"big_buck_bunny_0_30.webm", "mkv"}, {"sintel_trailer_720p.mp4", "mp4"}}) {
      final String clip = SharedData.video(c[0]).toString();
      final Path out = SharedData.work("damaged").resolve("short_video." + c[1]);
      final Process p = io.vidctx.ingest.testing.BundledFfmpeg.command(java.util.List.of("-v", "error", "-nostdin", "-y", "-t", "10",
          "-i", clip, "-i", clip, "-map", "0:v", "-map", "1:a", "-c", "copy", out.toString())).redirectErrorStream(true)
          .start();
      final String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), log);
      assertTrue(VideoProbe.probe(out.toString()).durationSeconds() > 29, "the container says the sound track's length");
      try (VideoFileSource source = VideoFileSource.open(out.toString(), DecodeOptions.DEFAULTS.withSize(32, 0))) {
        long n = 0;
        while (source.next().isPresent()) {
          n++;
        }
        assertEquals(240, n, 2, c[1] + ": 10 s at 24 fps");
      }
    }
  }

  @Test
  void shouldRefuseAFileCutBeforeItsIndex() throws IOException {
    // sintel_trailer_720p.mp4 keeps its index at the end: without it nothing can be decoded.
    final Path cut = copyPrefix("sintel_trailer_720p.mp4", 0.5, "sintel_half.mp4");
    final IngestException e = assertThrows(IngestException.UnsupportedSourceException.class,
        () -> VideoFileSource.open(cut.toString(), DecodeOptions.DEFAULTS));
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
  }

  @Test
  void shouldSkipCorruptPacketsAndKeepGoing() throws IOException {
    // Overwrite 3 stretches of 4 KiB in the middle of vtest.avi with seeded noise: the damaged
    // pictures are lost or smeared, but decoding carries on to the end.
    final byte[] bytes = Files.readAllBytes(SharedData.video("vtest.avi"));
    final Random random = new Random(42);
    for (final double at : new double[] {0.3, 0.5, 0.7}) {
      final byte[] noise = new byte[4096];
      random.nextBytes(noise);
      System.arraycopy(noise, 0, bytes, (int) (bytes.length * at), noise.length);
    }
    final Path damaged = SharedData.work("damaged").resolve("vtest_noise.avi");
    Files.write(damaged, bytes);
    try (VideoFileSource source = VideoFileSource.open(damaged.toString(), DecodeOptions.DEFAULTS.withSize(64, 0))) {
      long n = 0;
      while (source.next().isPresent()) {
        n++;
      }
      assertTrue(n >= 780 && n <= 795, "frames from a lightly damaged 795-frame file: " + n);
      assertTrue(source.stats().lastPtsMicros() >= 79_000_000, "reached the end: " + source.stats());
    }
  }

  @Test
  void shouldCountTheFramesLostToHeavyDamage() throws IOException {
    final byte[] bytes = Files.readAllBytes(SharedData.video("highway_traffic_60fps.mp4"));
    final Random random = new Random(7);
    final byte[] noise = new byte[256 * 1024];
    random.nextBytes(noise);
    System.arraycopy(noise, 0, bytes, bytes.length / 2, noise.length);
    final Path damaged = SharedData.work("damaged").resolve("highway_noise.mp4");
    Files.write(damaged, bytes);
    try (VideoFileSource source = VideoFileSource.open(damaged.toString(), DecodeOptions.DEFAULTS.withSize(64, 0))) {
      long n = 0;
      while (source.next().isPresent()) {
        n++;
      }
      final DecodeStats stats = source.stats();
      System.out.println("heavily damaged highway: " + stats);
      assertTrue(stats.lastPtsMicros() > 29_000_000, "kept going to the end: " + stats);
      assertEquals(1769, n + stats.missingFrames(), 3, "delivered + reported missing = all frames: " + stats);
    }
  }

  @Test
  void shouldRefuseTextAsNotAVideo() throws IOException {
    final Path text = SharedData.work("damaged").resolve("notes.mp4");
    Files.writeString(text, "these are meeting notes, not a video\n".repeat(200));
    final IngestException e = assertThrows(IngestException.UnsupportedSourceException.class,
        () -> VideoFileSource.open(text.toString(), DecodeOptions.DEFAULTS));
    assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("FFmpeg"), e.getMessage());
  }

  @Test
  void shouldRefuseAPhotoAsAStillImage() {
    final String photo = SharedData.image("butterfly.jpg").toString();
    final IngestException e = assertThrows(IngestException.UnsupportedSourceException.class,
        () -> VideoFileSource.open(photo, DecodeOptions.DEFAULTS));
    assertTrue(e.getMessage().contains("still image"), e.getMessage());
    assertThrows(IngestException.UnsupportedSourceException.class, () -> VideoProbe.probe(photo));
  }

  @Test
  void shouldRefuseSoundWithoutPictures() throws Exception {
    // The real sound track of the Sintel trailer, first 3 s, written as a WAV file.
    final Path wav = SharedData.work("damaged").resolve("sintel_audio.wav");
    try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(SharedData.video("sintel_trailer_720p.mp4").toFile())) {
      g.start();
      try (org.bytedeco.javacv.FFmpegFrameRecorder r = new org.bytedeco.javacv.FFmpegFrameRecorder(wav.toFile(), g.getAudioChannels())) {
        r.setFormat("wav");
        r.setSampleRate(g.getSampleRate());
        r.setAudioCodec(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE);
        r.start();
        for (org.bytedeco.javacv.Frame s = g.grabSamples(); s != null && g.getTimestamp() < 3_000_000; s = g.grabSamples()) {
          r.record(s);
        }
      }
    }
    final IngestException e = assertThrows(IngestException.UnsupportedSourceException.class,
        () -> VideoFileSource.open(wav.toString(), DecodeOptions.DEFAULTS));
    assertTrue(e.getMessage().contains("no video stream") && e.getMessage().contains("1 audio"), e.getMessage());
  }
}
