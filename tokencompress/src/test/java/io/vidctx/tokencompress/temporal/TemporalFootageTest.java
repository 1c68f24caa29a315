package io.vidctx.tokencompress.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The temporal filter with its default config on all 12 shared clips (built-in encoder, 2 fps):
 * frames kept per clip, and the person visits of one_by_one_person_detection.mp4 survive while its
 * empty stretches are mostly dropped.
 */
public class TemporalFootageTest {
  public static final String PERSONS_CLIP = "one_by_one_person_detection.mp4";
  /** When each of the six people is visible (DATA.md), seconds. */
  public static final double[][] PERSONS = {{6, 19}, {22, 43}, {50, 69}, {74, 87}, {92, 119}, {124, 135}};
  /** The empty scene (DATA.md), seconds; the end is inclusive of its last second. */
  public static final double[][] EMPTY = {{0, 5}, {20, 21}, {44, 49}, {70, 73}, {88, 91}, {120, 123}, {136, 139}};
  /**
   * Static-camera clips with long stretches of little change (DATA.md quick guide). car_detection and
   * bottle_detection are static cameras too, but cars cross or a hand moves bottles through much of
   * them, so the filter rightly keeps more there; their counts are printed, not bounded.
   */
  public static final List<String> STATIC = List.of(PERSONS_CLIP, "vtest.avi", "highway_traffic_60fps.mp4");

  private static final Map<String, EncodedFootage> CLIPS = new LinkedHashMap<>();

  @BeforeAll
  static void encode() {
    for (final String c : EncodedFootage.allClips()) {
      CLIPS.put(c, EncodedFootage.encode(c, 2));
    }
  }

  public static List<FrameDecision> run(final TemporalFilterConfig cfg, final EncodedFootage f) {
    final TemporalFilter filter = TemporalFilter.create(cfg);
    final List<FrameDecision> out = new ArrayList<>();
    for (int i = 0; i < f.frames(); i++) {
      out.addAll(filter.offer(f.ptsMicros()[i], f.globals()[i]));
    }
    out.addAll(filter.flush());
    assertEquals(f.frames(), out.size());
    return out;
  }

  public static int kept(final List<FrameDecision> d) {
    int k = 0;
    for (final FrameDecision x : d) {
      k += x.kept() ? 1 : 0;
    }
    return k;
  }

  public static int keptIn(final List<FrameDecision> d, final double from, final double to) {
    int k = 0;
    for (final FrameDecision x : d) {
      final double t = x.ptsMicros() / 1e6;
      k += x.kept() && t >= from && t < to ? 1 : 0;
    }
    return k;
  }

  public static int framesIn(final EncodedFootage f, final double from, final double to) {
    int n = 0;
    for (int i = 0; i < f.frames(); i++) {
      n += f.seconds(i) >= from && f.seconds(i) < to ? 1 : 0;
    }
    return n;
  }

  @Test
  void offer_personVisits_eachKeepFramesAndEmptyStretchesAreMostlyDropped() {
    final EncodedFootage f = CLIPS.get(PERSONS_CLIP);
    for (final TemporalFilterConfig cfg : List.of(TemporalFilterConfig.DEFAULTS, TemporalFilterConfig.WINDOW_DEFAULTS)) {
      final List<FrameDecision> d = run(cfg, f);
      final StringBuilder visits = new StringBuilder();
      for (final double[] p : PERSONS) {
        final int k = keptIn(d, p[0], p[1] + 1);
        visits.append(String.format(Locale.ROOT, " %.0f-%.0fs:%d", p[0], p[1], k));
        assertTrue(k >= 1, cfg.mode() + ": person visible " + p[0] + "-" + p[1] + " s keeps no frame");
      }
      int emptyKept = 0;
      int emptyFrames = 0;
      for (final double[] e : EMPTY) {
        emptyKept += keptIn(d, e[0], e[1] + 1);
        emptyFrames += framesIn(f, e[0], e[1] + 1);
      }
      System.out.printf(Locale.ROOT, "temporal %s %s: kept %d/%d; kept per visit%s; empty stretches kept %d/%d%n",
          cfg.mode(), PERSONS_CLIP, kept(d), d.size(), visits, emptyKept, emptyFrames);
      assertTrue(emptyKept * 4 <= emptyFrames, "empty stretches keep at most a quarter: " + emptyKept + "/" + emptyFrames);
    }
  }

  @Test
  void offer_allClips_keptPerClip() {
    final StringBuilder overQuarter = new StringBuilder();
    final StringBuilder table = new StringBuilder("| clip | frames (2 fps) | kept, last-kept 0.99 | kept, window 16 @ 0.97 |\n");
    for (final Map.Entry<String, EncodedFootage> e : CLIPS.entrySet()) {
      final int n = e.getValue().frames();
      final int last = kept(run(TemporalFilterConfig.DEFAULTS, e.getValue()));
      final int win = kept(run(TemporalFilterConfig.WINDOW_DEFAULTS, e.getValue()));
      table.append(String.format(Locale.ROOT, "| %s | %d | %d (%.0f %%) | %d (%.0f %%) |%n", e.getKey(), n, last,
          100.0 * last / n, win, 100.0 * win / n));
      assertTrue(last >= 1 && last <= n && win >= 1 && win <= n);
      if (STATIC.contains(e.getKey())) {
        overQuarter.append(last * 4 > n ? e.getKey() + " kept " + last + "/" + n + "; " : "");
      }
    }
    System.out.print("temporal kept per clip:\n" + table);
    assertEquals("", overQuarter.toString(), "static-camera clips keep at most a quarter of their frames");
  }

  @Test
  void offer_realFootage_isDeterministic() {
    final EncodedFootage f = CLIPS.get("sintel_trailer_720p.mp4");
    assertEquals(run(TemporalFilterConfig.DEFAULTS, f), run(TemporalFilterConfig.DEFAULTS, f));
    assertEquals(run(TemporalFilterConfig.WINDOW_DEFAULTS, f), run(TemporalFilterConfig.WINDOW_DEFAULTS, f));
  }
}
