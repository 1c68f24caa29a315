package io.vidctx.qa.eval.niah;

import io.vidctx.qa.haystack.HaystackSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link NiahMaker} builds: a grid of haystack lengths x needle depths x needles.
 *
 * @param clips real footage the haystacks are made of, in playing order; at least one
 * @param photos needle photos (JPEG or PNG), each found by an altered copy of itself
 * @param textCards how many rendered text cards to add as needles (asked about their text)
 * @param lengthsMicros haystack durations, without the needle; each at least one frame period
 * @param depths needle depths in [0, 1]
 * @param needleMicros how long each needle is shown
 * @param fps sampling rate of the haystacks
 * @param width frame width of the haystacks
 * @param height frame height of the haystacks
 * @param loop whether the clips may be looped (with shifted sampling phases) to reach a length
 * @param seed decides the loop order, sampling phases, card texts and distractors: same seed, same grid
 */
public record NiahConfig(List<Path> clips, List<Path> photos, int textCards, List<Long> lengthsMicros,
    List<Double> depths, long needleMicros, double fps, int width, int height, boolean loop, long seed) {

  /** Needle duration unless told: 2 s, as in the VideoChat-Flash needle clips (C = 4 frames at 2 fps). */
  public static final long DEFAULT_NEEDLE_MICROS = 2_000_000;

  /** The V-NIAH depths: 0, 0.2, ..., 1. */
  public static final List<Double> DEFAULT_DEPTHS = List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);

  public NiahConfig {
    clips = List.copyOf(clips);
    photos = List.copyOf(photos);
    lengthsMicros = List.copyOf(lengthsMicros);
    depths = List.copyOf(depths);
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("give at least one haystack clip");
    }
    if (photos.isEmpty() && textCards == 0) {
      throw new IllegalArgumentException("give at least one needle: a photo, or text cards");
    }
    if (textCards < 0 || textCards > 100) {
      throw new IllegalArgumentException("text cards must be in [0, 100], was " + textCards);
    }
    if (lengthsMicros.isEmpty() || depths.isEmpty()) {
      throw new IllegalArgumentException("give at least one length and one depth");
    }
    for (final double d : depths) {
      if (!(d >= 0 && d <= 1)) {
        throw new IllegalArgumentException("depths must be in [0, 1], got " + d);
      }
    }
    if (!(fps > 0 && fps <= 30)) {
      throw new IllegalArgumentException("fps must be in (0, 30], was " + fps);
    }
    for (final long l : lengthsMicros) {
      if (l * fps < 1_000_000) {
        throw new IllegalArgumentException("length " + l / 1e6 + " s holds no frame at " + fps + " fps");
      }
    }
    if (needleMicros <= 0) {
      throw new IllegalArgumentException("needle duration must be positive, was " + needleMicros + " us");
    }
    if (width < 16 || height < 16) {
      throw new IllegalArgumentException("frame size must be at least 16x16, was " + width + "x" + height);
    }
    for (final long l : lengthsMicros) {
      final long seconds = Math.round(l / 1e6);
      if (l % 1_000_000 != 0 || (seconds >= 90 && seconds % 60 != 0)) {
        throw new IllegalArgumentException("length " + l / 1e6 + " s: give whole seconds below 90 s and whole minutes"
            + " from there (lengths name files, ids and report rows)");
      }
    }
    requireUnique(lengthsMicros.stream().map(NiahConfig::lengthLabel).toList(), "lengths");
    requireUnique(depths.stream().map(NiahConfig::depthLabel).toList(), "depths (to two decimals)");
    requireUnique(photos.stream().map(NiahConfig::stem).toList(), "needle photos (file name without extension)");
  }

  /** A grid at 1 fps, 320x180, 2 s needles, looping allowed, seed 7. */
  public static NiahConfig of(final List<Path> clips, final List<Path> photos, final int textCards,
      final List<Long> lengthsMicros, final List<Double> depths) {
    return new NiahConfig(clips, photos, textCards, lengthsMicros, depths, DEFAULT_NEEDLE_MICROS, 1.0,
        HaystackSpec.DEFAULT_WIDTH, HaystackSpec.DEFAULT_HEIGHT, true, 7);
  }

  public NiahConfig withSeed(final long s) {
    return new NiahConfig(clips, photos, textCards, lengthsMicros, depths, needleMicros, fps, width, height, loop, s);
  }

  public NiahConfig withLoop(final boolean l) {
    return new NiahConfig(clips, photos, textCards, lengthsMicros, depths, needleMicros, fps, width, height, l, seed);
  }

  public NiahConfig withNeedleMicros(final long m) {
    return new NiahConfig(clips, photos, textCards, lengthsMicros, depths, m, fps, width, height, loop, seed);
  }

  public NiahConfig withFps(final double f) {
    return new NiahConfig(clips, photos, textCards, lengthsMicros, depths, needleMicros, f, width, height, loop, seed);
  }

  public NiahConfig withSize(final int w, final int h) {
    return new NiahConfig(clips, photos, textCards, lengthsMicros, depths, needleMicros, fps, w, h, loop, seed);
  }

  /**
   * How a length is named in file names, ids and the report's rows: whole seconds below 90 s ("45s"),
   * else whole minutes ("5m", "1h", "1h30m"), rounded.
   */
  public static String lengthLabel(final long micros) {
    final long seconds = Math.round(micros / 1e6);
    if (seconds < 90) {
      return seconds + "s";
    }
    final long minutes = Math.round(seconds / 60.0);
    return minutes < 60 ? minutes + "m" : minutes % 60 == 0 ? minutes / 60 + "h" : minutes / 60 + "h" + minutes % 60 + "m";
  }

  /** The label of a depth in ids: two decimals. */
  static String depthLabel(final double depth) {
    return String.format(java.util.Locale.ROOT, "%.2f", depth);
  }

  /** A photo's file name without its extension: its label. */
  static String stem(final Path photo) {
    final String name = String.valueOf(photo.getFileName());
    return name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
  }

  /** Every label must be unique, or two items (or needle files) would share a name. */
  private static void requireUnique(final List<String> labels, final String what) {
    final java.util.Set<String> seen = new java.util.HashSet<>();
    for (final String l : labels) {
      if (!seen.add(l)) {
        throw new IllegalArgumentException("two " + what + " share the name '" + l + "': give each its own");
      }
    }
  }
}
