package io.vidctx.qa.eval.bench;

import static io.vidctx.qa.eval.bench.BenchFixtures.abs;
import static io.vidctx.qa.eval.bench.BenchFixtures.touch;
import static io.vidctx.qa.eval.bench.BenchFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.qa.eval.EvalItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlvuReaderTest {
  private static final String PLOT = """
      [
        {"video": "movie101_66.mp4", "duration": 246, "question": "What color is the main male character in the video?",
         "candidates": ["Yellow", "Red", "Green", "Blue"], "answer": "Yellow", "question_type": "plotQA"}
      ]
      """;
  private static final String COUNT = """
      [
        {"video": "count_7.mp4", "duration": 601.5, "question": "Throughout this video, how many times does the person jump? ",
         "candidates": ["3", "5", "4", "6"], "answer": "4", "question_type": "count"},
        {"video": "count_9.mp4", "duration": 1200, "question": "How many cups are filled?",
         "candidates": ["1", "2", "3", "0"], "answer": "0", "question_type": "count"}
      ]
      """;

  @Test
  void shouldReadEveryTaskFileInNameOrder(@TempDir final Path dir) throws IOException {
    write(dir, "json/4_count.json", COUNT);
    write(dir, "json/1_plotQA.json", PLOT);
    touch(dir, "video/1_plotQA/movie101_66.mp4");

    final List<EvalItem> items = new MlvuReader().read(dir);

    assertEquals(List.of(
        new EvalItem("mlvu-1_plotQA-0", abs(dir, "video/1_plotQA/movie101_66.mp4"),
            "What color is the main male character in the video?", List.of("Yellow", "Red", "Green", "Blue"), 0,
            "Yellow", null, null, null, "plotQA", Map.of("benchmark", "mlvu", "duration", "246", "file", "1_plotQA.json")),
        new EvalItem("mlvu-4_count-0", abs(dir, "video/count_7.mp4"),
            "Throughout this video, how many times does the person jump?", List.of("3", "5", "4", "6"), 2, "4", null,
            null, null, "count", Map.of("benchmark", "mlvu", "duration", "601.5", "file", "4_count.json")),
        new EvalItem("mlvu-4_count-1", abs(dir, "video/count_9.mp4"), "How many cups are filled?",
            List.of("1", "2", "3", "0"), 3, "0", null, null, null, "count",
            Map.of("benchmark", "mlvu", "duration", "1200", "file", "4_count.json"))), items);
  }

  @Test
  void shouldRefuseAnAnswerThatIsNoCandidate(@TempDir final Path dir) throws IOException {
    write(dir, "json/4_count.json", COUNT.replace("\"answer\": \"0\"", "\"answer\": \"7\""));
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new MlvuReader().read(dir));
    assertEquals("MLVU json/4_count.json entry 1 (video 'count_9.mp4'): answer '7' is not one of the candidates "
        + "[1, 2, 3, 0]", e.getMessage());
  }

  @Test
  void shouldNameAMissingOrMistypedField(@TempDir final Path dir) throws IOException {
    write(dir, "json/4_count.json", COUNT.replace("\"candidates\": [\"1\", \"2\", \"3\", \"0\"], ", ""));
    assertEquals("MLVU json/4_count.json entry 1 (video 'count_9.mp4'): missing field 'candidates'",
        assertThrows(BenchmarkException.class, () -> new MlvuReader().read(dir)).getMessage());

    write(dir, "json/4_count.json", COUNT.replace("\"duration\": 1200", "\"duration\": \"20 min\""));
    assertEquals("MLVU json/4_count.json entry 1 (video 'count_9.mp4'): field 'duration' must be a number, "
        + "was the string '20 min'", assertThrows(BenchmarkException.class, () -> new MlvuReader().read(dir))
        .getMessage());
  }

  @Test
  void shouldExplainAMissingJsonFolderOrBrokenJson(@TempDir final Path dir) throws IOException {
    final BenchmarkException missing = assertThrows(BenchmarkException.class, () -> new MlvuReader().read(dir));
    assertTrue(missing.getMessage().contains(dir.toAbsolutePath().resolve("json") + " not found"),
        missing.getMessage());
    write(dir, "json/2_needle.json", "[{\"video\": \"needle_32.mp4\",");
    final BenchmarkException broken = assertThrows(BenchmarkException.class, () -> new MlvuReader().read(dir));
    assertTrue(broken.getMessage().startsWith("MLVU json/2_needle.json: not valid JSON: "), broken.getMessage());
  }
}
