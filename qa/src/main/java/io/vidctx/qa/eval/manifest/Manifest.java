package io.vidctx.qa.eval.manifest;

import static io.vidctx.qa.eval.JsonKinds.describe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.EvalFiles;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.tokencompress.select.TimeRange;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An evaluation manifest: the items of a JSONL file, one JSON object per line (format in the module
 * README). Blank lines and lines starting with {@code #} or {@code //} are skipped.
 *
 * <p>Paths in items are kept as written; {@link #resolve} turns them into something to open, relative
 * to the manifest's folder.
 *
 * @param file the manifest file the items came from (or go to); relative paths resolve against its folder
 * @param items the items in file order; ids unique
 */
public record Manifest(Path file, List<EvalItem> items) {

  /** The top-level fields of an item line, in the order they are written. */
  public static final List<String> FIELDS = List.of("id", "video", "question", "options", "answerIndex", "answer",
      "queryImage", "range", "needle", "task", "meta");

  private static final List<String> RANGE_FIELDS = List.of("start", "end");
  private static final List<String> NEEDLE_FIELDS = List.of("label", "kind", "image", "depth", "durationSeconds",
      "startSeconds", "endSeconds", "haystackSeconds");

  // Strict parsing: a key given twice or a second value on one line would otherwise lose data silently.
  // Plain decimals: "0.000001", never "1E-6", so that people and jq read the seconds as written.
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();

  private static final Pattern CLOCK = Pattern.compile("(?:(\\d+):)?(\\d{1,2}):(\\d{1,2}(?:\\.\\d+)?)");
  private static final Pattern SECONDS = Pattern.compile("\\d+(?:\\.\\d*)?|\\.\\d+");
  private static final Pattern LETTER = Pattern.compile("[A-Z]");

  public Manifest {
    Objects.requireNonNull(file, "file");
    items = List.copyOf(items);
    final Set<String> ids = new HashSet<>();
    for (final EvalItem item : items) {
      if (!ids.add(item.id())) {
        throw new IllegalArgumentException("manifest " + file + ": duplicate id '" + item.id() + "'");
      }
    }
  }

  /**
   * Reads a manifest.
   *
   * @throws ManifestException the file is missing or unreadable, or a line is not a valid item (the
   *     message names the file, the line, the id when known and what is wrong)
   */
  public static Manifest read(final Path jsonl) {
    if (!Files.isRegularFile(jsonl)) {
      final String why = Files.isDirectory(jsonl) ? "is a folder, not a manifest file" : "does not exist";
      throw new ManifestException(jsonl, 0, null, "the file " + why + " (looked at " + jsonl.toAbsolutePath() + ")",
          null);
    }
    final List<EvalItem> items = new ArrayList<>();
    final Map<String, Integer> lineOf = new HashMap<>();
    int n = 0;
    try (BufferedReader r = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        n++;
        // Editors on Windows put a byte order mark in front of the first line.
        final String s = (n == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
        if (s.isEmpty() || s.startsWith("#") || s.startsWith("//")) {
          continue;
        }
        final EvalItem item;
        try {
          item = fromJsonLine(s);
        } catch (final ManifestException e) {
          throw e.at(jsonl, n);
        }
        final Integer first = lineOf.putIfAbsent(item.id(), n);
        if (first != null) {
          throw new ManifestException(jsonl, n, item.id(),
              "duplicate id '" + item.id() + "' on lines " + first + " and " + n, null);
        }
        items.add(item);
      }
    } catch (final CharacterCodingException e) {
      throw new ManifestException(jsonl, n + 1, null, "not UTF-8 text", e);
    } catch (final IOException e) {
      throw new ManifestException(jsonl, 0, null, "cannot be read: " + e, e);
    }
    return new Manifest(jsonl, items);
  }

  /**
   * Writes {@code items} to {@code jsonl} atomically (a temporary file beside it, then a move), so a
   * reader or a crash never sees half a manifest. Every item is checked to read back before anything
   * is written.
   *
   * @throws IllegalArgumentException duplicate ids, or an item whose line would not read back (an
   *     answer that disagrees with its answerIndex); the file is left as it was
   */
  public static void write(final Path jsonl, final List<EvalItem> items) throws IOException {
    final StringBuilder text = new StringBuilder();
    final Set<String> ids = new HashSet<>();
    for (final EvalItem item : items) {
      if (!ids.add(item.id())) {
        throw new IllegalArgumentException("cannot write manifest " + jsonl + ": duplicate id '" + item.id() + "'");
      }
      final String line = toJsonLine(item);
      try {
        fromJsonLine(line);
      } catch (final ManifestException e) {
        throw new IllegalArgumentException("cannot write manifest " + jsonl + ": " + e.getMessage(), e);
      }
      text.append(line).append('\n');
    }
    EvalFiles.writeAtomically(jsonl, text.toString());
  }

  /** The item as one manifest line (no line break): absent optional fields are left out. */
  public static String toJsonLine(final EvalItem item) {
    final ObjectNode o = MAPPER.createObjectNode();
    o.put("id", item.id());
    o.put("video", item.video());
    o.put("question", item.question());
    if (!item.options().isEmpty()) {
      final ArrayNode a = o.putArray("options");
      item.options().forEach(a::add);
      // Written even when -1, so that reading back does not derive an index from the answer text.
      o.put("answerIndex", item.answerIndex());
    }
    putIfSet(o, "answer", item.answer());
    putIfSet(o, "queryImage", item.queryImage());
    final TimeRange range = item.range();
    if (range != null) {
      o.putObject("range").put("start", seconds(range.startMicros())).put("end", seconds(range.endMicros()));
    }
    final NeedleTruth n = item.needle();
    if (n != null) {
      o.putObject("needle")
          .put("label", n.label())
          .put("kind", n.kind().name().toLowerCase(Locale.ROOT))
          .put("image", n.image())
          .put("depth", n.depth())
          .put("durationSeconds", seconds(n.durationMicros()))
          .put("startSeconds", seconds(n.startMicros()))
          .put("endSeconds", seconds(n.endMicros()))
          .put("haystackSeconds", seconds(n.haystackMicros()));
    }
    putIfSet(o, "task", item.task());
    if (!item.meta().isEmpty()) {
      // Sorted: the item's map has no order, and diffs of regenerated manifests should be quiet.
      final ObjectNode m = o.putObject("meta");
      new TreeMap<>(item.meta()).forEach(m::put);
    }
    try {
      return MAPPER.writeValueAsString(o);
    } catch (final JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise item " + item.id(), e);
    }
  }

  /**
   * Parses one manifest line.
   *
   * @throws ManifestException not JSON, not an object, a missing, unknown or mistyped field, or
   *     values that do not make an item; the exception carries the id when it was read
   */
  public static EvalItem fromJsonLine(final String line) {
    final JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (final JsonProcessingException e) {
      final var loc = e.getLocation();
      throw new ManifestException(null, 0, null, "not JSON: " + e.getOriginalMessage()
          + (loc != null && loc.getColumnNr() > 0 ? " (column " + loc.getColumnNr() + ")" : ""), e);
    }
    if (node == null || !node.isObject()) {
      throw new ManifestException(null, 0, null, "expected a JSON object {...}, got " + describe(node), null);
    }
    final JsonNode idNode = node.get("id");
    if (idNode == null || idNode.isNull()) {
      throw new ManifestException(null, 0, null, "missing field 'id'", null);
    }
    if (!idNode.isTextual() || idNode.textValue().isBlank()) {
      throw new ManifestException(null, 0, null, "field 'id' must be a non-blank string, was " + describe(idNode),
          null);
    }
    final Fields f = new Fields(node, "", idNode.textValue());
    f.knownOnly(FIELDS);
    final String video = f.text("video");
    final String question = f.text("question");
    final List<String> options = f.texts("options");
    final @Nullable String answer = f.optText("answer");
    final int answerIndex = answerIndex(f, options, answer);
    final @Nullable String queryImage = f.optText("queryImage");
    final @Nullable TimeRange range = range(f);
    final @Nullable NeedleTruth needle = needle(f);
    final @Nullable String task = f.optText("task");
    final Map<String, String> meta = f.meta("meta");
    try {
      return new EvalItem(f.id, video, question, options, answerIndex, answer, queryImage, range, needle, task, meta);
    } catch (final IllegalArgumentException e) {
      throw f.bad(e.getMessage());
    }
  }

  /** The manifest's folder, against which relative paths in its items resolve. */
  public Path folder() {
    final Path parent = file.toAbsolutePath().getParent();
    return parent != null ? parent : file.toAbsolutePath();
  }

  /**
   * Where an item's path points: a URL (anything with {@code ://}) unchanged, an absolute path as it
   * is, a relative path against {@link #folder()}.
   */
  public String resolve(final String pathOrUrl) {
    if (pathOrUrl.contains("://")) {
      return pathOrUrl;
    }
    return folder().resolve(pathOrUrl).normalize().toString();
  }

  private static int answerIndex(final Fields f, final List<String> options, final @Nullable String answer) {
    final int n = options.size();
    final @Nullable JsonNode given = f.get("answerIndex");
    if (given != null) {
      if (!given.isIntegralNumber() || !given.canConvertToInt()) {
        throw f.bad("field 'answerIndex' must be an integer, was " + describe(given));
      }
      final int i = given.intValue();
      if (n == 0 && i != -1) {
        throw f.bad("answerIndex " + i + " but the item has no options");
      }
      if (i >= n) {
        throw f.bad("answerIndex " + i + " but only " + n + " options");
      }
      if (i < -1) {
        throw f.bad("answerIndex " + i + " must be -1 (not known) or an option index 0.." + (n - 1));
      }
      if (i >= 0 && answer != null && !answer.equals(options.get(i)) && !answer.equals(letter(i))) {
        throw f.bad("answerIndex " + i + " ('" + options.get(i) + "') disagrees with answer '" + answer + "'");
      }
      return i;
    }
    if (answer == null || n == 0) {
      return -1;
    }
    final int byText = options.indexOf(answer);
    if (byText >= 0) {
      return byText;
    }
    if (LETTER.matcher(answer).matches()) {
      final int i = answer.charAt(0) - 'A';
      if (i < n) {
        return i;
      }
      throw f.bad("answer '" + answer + "' but only " + n + " options (A-" + letter(n - 1) + ")");
    }
    throw f.bad("answer '" + answer + "' is neither one of the " + n + " options nor a letter A-" + letter(n - 1));
  }

  private static @Nullable TimeRange range(final Fields item) {
    final @Nullable Fields r = item.object("range");
    if (r == null) {
      return null;
    }
    r.knownOnly(RANGE_FIELDS);
    final long start = r.time("start");
    final long end = r.time("end");
    try {
      return new TimeRange(start, end);
    } catch (final IllegalArgumentException e) {
      throw r.bad("range: " + e.getMessage());
    }
  }

  private static @Nullable NeedleTruth needle(final Fields item) {
    final @Nullable Fields n = item.object("needle");
    if (n == null) {
      return null;
    }
    n.knownOnly(NEEDLE_FIELDS);
    final String label = n.text("label");
    final String kindText = n.text("kind");
    final NeedleTruth.Kind kind;
    try {
      kind = NeedleTruth.Kind.valueOf(kindText.strip().toUpperCase(Locale.ROOT));
    } catch (final IllegalArgumentException e) {
      throw n.bad("field 'needle.kind' must be \"photo\" or \"text\", was '" + kindText + "'");
    }
    final String image = n.text("image");
    final double depth = n.number("depth");
    final long duration = n.micros("durationSeconds");
    final long start = n.micros("startSeconds");
    final long end = n.micros("endSeconds");
    final long haystack = n.micros("haystackSeconds");
    try {
      return new NeedleTruth(label, kind, image, depth, duration, start, end, haystack);
    } catch (final IllegalArgumentException e) {
      throw n.bad(e.getMessage());
    }
  }

  /** Seconds with exactly the microseconds, no trailing zeros. */
  private static BigDecimal seconds(final long micros) {
    return BigDecimal.valueOf(micros, 6).stripTrailingZeros();
  }

  private static String letter(final int i) {
    return String.valueOf((char) ('A' + i));
  }

  private static void putIfSet(final ObjectNode o, final String field, final @Nullable String value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  /** An object of a line with the item id for messages; {@code prefix} names nested fields ("needle."). */
  private record Fields(JsonNode node, String prefix, String id) {

    ManifestException bad(final String problem) {
      return new ManifestException(null, 0, id, problem, null);
    }

    /** The field's value; null when absent or JSON null (both mean "not given"). */
    @Nullable JsonNode get(final String name) {
      final JsonNode v = node.get(name);
      return v == null || v.isNull() ? null : v;
    }

    void knownOnly(final List<String> known) {
      for (final Map.Entry<String, JsonNode> e : node.properties()) {
        final String name = e.getKey();
        if (!known.contains(name)) {
          final String owner = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1) + " ";
          throw bad("unknown field '" + prefix + name + "'; known " + owner + "fields: " + String.join(", ", known));
        }
      }
    }

    String text(final String name) {
      final String v = optText(name);
      if (v == null) {
        throw bad("missing field '" + prefix + name + "'");
      }
      return v;
    }

    @Nullable String optText(final String name) {
      final JsonNode v = get(name);
      if (v == null) {
        return null;
      }
      if (!v.isTextual()) {
        throw bad("field '" + prefix + name + "' must be a string, was " + describe(v));
      }
      return v.textValue();
    }

    List<String> texts(final String name) {
      final JsonNode v = get(name);
      if (v == null) {
        return List.of();
      }
      if (!v.isArray()) {
        throw bad("field '" + prefix + name + "' must be a list of strings, was " + describe(v));
      }
      final List<String> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        if (!v.get(i).isTextual()) {
          throw bad("field '" + prefix + name + "' item " + i + " must be a string, was " + describe(v.get(i)));
        }
        out.add(v.get(i).textValue());
      }
      return out;
    }

    double number(final String name) {
      final JsonNode v = get(name);
      if (v == null) {
        throw bad("missing field '" + prefix + name + "'");
      }
      if (!v.isNumber()) {
        throw bad("field '" + prefix + name + "' must be a number, was " + describe(v));
      }
      return v.doubleValue();
    }

    /** Seconds as a number, to whole microseconds. */
    long micros(final String name) {
      return Math.round(number(name) * 1e6);
    }

    /** Seconds as a number, or a time string: seconds, {@code MM:SS(.fff)} or {@code H:MM:SS(.fff)}. */
    long time(final String name) {
      final JsonNode v = get(name);
      if (v == null || v.isNumber()) {
        return micros(name);
      }
      if (!v.isTextual()) {
        throw bad("field '" + prefix + name + "' must be seconds or a time like \"1:02:03.500\", was " + describe(v));
      }
      final String s = v.textValue().strip();
      if (SECONDS.matcher(s).matches()) {
        return toMicros(new BigDecimal(s));
      }
      final Matcher m = CLOCK.matcher(s);
      if (m.matches()) {
        final long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        final long minutes = Long.parseLong(m.group(2));
        final BigDecimal secs = new BigDecimal(m.group(3));
        if (minutes < 60 && secs.compareTo(BigDecimal.valueOf(60)) < 0) {
          return toMicros(secs.add(BigDecimal.valueOf(hours * 3600 + minutes * 60)));
        }
      }
      throw bad("field '" + prefix + name + "' is not a time: '" + v.textValue()
          + "'; use seconds (12.5), MM:SS (01:30) or H:MM:SS.mmm (0:01:30.250)");
    }

    private static long toMicros(final BigDecimal seconds) {
      return seconds.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    @Nullable Fields object(final String name) {
      final JsonNode v = get(name);
      if (v == null) {
        return null;
      }
      if (!v.isObject()) {
        throw bad("field '" + prefix + name + "' must be an object {...}, was " + describe(v));
      }
      return new Fields(v, prefix + name + ".", id);
    }

    /** An object of strings; numbers and booleans become their text, lists, objects and null are refused. */
    Map<String, String> meta(final String name) {
      final JsonNode v = get(name);
      if (v == null) {
        return Map.of();
      }
      if (!v.isObject()) {
        throw bad("field '" + prefix + name + "' must be an object of strings, was " + describe(v));
      }
      final Map<String, String> out = new LinkedHashMap<>();
      for (final Map.Entry<String, JsonNode> e : v.properties()) {
        final JsonNode x = e.getValue();
        if (!x.isValueNode() || x.isNull()) {
          throw bad("field '" + prefix + name + "." + e.getKey() + "' must be a string, number or boolean, was "
              + describe(x));
        }
        out.put(e.getKey(), x.isNumber() ? numberText(x) : x.asText());
      }
      return out;
    }

    private static String numberText(final JsonNode x) {
      return x.isIntegralNumber() ? x.asText() : x.decimalValue().stripTrailingZeros().toPlainString();
    }
  }
}
