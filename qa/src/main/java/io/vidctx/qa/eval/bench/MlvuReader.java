package io.vidctx.qa.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.qa.eval.EvalItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MLVU dev, multiple-choice part: every {@code json/*.json} in name order ({@code 1_plotQA.json},
 * {@code 2_needle.json}, ... {@code 7_topic_reasoning.json}), each a list of {@code video},
 * {@code duration} (seconds), {@code question}, {@code candidates}, {@code answer} (the right
 * candidate's text) and {@code question_type}.
 *
 * <p>Video: {@code video/<file stem>/<video>} when it exists (MLVU ships one folder per task), else
 * {@code video/<video>}. Id {@code mlvu-<file stem>-<entry index>}; task = question_type (MLVU's
 * M-Avg is the mean of the per-task accuracies); meta {@code duration}, {@code file}. Do not point it
 * at MLVU-Test, a different split.
 */
public final class MlvuReader implements BenchmarkReader {
  public static final String NAME = "mlvu";
  private static final String BENCH = "MLVU";
  private static final String LAYOUT = "json/<n>_<task>.json (lists of video, duration, question, candidates, "
      + "answer, question_type) and video/<n>_<task>/<video>";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<EvalItem> read(final Path dataDir) throws IOException {
    Sources.requireFolder(BENCH, dataDir);
    final Path json = dataDir.resolve("json");
    if (!Files.isDirectory(json)) {
      throw new BenchmarkException(BENCH + ": folder " + json.toAbsolutePath() + " not found; expected " + LAYOUT);
    }
    final List<Path> files = Sources.list(json, ".json");
    if (files.isEmpty()) {
      throw new BenchmarkException(BENCH + ": no *.json files in " + json.toAbsolutePath() + "; expected " + LAYOUT);
    }
    final Sources.Items items = new Sources.Items();
    for (final Path file : files) {
      final String fileName = file.getFileName().toString();
      final String stem = fileName.substring(0, fileName.length() - ".json".length());
      final JsonNode list = Sources.readList(BENCH, dataDir, file, "");
      for (int i = 0; i < list.size(); i++) {
        final Entry e = Entry.of(BENCH + " json/" + fileName, i, list.get(i), "video");
        final String video = e.text("video");
        final double duration = e.number("duration");
        if (!(duration >= 0)) {
          throw e.bad("field 'duration' must be >= 0 seconds, was " + duration);
        }
        final String question = e.text("question");
        final List<String> candidates = e.texts("candidates");
        final String answer = e.text("answer");
        final String task = e.text("question_type");
        final int answerIndex = candidates.indexOf(answer);
        if (answerIndex < 0) {
          throw e.bad("answer '" + answer + "' is not one of the candidates " + candidates);
        }
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put("benchmark", NAME);
        meta.put("duration", Entry.text(e.require("duration")));
        meta.put("file", fileName);
        final String inTaskFolder = "video/" + stem + "/" + video;
        final String path = Files.isRegularFile(dataDir.resolve(inTaskFolder)) ? inTaskFolder : "video/" + video;
        items.add(e, NAME + "-" + stem + "-" + i, Sources.video(dataDir, path), question, candidates, answerIndex, task,
            meta);
      }
    }
    return items.toList();
  }
}
