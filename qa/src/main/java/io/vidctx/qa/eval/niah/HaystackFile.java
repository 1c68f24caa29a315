package io.vidctx.qa.eval.niah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vidctx.qa.eval.EvalFiles;
import io.vidctx.qa.haystack.Clip;
import io.vidctx.qa.haystack.HaystackSource;
import io.vidctx.qa.haystack.Needle;
import io.vidctx.qa.haystack.NeedleInterval;
import io.vidctx.qa.haystack.HaystackSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A haystack video described instead of rendered ({@code NAME.haystack.json}): the playlist of real
 * clip stretches, the sampling rate, the frame size and each stretch's sampled frame count. Playing it
 * ({@link #open}) decodes the clips exactly as {@link HaystackSource} does, with needles inserted as
 * real frames; the counts make needle positions known without decoding, and playback checks them.
 *
 * <p>A description rather than an encoded video keeps hours of haystack to a few hundred bytes and
 * avoids a second lossy encode of the footage; {@code vidctx niah make --render} is not needed for our
 * pipeline. Clip paths are stored absolute.
 *
 * @param spec the playlist, fps and size; every entry with its sampled frame count as {@link
 *     Clip#maxFrames()}; no needles (they belong to the manifest's items)
 */
public record HaystackFile(HaystackSpec spec) {

  /** The file name ending that marks a haystack instead of a video. */
  public static final String EXTENSION = ".haystack.json";

  static final String FORMAT = "vidctx.haystack";
  static final int VERSION = 1;

  public HaystackFile {
    for (final Clip c : spec.clips()) {
      if (c.maxFrames() < 1) {
        throw new IllegalArgumentException("haystack clip " + c + " has no frame count: make the haystack with"
            + " 'vidctx niah make'");
      }
    }
    if (!spec.needles().isEmpty()) {
      throw new IllegalArgumentException("a haystack file holds no needles; items insert them");
    }
  }

  /** Whether {@code video} names a haystack file rather than a video. */
  public static boolean isHaystack(final String video) {
    return video.toLowerCase(Locale.ROOT).endsWith(EXTENSION);
  }

  /** Sampled frames of each playlist entry, in order (what playback checks). */
  public List<Long> counts() {
    return spec.clips().stream().map(Clip::maxFrames).toList();
  }

  /** Haystack frames: the sum of the counts. */
  public long frames() {
    long n = 0;
    for (final Clip c : spec.clips()) {
      n += c.maxFrames();
    }
    return n;
  }

  /** The haystack's duration without needles: frames / fps. */
  public long durationMicros() {
    return HaystackSource.framePts(frames(), spec.fps());
  }

  /** A source playing this haystack with the spec's needles replaced by {@code withNeedles}' ones. */
  public HaystackSource open(final HaystackSpec withNeedles) {
    return HaystackSource.open(withNeedles, counts());
  }

  /** Where {@code needle} goes in this haystack, from the counts (nothing is decoded). */
  public NeedleInterval needleInterval(final Needle needle) {
    try (HaystackSource s = open(spec.withNeedle(needle))) {
      return s.needleIntervals().get(0);
    }
  }

  /**
   * A content hash of what decides the haystack's pixels (clips, starts, counts, fps, size), for cache
   * keys: two files with the same hash play the same frames.
   */
  public String contentHash() {
    final StringBuilder b = new StringBuilder();
    b.append(spec.fps()).append('|').append(spec.width()).append('x').append(spec.height());
    for (final Clip c : spec.clips()) {
      b.append('|').append(EvalFiles.identity(c.path())).append('@').append(c.startMicros()).append('#')
          .append(c.maxFrames());
    }
    return EvalFiles.hash(b.toString());
  }

  /** Writes the file atomically. */
  public void write(final Path file) throws IOException {
    final ObjectMapper json = new ObjectMapper();
    final ObjectNode root = json.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("fps", spec.fps());
    root.put("width", spec.width());
    root.put("height", spec.height());
    root.put("frames", frames());
    root.put("durationSeconds", durationMicros() / 1e6);
    final ArrayNode clips = root.putArray("clips");
    for (final Clip c : spec.clips()) {
      final ObjectNode o = clips.addObject();
      o.put("path", c.path().toAbsolutePath().normalize().toString());
      o.put("startSeconds", c.startMicros() / 1e6);
      o.put("frames", c.maxFrames());
    }
    EvalFiles.writeAtomically(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }

  /**
   * Reads a haystack file.
   *
   * @throws IOException a missing or unreadable file, or one that is not a haystack of this version,
   *     naming the file and the field
   */
  public static HaystackFile read(final Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("haystack file not found: " + file + " (make one with 'vidctx niah make')");
    }
    final JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (final IOException e) {
      throw new IOException(file + " is not a haystack file (not JSON: " + e.getMessage() + ")", e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IOException(file + " is not a haystack file (\"format\" is not \"" + FORMAT + "\")");
    }
    if (root.path("version").asInt() != VERSION) {
      throw new IOException(file + ": haystack format version " + root.path("version") + ", this build reads "
          + VERSION + ": make it again with 'vidctx niah make'");
    }
    final List<Clip> clips = new ArrayList<>();
    final JsonNode list = root.path("clips");
    if (!list.isArray() || list.isEmpty()) {
      throw new IOException(file + ": \"clips\" must be a non-empty list");
    }
    for (int i = 0; i < list.size(); i++) {
      final JsonNode c = list.get(i);
      if (!c.path("path").isTextual() || !c.path("frames").canConvertToLong() || c.path("frames").asLong() < 1) {
        throw new IOException(file + ": clips[" + i + "] needs \"path\" (text) and \"frames\" (a count >= 1)");
      }
      clips.add(new Clip(Path.of(c.path("path").asText()), Math.round(c.path("startSeconds").asDouble(0) * 1e6),
          c.path("frames").asLong()));
    }
    try {
      final HaystackSpec spec = new HaystackSpec(clips, root.path("fps").asDouble(0), root.path("width").asInt(0),
          root.path("height").asInt(0), file.getFileName().toString().replace(EXTENSION, ""), List.of());
      return new HaystackFile(spec);
    } catch (final IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }
}
