package io.vidctx.qa.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.qa.eval.JsonKinds;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vidctx.qa.eval.EvalItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * NExT-QA, multiple choice: {@code val.csv} by default, else {@code test.csv}, or the split given to
 * the constructor ({@code train} only when asked: it is the training set). Columns {@code video},
 * {@code question}, {@code answer} (0-4), {@code qid}, {@code type}, {@code a0} ... {@code a4}, and
 * {@code frame_count}, {@code width}, {@code height} (copied to meta). {@code map_vid_vidorID.json}
 * maps a video to its folder path ("1106/4010069381").
 *
 * <p>Video: {@code NExTVideo/<mapped path>.mp4}. Id {@code nextqa-<video>-<qid>}; task = type (CW/CH
 * causal, TN/TC/TP temporal, DC/DL/DO descriptive); meta {@code video}, {@code qid}, {@code split},
 * {@code frame_count}, {@code width}, {@code height}. A short-video sanity set, not long-context.
 */
public final class NextQaReader implements BenchmarkReader {
  public static final String NAME = "nextqa";
  public static final String MAP = "map_vid_vidorID.json";
  private static final String BENCH = "NExT-QA";
  private static final int OPTIONS = 5;
  private static final String LAYOUT = "val.csv (or test.csv; columns video, question, answer, qid, type, a0..a4), "
      + MAP + " and NExTVideo/<mapped path>.mp4";
  private static final List<String> REQUIRED = List.of("video", "question", "answer", "qid", "type", "a0", "a1", "a2",
      "a3", "a4");

  private final @Nullable String split;

  /** Reads {@code val.csv}, or {@code test.csv} when there is no validation file. */
  public NextQaReader() {
    this(null);
  }

  /**
   * @param split the split to read ({@code val}, {@code test}, {@code train}: {@code <split>.csv}), or
   *     null for the default
   */
  public NextQaReader(final @Nullable String split) {
    this.split = split;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<EvalItem> read(final Path dataDir) throws IOException {
    Sources.requireFolder(BENCH, dataDir);
    final Path csv = Sources.pick(BENCH, dataDir, split == null ? null : split + ".csv",
        LAYOUT + " (train.csv is read only when asked for by split)", "val.csv", "test.csv");
    final Map<String, String> folders = folders(dataDir);
    final String fileName = csv.getFileName().toString();
    final String source = BENCH + " " + fileName;
    final List<Csv.Row> rows;
    try {
      rows = Csv.parse(Sources.readText(BENCH, dataDir, csv));
    } catch (final IllegalArgumentException e) {
      throw new BenchmarkException(source + " " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw new BenchmarkException(source + ": the file is empty; expected a header line with " + REQUIRED);
    }
    final List<String> header = rows.get(0).fields().stream().map(String::strip).toList();
    for (final String column : REQUIRED) {
      if (!header.contains(column)) {
        throw new BenchmarkException(source + ": missing column '" + column + "' (header: " + header + ")");
      }
    }
    final Sources.Items items = new Sources.Items();
    for (final Csv.Row row : rows.subList(1, rows.size())) {
      final String where = source + " line " + row.line();
      if (row.fields().size() != header.size()) {
        throw new BenchmarkException(where + ": " + row.fields().size() + " fields but the header has "
            + header.size());
      }
      final ObjectNode node = JsonNodeFactory.instance.objectNode();
      for (int c = 0; c < header.size(); c++) {
        node.put(header.get(c), row.fields().get(c));
      }
      final JsonNode qidCell = node.get("qid");
      final Entry e = new Entry(where + (qidCell.asText().isBlank() ? "" : " (qid " + qidCell.asText().strip() + ")"),
          node);
      final String video = e.text("video");
      final String qid = e.text("qid");
      final String question = e.text("question");
      final int answer = e.integerText("answer");
      if (answer < 0 || answer >= OPTIONS) {
        throw e.bad("field 'answer' must be an option index 0-4, was " + answer);
      }
      final String type = e.text("type");
      final List<String> options = new ArrayList<>(OPTIONS);
      for (int k = 0; k < OPTIONS; k++) {
        options.add(e.text("a" + k));
      }
      final String folder = folders.get(video);
      if (folder == null) {
        throw e.bad("video '" + video + "' is not in " + MAP);
      }
      final Map<String, String> meta = new LinkedHashMap<>();
      meta.put("benchmark", NAME);
      meta.put("video", video);
      meta.put("qid", qid);
      meta.put("split", fileName.substring(0, fileName.length() - ".csv".length()));
      for (final String column : List.of("frame_count", "width", "height")) {
        if (node.has(column) && !node.get(column).asText().isBlank()) {
          e.copyTo(meta, column);
        }
      }
      items.add(e, NAME + "-" + video + "-" + qid, Sources.video(dataDir, "NExTVideo/" + folder + ".mp4"), question,
          options, answer, type, meta);
    }
    return items.toList();
  }

  private static Map<String, String> folders(final Path dataDir) throws IOException {
    final Path file = Sources.requireFile(BENCH, dataDir, MAP, LAYOUT);
    final JsonNode node = Sources.readJson(BENCH, dataDir, file);
    if (!node.isObject()) {
      throw new BenchmarkException(BENCH + " " + MAP + ": expected an object {\"<video>\": \"<folder>/<video>\", ...}, "
          + "was " + JsonKinds.describe(node));
    }
    final Map<String, String> out = new HashMap<>();
    for (final Map.Entry<String, JsonNode> m : node.properties()) {
      if (!m.getValue().isTextual() || m.getValue().textValue().isBlank()) {
        throw new BenchmarkException(BENCH + " " + MAP + " video '" + m.getKey() + "': the folder path must be a "
            + "non-blank string, was " + JsonKinds.describe(m.getValue()));
      }
      out.put(m.getKey().strip(), m.getValue().textValue().strip());
    }
    return out;
  }
}
