package io.vidctx.qa.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.qa.eval.EvalItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * LongVideoBench: {@code lvb_val.json} by default, else {@code lvb_test_wo_gt.json} (no answers: every
 * item runs unscored), or the file given to the constructor. Each a list of {@code id},
 * {@code video_path} (under {@code videos/}), {@code question}, {@code candidates} (4-5) and
 * {@code correct_choice} (required unless the file name says {@code wo_gt}), plus
 * {@code question_category}, {@code duration_group}, ... .
 *
 * <p>Id {@code lvb-<id>}; task = question_category (when given); meta {@code video_id},
 * {@code duration_group} (15/60/600/3600: LongVideoBench reports per group), {@code duration},
 * {@code topic_category}, {@code level}, {@code position}, {@code subtitle_path},
 * {@code starting_timestamp_for_subtitles}.
 */
public final class LongVideoBenchReader implements BenchmarkReader {
  public static final String NAME = "longvideobench";
  public static final String VAL = "lvb_val.json";
  public static final String TEST = "lvb_test_wo_gt.json";
  private static final String BENCH = "LongVideoBench";
  private static final String LAYOUT = VAL + " (or " + TEST + ": a list of id, video_path, question, candidates, "
      + "correct_choice) and videos/<video_path>";
  private static final List<String> META = List.of("video_id", "duration_group", "duration", "topic_category", "level",
      "position", "subtitle_path", "starting_timestamp_for_subtitles");

  private final @Nullable String annotationFile;

  /** Reads {@value #VAL}, or {@value #TEST} when there is no validation file. */
  public LongVideoBenchReader() {
    this(null);
  }

  /**
   * @param annotationFile the annotation file relative to the data folder, or null for the default
   */
  public LongVideoBenchReader(final @Nullable String annotationFile) {
    this.annotationFile = annotationFile;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<EvalItem> read(final Path dataDir) throws IOException {
    Sources.requireFolder(BENCH, dataDir);
    final Path file = Sources.pick(BENCH, dataDir, annotationFile, LAYOUT, VAL, TEST);
    // The test split hides the answers; everywhere else a missing answer is a broken file.
    final boolean answers = !file.getFileName().toString().contains("wo_gt");
    final String rel = Sources.rel(dataDir, file);
    final JsonNode list = Sources.readList(BENCH, dataDir, file, "");
    final Sources.Items items = new Sources.Items();
    for (int i = 0; i < list.size(); i++) {
      final Entry e = Entry.of(BENCH + " " + rel, i, list.get(i), "id");
      final String id = e.key("id");
      final String videoPath = e.text("video_path");
      final String question = e.text("question");
      final List<String> candidates = e.texts("candidates");
      final int answerIndex = answers || e.get("correct_choice") != null ? e.integer("correct_choice") : -1;
      if (answerIndex >= candidates.size()) {
        throw e.bad("correct_choice " + answerIndex + " but only " + candidates.size() + " candidates");
      }
      if (answerIndex < (answers ? 0 : -1)) {
        throw e.bad("correct_choice must be 0-" + (candidates.size() - 1) + ", was " + answerIndex);
      }
      final JsonNode category = e.get("question_category");
      final String task = category != null ? e.text("question_category") : null;
      final Map<String, String> meta = new LinkedHashMap<>();
      meta.put("benchmark", NAME);
      for (final String field : META) {
        e.copyTo(meta, field);
      }
      items.add(e, "lvb-" + id, Sources.video(dataDir, "videos/" + videoPath), question, candidates, answerIndex, task,
          meta);
    }
    return items.toList();
  }
}
