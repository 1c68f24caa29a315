package io.vidctx.tokencompress.segment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.tokencompress.temporal.EncodedFootage;
import io.vidctx.tokencompress.temporal.FrameDecision;
import io.vidctx.tokencompress.temporal.TemporalFilterConfig;
import io.vidctx.tokencompress.temporal.TemporalFootageTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The calibration sweeps behind the defaults (README "Calibration (built-in encoder)"). Slow-tagged:
 * run with {@code -Pslow -Dtest=SceneCalibrationSweepTest}. Prints tables; asserts only that the
 * chosen defaults sit inside the plateau the tables show.
 */
@Tag("slow")
class SceneCalibrationSweepTest {
  private static final double[] TAUS = {0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.95};
  private static final long[] MINS = {0, 1_000_000, 1_500_000};
  private static final double[] THETAS = {0.95, 0.97, 0.98, 0.99, 0.995};

  @Test
  void sweep() {
    final Map<String, EncodedFootage> clips = new LinkedHashMap<>();
    for (final String c : EncodedFootage.allClips()) {
      clips.put(c, EncodedFootage.encode(c, 2));
    }
    final StringBuilder seg = new StringBuilder("| min s | tau | BBB P/R/F1 (strict F1) | city hits/false |"
        + " Sintel P/R/F1 (strict F1) | boundaries on the other 9 clips |\n");
    double defaultWorstF1 = 1;
    for (final long min : MINS) {
      for (final double tau : TAUS) {
        final SegmenterConfig cfg = SegmenterConfig.DEFAULTS.withThreshold(tau).withMinDurationMicros(min);
        final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %.1f | %.2f |", min / 1e6, tau));
        int others = 0;
        for (final Map.Entry<String, EncodedFootage> e : clips.entrySet()) {
          final List<Double> found = SceneFootageTest.boundaries(e.getValue(), cfg);
          final double[][] grad = SceneFootageTest.GRADUAL.get(e.getKey());
          if (grad == null) {
            others += found.size();
            continue;
          }
          final SceneFootageTest.Score s = SceneFootageTest.score(found, EncodedFootage.hardCuts(e.getKey()), grad);
          if (e.getKey().equals(SceneFootageTest.CITY)) {
            row.append(String.format(Locale.ROOT, " %d/%d |", s.hits(), s.falses()));
          } else {
            row.append(String.format(Locale.ROOT, " %.2f/%.2f/%.2f (%.2f) |", s.precision(), s.recall(), s.f1(),
                s.strictF1()));
            if (min == SegmenterConfig.DEFAULT_MIN_DURATION_MICROS && Math.abs(tau - 0.9) < 0.031) {
              defaultWorstF1 = Math.min(defaultWorstF1, s.f1());
            }
          }
        }
        seg.append(row).append(' ').append(others).append(" |\n");
      }
    }
    System.out.print("segmentation sweep (2 fps, built-in encoder):\n" + seg);

    final EncodedFootage persons = clips.get(TemporalFootageTest.PERSONS_CLIP);
    final StringBuilder tf = new StringBuilder("| mode | theta | fewest kept per person visit | empty kept |"
        + " one_by_one | vtest | highway | BBB | Sintel | wanna |\n");
    for (final TemporalFilterConfig.Mode mode : TemporalFilterConfig.Mode.values()) {
      for (final double theta : THETAS) {
        final TemporalFilterConfig cfg = (mode == TemporalFilterConfig.Mode.LAST_KEPT ? TemporalFilterConfig.DEFAULTS
            : TemporalFilterConfig.WINDOW_DEFAULTS).withThreshold(theta);
        final List<FrameDecision> d = TemporalFootageTest.run(cfg, persons);
        int fewest = Integer.MAX_VALUE;
        for (final double[] p : TemporalFootageTest.PERSONS) {
          fewest = Math.min(fewest, TemporalFootageTest.keptIn(d, p[0], p[1] + 1));
        }
        int emptyKept = 0;
        int empty = 0;
        for (final double[] e : TemporalFootageTest.EMPTY) {
          emptyKept += TemporalFootageTest.keptIn(d, e[0], e[1] + 1);
          empty += TemporalFootageTest.framesIn(persons, e[0], e[1] + 1);
        }
        tf.append(String.format(Locale.ROOT, "| %s | %.3f | %d | %d/%d |", mode, theta, fewest, emptyKept, empty));
        for (final String c : List.of(TemporalFootageTest.PERSONS_CLIP, "vtest.avi", "highway_traffic_60fps.mp4",
            SceneFootageTest.BBB, SceneFootageTest.SINTEL, "wanna_work_together.mp4")) {
          final EncodedFootage f = clips.get(c);
          tf.append(String.format(Locale.ROOT, " %d/%d |", TemporalFootageTest.kept(TemporalFootageTest.run(cfg, f)),
              f.frames()));
        }
        tf.append('\n');
      }
    }
    System.out.print("temporal filter sweep (2 fps, built-in encoder, max gap 10 s):\n" + tf);
    assertTrue(defaultWorstF1 >= 0.8, "tau 0.87..0.93 at min 1 s must stay on the plateau, worst F1 " + defaultWorstF1);
  }
}
