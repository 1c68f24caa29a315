package io.vidctx.qa.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.qa.eval.EvalItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Video-MME: the rows of the official {@code videomme/test-00000-of-00001.parquet}, converted once to
 * JSON (a list of rows) or JSON Lines, since reading parquet would pull Hadoop into the classpath.
 * Looked for, in {@code videomme/} then in the data folder: {@code test.json}, {@code test.jsonl},
 * else the only {@code *.json}/{@code *.jsonl} there. A folder with only the parquet file is an error
 * that gives the conversion command.
 *
 * <p>Row fields: {@code question_id} ("001-1"), {@code videoID} (YouTube id, the file stem),
 * {@code duration} ("short"/"medium"/"long"), {@code question}, {@code options} ("A. ..."; the
 * letter prefix is stripped), {@code answer} (a letter), and, copied to meta when present,
 * {@code video_id}, {@code domain}, {@code sub_category}, {@code task_type}, {@code url}.
 *
 * <p>Video: {@code data/<videoID>.mp4} (as shipped), else {@code videos/<videoID>.mp4} when only that
 * exists. Id {@code videomme-<question_id>}; task = the duration class (Video-MME reports
 * short/medium/long); meta also {@code duration}.
 */
public final class VideoMmeReader implements BenchmarkReader {
  public static final String NAME = "videomme";
  private static final String BENCH = "Video-MME";
  private static final String PARQUET = "videomme/test-00000-of-00001.parquet";
  private static final String LAYOUT = "videomme/test.json (the rows of " + PARQUET
      + " as a JSON list) or videomme/test.jsonl, and data/<videoID>.mp4";
  // "A. text", "(B) text", "C) text", "D: text"
  private static final Pattern PREFIX = Pattern.compile("\\(?([A-Z])[.):]\\s*(.*)", Pattern.DOTALL);
  private static final Pattern LETTER = Pattern.compile("\\(?([A-Z])\\)?\\.?");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<EvalItem> read(final Path dataDir) throws IOException {
    Sources.requireFolder(BENCH, dataDir);
    final Path file = annotations(dataDir);
    final String rel = Sources.rel(dataDir, file);
    final List<JsonNode> rows = new ArrayList<>();
    if (file.getFileName().toString().endsWith(".jsonl")) {
      rows.addAll(Sources.readJsonLines(BENCH, dataDir, file));
    } else {
      Sources.readList(BENCH, dataDir, file, " (from pandas, write it with to_json(..., orient='records'))")
          .forEach(rows::add);
    }
    final Sources.Items items = new Sources.Items();
    for (int i = 0; i < rows.size(); i++) {
      final Entry e = Entry.of(BENCH + " " + rel, i, rows.get(i), "question_id");
      final String questionId = e.key("question_id");
      final String videoId = e.text("videoID");
      final String duration = e.text("duration").toLowerCase(Locale.ROOT);
      final String question = e.text("question");
      final List<String> options = e.texts("options");
      for (int k = 0; k < options.size(); k++) {
        options.set(k, stripLetter(e, options.get(k), k));
      }
      final String answer = e.text("answer");
      final Matcher m = LETTER.matcher(answer);
      if (!m.matches()) {
        throw e.bad("field 'answer' must be an option letter A-" + (char) ('A' + options.size() - 1) + ", was '"
            + answer + "'");
      }
      final int answerIndex = m.group(1).charAt(0) - 'A';
      if (answerIndex >= options.size()) {
        throw e.bad("answer '" + answer + "' but only " + options.size() + " options");
      }
      final Map<String, String> meta = new LinkedHashMap<>();
      meta.put("benchmark", NAME);
      meta.put("duration", duration);
      e.copyTo(meta, "domain");
      e.copyTo(meta, "sub_category");
      e.copyTo(meta, "task_type");
      e.copyTo(meta, "video_id");
      e.copyTo(meta, "url");
      items.add(e, NAME + "-" + questionId,
          Sources.video(dataDir, "data/" + videoId + ".mp4", "videos/" + videoId + ".mp4"), question, options,
          answerIndex, duration, meta);
    }
    return items.toList();
  }

  /** "A. text" to "text" when the letter is the option's own; other text is kept whole. */
  private static String stripLetter(final Entry e, final String option, final int k) {
    final Matcher m = PREFIX.matcher(option);
    if (m.matches() && m.group(1).charAt(0) == 'A' + k) {
      final String text = m.group(2).strip();
      if (text.isEmpty()) {
        throw e.bad("field 'options' item " + k + " is only a letter: '" + option + "'");
      }
      return text;
    }
    return option;
  }

  private static Path annotations(final Path dataDir) throws IOException {
    final List<Path> dirs = List.of(dataDir.resolve("videomme"), dataDir);
    for (final Path dir : dirs) {
      for (final String name : List.of("test.json", "test.jsonl")) {
        if (Files.isRegularFile(dir.resolve(name))) {
          return dir.resolve(name);
        }
      }
    }
    for (final Path dir : dirs) {
      final List<Path> found = Sources.list(dir, ".json", ".jsonl");
      if (found.size() == 1) {
        return found.get(0);
      }
      if (found.size() > 1) {
        throw new BenchmarkException(BENCH + ": several annotation files in " + dir.toAbsolutePath() + " ("
            + String.join(", ", found.stream().map(p -> p.getFileName().toString()).toList())
            + "); name the one to use test.json");
      }
    }
    for (final Path dir : dirs) {
      final List<Path> parquet = Sources.list(dir, ".parquet");
      if (!parquet.isEmpty()) {
        final String p = Sources.rel(dataDir, parquet.get(0));
        final String json = Sources.rel(dataDir, parquet.get(0).resolveSibling("test.json"));
        throw new BenchmarkException(BENCH + ": found only " + p + "; vidctx does not read parquet. Convert it once, "
            + "in " + dataDir.toAbsolutePath() + ": python3 -c \"import pandas as p; p.read_parquet('" + p
            + "').to_json('" + json + "', orient='records')\"");
      }
    }
    throw new BenchmarkException(BENCH + ": no annotation file in " + dataDir.toAbsolutePath() + "; expected "
        + LAYOUT);
  }
}
