package io.vidctx.qa.eval.niah;

import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.haystack.Clip;
import io.vidctx.qa.haystack.HaystackSource;
import io.vidctx.qa.haystack.HaystackSpec;
import io.vidctx.qa.haystack.ImageAlterations;
import io.vidctx.qa.haystack.Needle;
import io.vidctx.qa.haystack.NeedleInterval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/*
 * Haystacks from real footage, V-NIAH style, but through our whole pipeline (ANCHORS E1): needles are
 * inserted as real frames before the encoder, so the temporal filter, segmenter, merges and memory all
 * have to keep them.
 *
 * Long haystacks from short footage: the clips play back to back; when they run out, they play again
 * in a shuffled order (seeded) with the sampling phase shifted by a golden-ratio fraction of a frame
 * period, so a later pass samples other frames of the same footage instead of repeating frames. Each
 * shifted pass takes one frame fewer than the clip's count at phase 0, a count every phase reaches on
 * footage without gaps; playback checks the counts and names a clip that falls short. Every length is
 * a prefix of one infinite playlist, so the 5-minute haystack is the first 5 minutes of the 60-minute one.
 *
 * No frame duplication (VideoChat-Flash repeats frames beyond 7,500): lengths come from footage.
 */

/**
 * Builds a needle-in-a-video-haystack grid: haystack files ({@code haystacks/<length>.haystack.json}),
 * the photos' query copies and the rendered text cards ({@code needles/}; photos themselves are
 * referenced where they are, by absolute path), and the manifest items with their ground-truth
 * intervals. Deterministic: the same config (seed included) and clips give the same files and items.
 */
public final class NiahMaker {

  /** The question asked with a photo needle (its altered copy is the query image). */
  public static final String PHOTO_QUESTION = "When does this picture appear?";

  /** The question asked about a text card. */
  public static final String CARD_QUESTION = "What is written on the card shown in the video?";

  private static final double GOLDEN = 0.6180339887498949;
  private static final String[] WORDS = {"RED", "BLUE", "GREEN", "AMBER", "SILVER", "NORTH", "SOUTH", "RIVER",
      "CEDAR", "HERON", "ORBIT", "DELTA", "FALCON", "MAPLE", "COBALT", "LANTERN"};

  private final NiahConfig config;
  private final Consumer<String> log;

  /** @param log receives one line per step (counting clips, writing a haystack), for progress output */
  public NiahMaker(final NiahConfig config, final Consumer<String> log) {
    this.config = config;
    this.log = log;
  }

  /** What {@link #make} wrote. */
  public record Grid(List<Path> haystacks, List<Path> needles, List<EvalItem> items, List<Long> clipFrames,
      long haystackFrames) {}

  /**
   * Writes the haystacks and needles under {@code out} and returns the manifest items (paths relative
   * to {@code out}); the caller writes the manifest.
   *
   * @throws IOException files that cannot be written or needle photos that cannot be read
   * @throws IllegalArgumentException clips too short for a length without {@code loop}
   */
  public Grid make(final Path out) throws IOException {
    Files.createDirectories(out.resolve("haystacks"));
    Files.createDirectories(out.resolve("needles"));
    log.accept("counting the sampled frames of " + config.clips().size() + " clips at " + config.fps() + " fps");
    final HaystackSpec base = HaystackSpec.of(config.clips(), config.fps()).withSize(config.width(), config.height());
    final List<Long> counts;
    try (HaystackSource counting = HaystackSource.open(base)) {
      counts = counting.clipFrameCounts();
    }
    final List<Needled> needles = needles(out);
    final List<Path> haystackFiles = new ArrayList<>();
    final List<EvalItem> items = new ArrayList<>();
    long frames = 0;
    for (final long length : config.lengthsMicros()) {
      final String label = NiahConfig.lengthLabel(length);
      final HaystackFile hay = haystack(counts, Math.round(length * config.fps() / 1e6), label);
      final Path file = out.resolve("haystacks").resolve(label + HaystackFile.EXTENSION);
      hay.write(file);
      haystackFiles.add(file);
      frames += hay.frames();
      log.accept(String.format(Locale.ROOT, "haystack %s: %d frames from %d clip stretches -> %s", label, hay.frames(),
          hay.spec().clips().size(), file));
      for (final double depth : config.depths()) {
        for (final Needled n : needles) {
          items.add(item(out, file, hay, label, depth, n));
        }
      }
    }
    return new Grid(haystackFiles, needles.stream().map(n -> n.file).toList(), items, counts, frames);
  }

