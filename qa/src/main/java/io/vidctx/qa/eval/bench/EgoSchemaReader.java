package io.vidctx.qa.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.qa.eval.JsonKinds;
import io.vidctx.qa.eval.EvalItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EgoSchema: {@code questions.json} (a list of {@code q_uid}, {@code google_drive_id}, {@code question},
 * {@code option 0} ... {@code option 4}) and, optionally, {@code subset_answers.json} (q_uid to the
 * right option, 0-4: the public 500-question subset). Questions without a published answer get
 * answerIndex -1: they run but are not scored (the full set is scored only by Kaggle).
 *
 * <p>Video: {@code videos/<q_uid>.mp4}, or {@code good_clips_git/<q_uid>.mp4} (the folder name of
 * the original release) when only that exists. Id {@code egoschema-<q_uid>}; no task; meta
 * {@code q_uid}, {@code google_drive_id}, {@code subset} ("true" when the answer is published).
 */
public final class EgoSchemaReader implements BenchmarkReader {
  public static final String NAME = "egoschema";
  private static final String BENCH = "EgoSchema";
  private static final String QUESTIONS = "questions.json";
  private static final String ANSWERS = "subset_answers.json";
  private static final int OPTIONS = 5;
  private static final String LAYOUT = QUESTIONS + " (list of q_uid, question, option 0..option 4), optionally "
      + ANSWERS + " (q_uid -> 0-4), videos/<q_uid>.mp4";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<EvalItem> read(final Path dataDir) throws IOException {
    Sources.requireFolder(BENCH, dataDir);
    final Path questions = Sources.requireFile(BENCH, dataDir, QUESTIONS, LAYOUT);
    final JsonNode list = Sources.readList(BENCH, dataDir, questions, "");
    final Map<String, Integer> answers = answers(dataDir);
    final Sources.Items items = new Sources.Items();
    for (int i = 0; i < list.size(); i++) {
      final Entry e = Entry.of(BENCH + " " + QUESTIONS, i, list.get(i), "q_uid");
      final String uid = e.key("q_uid");
      final String question = e.text("question");
      final List<String> options = new ArrayList<>(OPTIONS);
      for (int k = 0; k < OPTIONS; k++) {
        options.add(e.text("option " + k));
      }
      final Integer answer = answers.get(uid);
      final Map<String, String> meta = new LinkedHashMap<>();
      meta.put("benchmark", NAME);
      meta.put("q_uid", uid);
      e.copyTo(meta, "google_drive_id");
      meta.put("subset", String.valueOf(answer != null));
      items.add(e, NAME + "-" + uid, Sources.video(dataDir, "videos/" + uid + ".mp4", "good_clips_git/" + uid + ".mp4"),
          question, options, answer != null ? answer : -1, null, meta);
    }
    return items.toList();
  }

  private static Map<String, Integer> answers(final Path dataDir) throws IOException {
    final Path file = dataDir.resolve(ANSWERS);
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    final JsonNode node = Sources.readJson(BENCH, dataDir, file);
    if (!node.isObject()) {
      throw new BenchmarkException(BENCH + " " + ANSWERS + ": expected an object {\"<q_uid>\": <0-4>, ...}, was "
          + JsonKinds.describe(node));
    }
    final Map<String, Integer> out = new HashMap<>();
    for (final Map.Entry<String, JsonNode> a : node.properties()) {
      final JsonNode v = a.getValue();
      if (!v.isIntegralNumber() || v.intValue() < 0 || v.intValue() >= OPTIONS) {
        throw new BenchmarkException(BENCH + " " + ANSWERS + " q_uid '" + a.getKey()
            + "': the answer must be an integer 0-4, was " + JsonKinds.describe(v));
      }
      out.put(a.getKey(), v.intValue());
    }
    return out;
  }
}
