package io.vidctx.qa.eval.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.qa.eval.JsonKinds;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vidctx.qa.eval.EvalItem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** File access shared by the readers: every failure names the benchmark and the file. */
final class Sources {
  // A key given twice in an entry would silently keep only one value.
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Sources() {}

  /** {@code dataDir/rel}, which must be a file; the message shows the expected layout. */
  static Path requireFile(final String bench, final Path dataDir, final String rel, final String layout) {
    final Path p = dataDir.resolve(rel);
    if (!Files.isRegularFile(p)) {
      throw new BenchmarkException(bench + ": " + p.toAbsolutePath() + " not found; expected " + layout);
    }
    return p;
  }

  /** {@code dataDir}, which must be a folder. */
  static void requireFolder(final String bench, final Path dataDir) {
    if (!Files.isDirectory(dataDir)) {
      throw new BenchmarkException(bench + ": data folder " + dataDir.toAbsolutePath() + " not found");
    }
  }

  /** The path of {@code file} relative to the data folder, with '/', for messages. */
  static String rel(final Path dataDir, final Path file) {
    return dataDir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString()
        .replace('\\', '/');
  }

  /**
   * The file as UTF-8 text without a leading byte-order mark (editors on Windows write one).
   *
   * @throws BenchmarkException when it is not UTF-8, naming the benchmark and the file
   */
  static String readText(final String bench, final Path dataDir, final Path file) throws IOException {
    final String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (final CharacterCodingException e) {
      throw new BenchmarkException(bench + " " + rel(dataDir, file) + ": not UTF-8 text; convert it to UTF-8", e);
    }
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /**
   * The first of {@code defaults} (relative to {@code dataDir}) that is a file, or {@code given} when
   * the user named one (then it must exist).
   */
  static Path pick(final String bench, final Path dataDir, final @Nullable String given, final String layout,
      final String... defaults) {
    if (given != null) {
      return requireFile(bench, dataDir, given, layout);
    }
    for (final String d : defaults) {
      if (Files.isRegularFile(dataDir.resolve(d))) {
        return dataDir.resolve(d);
      }
    }
    throw new BenchmarkException(bench + ": neither " + String.join(" nor ", defaults) + " in "
        + dataDir.toAbsolutePath() + "; expected " + layout);
  }

  static JsonNode readJson(final String bench, final Path dataDir, final Path file) throws IOException {
    final String text = readText(bench, dataDir, file);
    try {
      final JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new BenchmarkException(bench + " " + rel(dataDir, file) + ": the file is empty");
      }
      return node;
    } catch (final JsonProcessingException e) {
      throw notJson(bench, dataDir, file, e, 0);
    }
  }

  /** A file holding a JSON list of entries. */
  static JsonNode readList(final String bench, final Path dataDir, final Path file, final String hint)
      throws IOException {
    final JsonNode node = readJson(bench, dataDir, file);
    if (!node.isArray()) {
      throw new BenchmarkException(bench + " " + rel(dataDir, file) + ": expected a JSON list of entries [...], was "
          + JsonKinds.describe(node) + hint);
    }
    return node;
  }

  /** A JSON Lines file: one entry per non-blank line. */
  static List<JsonNode> readJsonLines(final String bench, final Path dataDir, final Path file) throws IOException {
    final List<String> lines = readText(bench, dataDir, file).lines().toList();
    final List<JsonNode> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      final String s = lines.get(i).strip();
      if (s.isEmpty()) {
        continue;
      }
      try {
        out.add(MAPPER.readTree(s));
      } catch (final JsonProcessingException e) {
        throw notJson(bench, dataDir, file, e, i + 1);
      }
    }
    return out;
  }

  private static BenchmarkException notJson(final String bench, final Path dataDir, final Path file,
      final JsonProcessingException e, final int line) {
    final var loc = e.getLocation();
    final String at = line > 0 ? " (line " + line + ")"
        : loc != null && loc.getLineNr() > 0 ? " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")" : "";
    return new BenchmarkException(bench + " " + rel(dataDir, file) + ": not valid JSON: " + e.getOriginalMessage()
        + at, e);
  }

  /**
   * The absolute path of the first of {@code candidates} (relative to {@code dataDir}) that exists,
   * else of the first: where the benchmark normally puts it, for the runner to report as missing.
   */
  static String video(final Path dataDir, final String... candidates) {
    final Path base = dataDir.toAbsolutePath().normalize();
    for (final String c : candidates) {
      final Path p = base.resolve(c).normalize();
      if (Files.isRegularFile(p)) {
        return p.toString();
      }
    }
    return base.resolve(candidates[0]).normalize().toString();
  }

  /** Files directly in {@code dir} whose names end with one of {@code suffixes}, sorted by name. */
  static List<Path> list(final Path dir, final String... suffixes) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> {
            final String n = p.getFileName().toString();
            for (final String suffix : suffixes) {
              if (n.endsWith(suffix)) {
                return true;
              }
            }
            return false;
          })
          .sorted()
          .toList();
    }
  }

  /** Collects items, refusing a second item with an id already taken and naming both entries. */
  static final class Items {
    private final List<EvalItem> items = new ArrayList<>();
    private final Map<String, String> whereById = new HashMap<>();

    /**
     * Builds the item from {@code e} and adds it.
     *
     * @param answerIndex the right option, or -1 when the file does not publish it
     */
    void add(final Entry e, final String id, final String video, final String question, final List<String> options,
        final int answerIndex, final @Nullable String task, final Map<String, String> meta) {
      if (answerIndex < -1 || answerIndex >= options.size()) {
        throw e.bad("answer index " + answerIndex + " but only " + options.size() + " options");
      }
      final EvalItem item;
      try {
        item = new EvalItem(id, video, question, options, answerIndex,
            answerIndex >= 0 ? options.get(answerIndex) : null, null, null, null, task, meta);
      } catch (final IllegalArgumentException ex) {
        throw e.bad(ex.getMessage());
      }
      final String first = whereById.putIfAbsent(id, e.where());
      if (first != null) {
        throw e.bad("duplicate id '" + id + "' (also " + first + ")");
      }
      items.add(item);
    }

    List<EvalItem> toList() {
      return List.copyOf(items);
    }
  }
}
