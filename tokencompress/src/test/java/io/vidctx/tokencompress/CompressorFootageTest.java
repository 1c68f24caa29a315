package io.vidctx.tokencompress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.builtin.BuiltinModel;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.tokencompress.temporal.TemporalFootageTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stages 1-4 on every shared clip, decoded at 2 fps and encoded by the built-in encoder: exact
 * provenance on real data, the reduction each stage achieves (printed as a table for the README),
 * the 95 % bar on the static-camera clips, and the people of one_by_one_person_detection
 * still present in the compressed tokens.
 */
class CompressorFootageTest {
  private static final double FPS = 2;
  private static final List<String> STATIC_95 =
      List.of("one_by_one_person_detection.mp4", "vtest.avi", "car_detection.mp4");

  private static OnnxVisionEncoder encoder;
  private static final Map<String, Run> RUNS = new LinkedHashMap<>();

  /** One clip through the compressor. */
  record Run(List<Long> framePts, List<CompressedUnit> units, List<StageStats> stats) {}

  @BeforeAll
  static void compressEveryClip() {
    encoder = OnnxVisionEncoder.open(BuiltinModel.ensure(SharedData.work("builtin-model")),
        RuntimeOptions.DEFAULTS.withIntraOpThreads(1));
    for (final SharedData.VideoRow row : SharedData.videos()) {
      RUNS.put(row.file(), compress(row.file()));
    }
    final StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "%-32s %6s %7s %7s %7s %7s %8s%n", "clip", "frames", "in", "filter", "spatial", "merge", "reduced"));
    RUNS.forEach((clip, run) -> {
      final List<StageStats> s = run.stats();
      table.append(String.format(Locale.ROOT, "%-32s %6d %7d %7d %7d %7d %7.2f%%%n", clip, s.get(4).framesIn(),
          s.get(4).tokensIn(), s.get(0).tokensOut(), s.get(2).tokensOut(), s.get(3).tokensOut(),
          100 * s.get(4).reduction()));
    });
    System.out.print("compressor at 2 fps, built-in encoder, default config:\n" + table);
  }

  @AfterAll
  static void close() {
    if (encoder != null) {
      encoder.close();
    }
  }

  private static Run compress(final String clip) {
    final List<CompressedUnit> units = new ArrayList<>();
    final List<Long> pts = new ArrayList<>();
    final StreamingCompressor compressor = new StreamingCompressor(CompressorConfig.DEFAULTS, units::add);
    try (VideoFileSource src = VideoFileSource.open(SharedData.video(clip).toString(),
        DecodeOptions.DEFAULTS.withFps(FPS).withSize(BuiltinModel.SIZE, BuiltinModel.SIZE))) {
      final List<VideoFrame> batch = new ArrayList<>();
      for (Optional<VideoFrame> f = src.next(); ; f = src.next()) {
        f.ifPresent(batch::add);
        if (batch.size() == 32 || (f.isEmpty() && !batch.isEmpty())) {
          for (final FrameTokens t : encoder.encode(batch)) {
            pts.add(t.ptsMicros());
            compressor.accept(t);
          }
          batch.clear();
        }
        if (f.isEmpty()) {
          break;
        }
      }
    }
    compressor.flush();
    return new Run(pts, units, compressor.stats());
  }

  @Test
  void shouldKeepExactProvenanceOnEveryClip() {
    RUNS.forEach((clip, run) -> {
      final long patches = (long) run.framePts().size() * BuiltinModel.GRID * BuiltinModel.GRID;
      assertEquals(patches, run.units().stream().mapToLong(u -> u.tokens().totalWeight()).sum(), clip);
      long lastStart = Long.MIN_VALUE;
      for (final CompressedUnit u : run.units()) {
        u.tokens().checkInvariants();
        assertTrue(u.tokens().isTimeOrdered(), clip);
        assertTrue(u.tokens().startPts(0) >= lastStart, clip + ": units in time order");
        lastStart = u.tokens().startPts(0);
      }
      for (final long pts : run.framePts()) {
        assertTrue(StreamingCompressorTest.covered(run.units(), pts), clip + ": frame at " + pts + " us covered");
      }
    });
  }

  @Test
  void shouldReduceStaticCameraClipsByAtLeast95Percent() {
    for (final String clip : STATIC_95) {
      final double reduction = RUNS.get(clip).stats().get(4).reduction();
      assertTrue(reduction >= 0.95, clip + ": end-to-end reduction " + reduction);
    }
  }

  @Test
  void shouldKeepTokensFromEveryPersonVisit() {
    final Run run = RUNS.get(TemporalFootageTest.PERSONS_CLIP);
    for (final double[] visit : TemporalFootageTest.PERSONS) {
      final long from = (long) (visit[0] * 1e6);
      final long to = (long) (visit[1] * 1e6);
      int tokens = 0;
      for (final CompressedUnit u : run.units()) {
        for (int i = 0; i < u.tokens().size(); i++) {
          // A token from a frame kept inside the visit: its span starts there.
          if (u.tokens().startPts(i) >= from && u.tokens().startPts(i) <= to) {
            tokens++;
          }
        }
      }
      assertTrue(tokens > 0, "person visible " + visit[0] + "-" + visit[1] + " s has no token left");
    }
  }
}
