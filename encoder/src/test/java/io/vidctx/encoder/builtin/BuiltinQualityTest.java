package io.vidctx.encoder.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.testing.Photos;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in encoder on real data: shot cuts in real footage stand out, altered photos find their
 * originals, and spatial layout counts. Figures are printed so the issue note can quote them.
 */
class BuiltinQualityTest {
  /** Hard cuts of big_buck_bunny_0_30.webm (VIDEOS.tsv). */
  private static final double[] CUTS = {11.79, 15.67, 22.96};
  /** The lowest within-shot cosine must exceed the highest across-cut cosine by at least this. */
  private static final double MIN_CUT_MARGIN = 0.15;
  /**
   * The clip opens with a fade-in from black until 2 s: a gradual transition, not a stable shot (a
   * black frame and a dim picture differ by nature), so its pairs are printed but not counted.
   */
  private static final double FADE_END_SECONDS = 2.0;
  private static final double MIN_HIT_RATE = 0.9;
  private static final double STC_THRESHOLD = 0.75;

  private static BuiltinRunner runner;

  private static List<VideoFrame> frames;
  private static BuiltinRunner.Out[] out;

  @BeforeAll
  static void open() throws OrtException {
    runner = new BuiltinRunner(BuiltinModel.ensure(SharedData.work("builtin-quality")), 1);
    frames = new ArrayList<>();
    try (VideoFileSource src = VideoFileSource.open(SharedData.video("big_buck_bunny_0_30.webm").toString(),
        DecodeOptions.DEFAULTS.withFps(2).withSize(BuiltinModel.SIZE, BuiltinModel.SIZE))) {
      for (Optional<VideoFrame> f = src.next(); f.isPresent(); f = src.next()) {
        frames.add(f.get());
      }
    }
    assertTrue(frames.size() >= 55, "2 fps over 30 s, got " + frames.size());
    final List<byte[]> rgb = new ArrayList<>();
    frames.forEach(f -> rgb.add(f.rgb()));
    out = runner.run(rgb);
  }

  @AfterAll
  static void close() {
    runner.close();
  }

  @Test
  void shouldScoreHardCutsClearlyBelowWithinShotPairs() {
    double minWithin = 1;
    double maxAcross = -1;
    int cuts = 0;
    final StringBuilder across = new StringBuilder();
    final StringBuilder fade = new StringBuilder();
    for (int i = 0; i + 1 < frames.size(); i++) {
      final double cos = BuiltinRunner.cosine(out[i].global(), out[i + 1].global());
      final double t0 = frames.get(i).seconds();
      final double t1 = frames.get(i + 1).seconds();
      if (isCut(t0, t1)) {
        cuts++;
        maxAcross = Math.max(maxAcross, cos);
        across.append(String.format(Locale.ROOT, " %.1f-%.1fs %.3f", t0, t1, cos));
      } else if (t0 < FADE_END_SECONDS) {
        fade.append(String.format(Locale.ROOT, " %.3f", cos));
      } else {
        minWithin = Math.min(minWithin, cos);
      }
    }
    final double margin = minWithin - maxAcross;
    System.out.printf(Locale.ROOT, "builtin cuts: %d frames at 2 fps; across cuts%s; lowest within-shot %.3f;"
        + " margin %.3f (fade-in pairs, not counted:%s)%n", frames.size(), across, minWithin, margin, fade);
    assertEquals(CUTS.length, cuts, "one frame pair per cut: " + across);
    assertTrue(margin >= MIN_CUT_MARGIN,
        "within-shot min " + minWithin + " must exceed across-cut max " + maxAcross + " by " + MIN_CUT_MARGIN);
  }

  @Test
  void shouldKeepSamePositionPatchesSimilarWithinShotsOnly() {
    // What spatial pruning against an anchor frame (LongVU STC, cosine 0.75) sees.
    double within = 0;
    double withinOver = 0;
    int withinPairs = 0;
    double across = 0;
    double acrossOver = 0;
    final int tokens = BuiltinModel.GRID * BuiltinModel.GRID;
    for (int i = 0; i + 1 < frames.size(); i++) {
      final double t0 = frames.get(i).seconds();
      final boolean cut = isCut(t0, frames.get(i + 1).seconds());
      if (!cut && t0 < FADE_END_SECONDS) {
        continue;
      }
      double sum = 0;
      int over = 0;
      for (int t = 0; t < tokens; t++) {
        final double c = BuiltinRunner.cosine(out[i].patches(), t * BuiltinModel.DIM, out[i + 1].patches(),
            t * BuiltinModel.DIM, BuiltinModel.DIM);
        sum += c / tokens;
        over += c >= STC_THRESHOLD ? 1 : 0;
      }
      if (cut) {
        across += sum / CUTS.length;
        acrossOver += (double) over / tokens / CUTS.length;
      } else {
        within += sum;
        withinOver += (double) over / tokens;
        withinPairs++;
      }
    }
    within /= withinPairs;
    withinOver /= withinPairs;
    System.out.printf(Locale.ROOT, "builtin patches: same-position cosine within shots %.3f (%.0f %% >= %.2f),"
        + " across cuts %.3f (%.0f %% >= %.2f)%n", within, 100 * withinOver, STC_THRESHOLD, across, 100 * acrossOver,
        STC_THRESHOLD);
    assertTrue(within - across >= 0.3, "within " + within + " vs across " + across);
    assertTrue(withinOver > 0.5 && acrossOver < 0.1, "share above threshold within " + withinOver + " across " + acrossOver);
  }