  /** The playlist of {@code frames} frames: passes over the clips until it is long enough. */
  HaystackFile haystack(final List<Long> counts, final long frames, final String label) {
    final List<Clip> clips = new ArrayList<>();
    long total = 0;
    for (int pass = 0; total < frames; pass++) {
      if (pass > 0 && !config.loop()) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "the clips give %.1f min at %s fps, less than the %s haystack: allow looping or add clips",
            total / config.fps() / 60, config.fps(), label));
      }
      if (pass > 10_000) {
        throw new IllegalArgumentException("the clips yield no frames at " + config.fps() + " fps");
      }
      final List<Integer> order = new ArrayList<>();
      for (int i = 0; i < counts.size(); i++) {
        order.add(i);
      }
      long start = 0;
      if (pass > 0) {
        Collections.shuffle(order, new Random(config.seed() * 1_000_003L + pass));
        final double phase = (pass * GOLDEN) % 1.0;
        start = Math.round(phase * 1e6 / config.fps());
      }
      for (final int i : order) {
        if (total >= frames) {
          break;
        }
        final long available = pass == 0 ? counts.get(i) : counts.get(i) - 1;
        if (available < 1) {
          continue;
        }
        final long take = Math.min(available, frames - total);
        clips.add(new Clip(config.clips().get(i), start, take));
        total += take;
      }
    }
    final HaystackSpec spec = HaystackSpec.playlist(clips, config.fps()).withSize(config.width(), config.height())
        .withStreamId(label);
    return new HaystackFile(spec);
  }

  /** A needle and where its picture lies. */
  private record Needled(String label, NeedleTruth.Kind kind, DecodedImage image, Path file, String question,
      List<String> options, int answerIndex, Map<String, String> meta) {}

  private List<Needled> needles(final Path out) throws IOException {
    final List<Needled> list = new ArrayList<>();
    final ImageCodec codec = new ImageCodec();
    for (final Path photo : config.photos()) {
      final DecodedImage image = codec.read(photo);
      final String stem = NiahConfig.stem(photo);
      // The query: the photo at 60 % of its size, recompressed as JPEG at quality 40 (an altered copy,
      // not the needle's own pixels).
      final DecodedImage small = ImageAlterations.resize(image, 0.6);
      final Path query = out.resolve("needles").resolve(stem + ".query.jpg");
      Files.write(query, new ImageCodec(40).encode(small.rgb(), small.width(), small.height(), ImageFormat.JPEG));
      list.add(new Needled(stem, NeedleTruth.Kind.PHOTO, image, photo.toAbsolutePath().normalize(), PHOTO_QUESTION,
          List.of(), -1, Map.of("query", "needles/" + query.getFileName())));
    }
    final Random rnd = new Random(config.seed());
    for (int c = 0; c < config.textCards(); c++) {
      final boolean number = c % 2 == 0;
      final String text = number ? String.valueOf(1000 + rnd.nextInt(9000)) : phrase(rnd);
      final List<String> options = new ArrayList<>();
      options.add(text);
      while (options.size() < 4) {
        final String d = number ? String.valueOf(1000 + rnd.nextInt(9000)) : phrase(rnd);
        if (!options.contains(d)) {
          options.add(d);
        }
      }
      Collections.shuffle(options, rnd);
      final String font = TextCard.FONTS.get(c % TextCard.FONTS.size());
      final double size = new double[] {0.30, 0.18, 0.24, 0.12}[c % 4];
      final boolean dark = c % 3 != 1;
      final TextCard card = new TextCard(text, number ? "CODE" : "", font, c % 2 == 1, size,
          dark ? 0x101820 : 0xF2EEE3, dark ? 0xF5F5F5 : 0x1A1A1A);
      final DecodedImage image = card.render(1280, 720);
      final String label = String.format(Locale.ROOT, "card-%02d", c + 1);
      final Path file = out.resolve("needles").resolve(label + ".png");
      Files.write(file, new ImageCodec().encode(image.rgb(), image.width(), image.height(), ImageFormat.PNG));
      final Map<String, String> meta = new LinkedHashMap<>();
      meta.put("text", text);
      meta.put("font", font);
      meta.put("size", String.valueOf(size));
      list.add(new Needled(label, NeedleTruth.Kind.TEXT, image, file, CARD_QUESTION, List.copyOf(options),
          options.indexOf(text), meta));
    }
    return list;
  }

  private static String phrase(final Random rnd) {
    return WORDS[rnd.nextInt(WORDS.length)] + " " + WORDS[rnd.nextInt(WORDS.length)] + " " + (10 + rnd.nextInt(90));
  }

  private EvalItem item(final Path out, final Path haystack, final HaystackFile hay, final String length,
      final double depth, final Needled n) {
    final Needle needle = new Needle(n.image, depth, config.needleMicros(), n.label);
    final NeedleInterval at = hay.needleInterval(needle);
    final String image = n.file.startsWith(out.toAbsolutePath().normalize()) || n.kind == NeedleTruth.Kind.TEXT
        ? out.toAbsolutePath().normalize().relativize(n.file.toAbsolutePath().normalize()).toString()
        : n.file.toString();
    final NeedleTruth truth = new NeedleTruth(n.label, n.kind, image, depth, config.needleMicros(), at.startMicros(),
        at.endMicros(), hay.durationMicros());
    final Map<String, String> meta = new LinkedHashMap<>();
    meta.put("benchmark", "niah");
    meta.put("length", length);
    meta.put("depth", NiahConfig.depthLabel(depth));
    for (final Map.Entry<String, String> e : n.meta.entrySet()) {
      if (!e.getKey().equals("query")) {
        meta.put(e.getKey(), e.getValue());
      }
    }
    final String id = "niah-" + length + "-d" + NiahConfig.depthLabel(depth) + "-" + n.label;
    final String video = out.toAbsolutePath().normalize().relativize(haystack.toAbsolutePath().normalize()).toString();
    return new EvalItem(id, video, n.question, n.options, n.answerIndex,
        n.answerIndex >= 0 ? n.options.get(n.answerIndex) : null, n.meta.get("query"), null, truth,
        n.kind == NeedleTruth.Kind.PHOTO ? "niah-photo" : "niah-text", meta);
  }
}
