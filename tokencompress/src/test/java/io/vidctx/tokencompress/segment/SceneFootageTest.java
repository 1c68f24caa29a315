package io.vidctx.tokencompress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.tokencompress.temporal.EncodedFootage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Segmentation on real footage with the built-in encoder at 2 fps and the default config: boundaries
 * against the hard cuts of DATA.md / VIDEOS.tsv, within 0.5 s.
 *
 * <p>Scoring. A boundary within 0.5 s of a listed hard cut is a hit (each cut matches at most one
 * boundary). DATA.md lists only hard cuts and says Sintel's other shot changes are fades and dips
 * through black; a boundary inside such a gradual transition is a real scene change, not a false
 * one, so it counts neither way ("masked" precision; TRECVID scores gradual transitions apart). The
 * transitions below were annotated by eye from a 2 fps contact sheet (ffmpeg tile), before and
 * independent of the detector. Strict precision, which counts every unmatched boundary as false, is
 * printed too.
 */
class SceneFootageTest {
  static final double TOLERANCE_S = 0.5;
  static final String BBB = "big_buck_bunny_0_30.webm";
  static final String SINTEL = "sintel_trailer_720p.mp4";
  static final String CITY = "city_cc0.mpg";

  /** Gradual transitions (start, end in seconds), by eye at 2 fps. */
  static final Map<String, double[][]> GRADUAL = Map.of(
      BBB, new double[][] {{0, 2.5}}, // fade in from black
      SINTEL, new double[][] {
          {0, 2.5}, // fade in from black
          {8.5, 9.5}, // climber fades to black, title fades in
          {11.0, 12.0}, // title out through black, old man in
          {13.5, 14.0}, // dissolve old man -> girl
          {15.5, 16.0}, // girl fades to black (then the hard cut to the snow fight at 16.5)
          {18.0, 18.5}, // alley fades in from black (after the cut to black at 17.5)
          {21.0, 22.0}, // alley out, embers in, through black
          {28.5, 28.5}, // fade in from black after the cut to black at 28.0
          {31.5, 32.5}, // dip to black before the dragon
          {35.0, 36.0}, // dissolve to the desert
          {40.0, 42.0}, // dissolve desert -> logo
          {46.0, 52.5}}, // logo out, "coming soon", credits, black
      CITY, new double[][] {});

  private static final Map<String, EncodedFootage> CLIPS = new java.util.HashMap<>();

  @BeforeAll
  static void encode() {
    for (final String c : List.of(BBB, SINTEL, CITY)) {
      CLIPS.put(c, EncodedFootage.encode(c, 2));
    }
  }

  /** Boundary times (s) of the frames that open a segment, the first frame excluded. */
  static List<Double> boundaries(final EncodedFootage f, final SegmenterConfig cfg) {
    final SceneSegmenter s = SceneSegmenter.create(cfg);
    final List<Double> out = new ArrayList<>();
    for (int i = 0; i < f.frames(); i++) {
      if (s.offer(f.ptsMicros()[i], f.globals()[i]) && i > 0) {
        out.add(f.seconds(i));
      }
    }
    return out;
  }

  /** Precision, recall, F1 (masked) and strict precision, F1. */
  record Score(int hits, int falses, int ignored, int cuts, int found) {
    double precision() {
      return hits + falses == 0 ? 1 : (double) hits / (hits + falses);
    }

    double recall() {
      return cuts == 0 ? 1 : (double) hits / cuts;
    }

    double f1() {
      final double p = precision();
      final double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    double strictPrecision() {
      return found == 0 ? 1 : (double) hits / found;
    }

    double strictF1() {
      final double p = strictPrecision();
      final double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    String line() {
      return String.format(Locale.ROOT, "P %.2f R %.2f F1 %.2f (strict P %.2f F1 %.2f; %d hits, %d false, %d in fades)",
          precision(), recall(), f1(), strictPrecision(), strictF1(), hits, falses, ignored);
    }
  }

  static Score score(final List<Double> found, final List<Double> cuts, final double[][] gradual) {
    final boolean[] used = new boolean[found.size()];
    int hits = 0;
    for (final double cut : cuts) {
      int best = -1;
      for (int j = 0; j < found.size(); j++) {
        if (!used[j] && Math.abs(found.get(j) - cut) <= TOLERANCE_S + 1e-9
            && (best < 0 || Math.abs(found.get(j) - cut) < Math.abs(found.get(best) - cut))) {
          best = j;
        }
      }
      if (best >= 0) {
        used[best] = true;
        hits++;
      }
    }
    int falses = 0;
    int ignored = 0;
    for (int j = 0; j < found.size(); j++) {
      if (used[j]) {
        continue;
      }
      boolean inFade = false;
      for (final double[] g : gradual) {
        inFade |= found.get(j) >= g[0] - TOLERANCE_S - 1e-9 && found.get(j) <= g[1] + TOLERANCE_S + 1e-9;
      }
      if (inFade) {
        ignored++;
      } else {
        falses++;
      }
    }
    return new Score(hits, falses, ignored, cuts.size(), found.size());
  }

  private static Score report(final String clip) {
    final List<Double> found = boundaries(CLIPS.get(clip), SegmenterConfig.DEFAULTS);
    final Score s = score(found, EncodedFootage.hardCuts(clip), GRADUAL.get(clip));
    System.out.printf(Locale.ROOT, "segments %s: cuts %s, boundaries %s -> %s%n", clip, EncodedFootage.hardCuts(clip),
        found, s.line());
    return s;
  }

  @Test
  void offer_bigBuckBunny_findsTheHardCuts() {
    final Score s = report(BBB);
    assertTrue(s.f1() >= 0.8, s.line());
    assertEquals(1.0, s.recall(), s.line());
  }

  @Test
  void offer_sintel_findsTheHardCuts() {
    final Score s = report(SINTEL);
    assertTrue(s.f1() >= 0.8, s.line());
  }

  @Test
  void offer_cityTimeLapse_findsItsOneCutOnly() {
    final Score s = report(CITY);
    assertEquals(1, s.hits(), s.line());
    assertEquals(0, s.falses(), s.line());
  }

  @Test
  void offer_realFootage_isDeterministic() {
    final EncodedFootage f = CLIPS.get(SINTEL);
    assertEquals(boundaries(f, SegmenterConfig.DEFAULTS), boundaries(f, SegmenterConfig.DEFAULTS));
  }
}