  @Test
  void shouldRetrieveTheOriginalOfAlteredPhotos() throws OrtException {
    final List<Photos.Photo> photos = Photos.all();
    assertEquals(16, photos.size());
    final List<DecodedImage> originals = new ArrayList<>();
    final List<byte[]> fitted = new ArrayList<>();
    for (final Photos.Photo p : photos) {
      final DecodedImage img = Photos.read(p.file());
      originals.add(img);
      fitted.add(BuiltinRunner.fit(img));
    }
    final BuiltinRunner.Out[] base = runner.run(fitted);

    final Map<String, UnaryOperator<DecodedImage>> alterations = new LinkedHashMap<>();
    alterations.put("half size", img -> Photos.resize(img, img.width() / 2, img.height() / 2));
    alterations.put("crop 10%", BuiltinQualityTest::centreCrop90);
    alterations.put("jpeg 40", BuiltinQualityTest::jpeg40);
    alterations.put("brightness +15%", BuiltinQualityTest::brighter15);

    int hits = 0;
    int cases = 0;
    for (final Map.Entry<String, UnaryOperator<DecodedImage>> a : alterations.entrySet()) {
      final List<byte[]> altered = new ArrayList<>();
      originals.forEach(img -> altered.add(BuiltinRunner.fit(a.getValue().apply(img))));
      final BuiltinRunner.Out[] out = runner.run(altered);
      int hit = 0;
      double minGap = Double.MAX_VALUE;
      final StringBuilder misses = new StringBuilder();
      for (int q = 0; q < out.length; q++) {
        int best = -1;
        double bestCos = -2;
        double bestOther = -2;
        for (int j = 0; j < base.length; j++) {
          final double cos = BuiltinRunner.cosine(out[q].global(), base[j].global());
          if (cos > bestCos) {
            best = j;
            bestCos = cos;
          }
          if (j != q) {
            bestOther = Math.max(bestOther, cos);
          }
        }
        final double own = BuiltinRunner.cosine(out[q].global(), base[q].global());
        minGap = Math.min(minGap, own - bestOther);
        if (best == q) {
          hit++;
        } else {
          misses.append(' ').append(photos.get(q).file()).append("->").append(photos.get(best).file());
        }
      }
      System.out.printf(Locale.ROOT, "builtin retrieval %-16s %2d/%d, smallest own-minus-best-other gap %.3f%s%n",
          a.getKey(), hit, out.length, minGap, misses);
      hits += hit;
      cases += out.length;
    }
    final double rate = (double) hits / cases;
    System.out.printf(Locale.ROOT, "builtin retrieval total %d/%d = %.1f %%%n", hits, cases, 100 * rate);
    assertEquals(64, cases);
    assertTrue(rate >= MIN_HIT_RATE, "hit rate " + rate + " below " + MIN_HIT_RATE);
  }

  @Test
  void shouldTellAHorizontalFlipFromAJpegCopy() throws OrtException {
    final List<Photos.Photo> photos = Photos.all();
    int flipFurther = 0;
    double sumFlip = 0;
    double sumJpeg = 0;
    for (final Photos.Photo p : photos) {
      final DecodedImage img = Photos.read(p.file());
      final BuiltinRunner.Out[] out = runner.run(List.of(BuiltinRunner.fit(img),
          BuiltinRunner.fit(flipped(img)), BuiltinRunner.fit(jpeg40(img))));
      final double flip = BuiltinRunner.cosine(out[0].global(), out[1].global());
      final double jpeg = BuiltinRunner.cosine(out[0].global(), out[2].global());
      sumFlip += flip;
      sumJpeg += jpeg;
      if (flip < jpeg) {
        flipFurther++;
      }
    }
    System.out.printf(Locale.ROOT, "builtin layout: flip further than jpeg-40 in %d/%d photos,"
        + " mean cosine to flip %.3f, to jpeg-40 %.3f%n", flipFurther, photos.size(),
        sumFlip / photos.size(), sumJpeg / photos.size());
    assertEquals(photos.size(), flipFurther, "every photo's flip must be further than its JPEG-40 copy");
  }

  private static boolean isCut(final double t0, final double t1) {
    for (final double c : CUTS) {
      if (t0 < c && c <= t1) {
        return true;
      }
    }
    return false;
  }

  static DecodedImage centreCrop90(final DecodedImage img) {
    final int w = Math.round(img.width() * 0.9f);
    final int h = Math.round(img.height() * 0.9f);
    return BuiltinRunner.crop(img, (img.width() - w) / 2, (img.height() - h) / 2, w, h);
  }

  static DecodedImage jpeg40(final DecodedImage img) {
    final ImageCodec codec = new ImageCodec(40);
    return codec.decode(codec.encode(img.rgb(), img.width(), img.height(), ImageFormat.JPEG), ImageFormat.JPEG);
  }

  static DecodedImage brighter15(final DecodedImage img) {
    final byte[] out = new byte[img.rgb().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Math.min(255, Math.round((img.rgb()[i] & 0xff) * 1.15f));
    }
    return new DecodedImage(img.width(), img.height(), out);
  }

  static DecodedImage flipped(final DecodedImage img) {
    final byte[] out = new byte[img.rgb().length];
    final int w = img.width();
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(img.rgb(), (y * w + x) * 3, out, (y * w + w - 1 - x) * 3, 3);
      }
    }
    return new DecodedImage(w, img.height(), out);
  }
}
