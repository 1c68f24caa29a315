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

class VideoMmeReaderTest {
  private static final String ROW1 = "{\"video_id\": \"001\", \"duration\": \"short\", \"domain\": \"Knowledge\", "
      + "\"sub_category\": \"Humanity & History\", \"url\": \"https:\\/\\/www.youtube.com\\/watch?v=fFjv93ACGo8\", "
      + "\"videoID\": \"fFjv93ACGo8\", \"question_id\": \"001-1\", \"task_type\": \"Counting Problem\", "
      + "\"question\": \"When demonstrating the Germany modern Christmas tree is initially decorated with apples, "
      + "candles and berries, which kind of the decoration has the largest number?\", "
      + "\"options\": [\"A. Apples.\", \"B. Candles.\", \"C. Berries.\", \"D. The three kinds are of the same number.\"], "
      + "\"answer\": \"C\"}";
  private static final String ROW2 = "{\"video_id\": \"601\", \"duration\": \"long\", \"domain\": \"Sports Competition\", "
      + "\"sub_category\": \"Basketball\", \"url\": \"https://www.youtube.com/watch?v=Rv8rfGkQwrA\", "
      + "\"videoID\": \"Rv8rfGkQwrA\", \"question_id\": \"601-3\", \"task_type\": \"Temporal Reasoning\", "
      + "\"question\": \"What happens right after the timeout?\", "
      + "\"options\": [\"A. A free throw.\", \"B. A dunk.\", \"C. A substitution.\", \"D. The game ends.\"], "
      + "\"answer\": \"A\"}";

  private static List<EvalItem> expected(final Path dir, final String folder) {
    return List.of(
        new EvalItem("videomme-001-1", abs(dir, folder + "/fFjv93ACGo8.mp4"),
            "When demonstrating the Germany modern Christmas tree is initially decorated with apples, candles and "
                + "berries, which kind of the decoration has the largest number?",
            List.of("Apples.", "Candles.", "Berries.", "The three kinds are of the same number."), 2, "Berries.", null,
            null, null, "short", Map.of("benchmark", "videomme", "duration", "short", "domain", "Knowledge",
                "sub_category", "Humanity & History", "task_type", "Counting Problem", "video_id", "001",
                "url", "https://www.youtube.com/watch?v=fFjv93ACGo8")),
        new EvalItem("videomme-601-3", abs(dir, folder + "/Rv8rfGkQwrA.mp4"), "What happens right after the timeout?",
            List.of("A free throw.", "A dunk.", "A substitution.", "The game ends."), 0, "A free throw.", null, null,
            null, "long", Map.of("benchmark", "videomme", "duration", "long", "domain", "Sports Competition",
                "sub_category", "Basketball", "task_type", "Temporal Reasoning", "video_id", "601",
                "url", "https://www.youtube.com/watch?v=Rv8rfGkQwrA")));
  }

  @Test
  void shouldReadRowsConvertedToJson(@TempDir final Path dir) throws IOException {
    write(dir, "videomme/test.json", "[" + ROW1 + ",\n" + ROW2 + "]");
    assertEquals(expected(dir, "data"), new VideoMmeReader().read(dir));
  }

  @Test
  void shouldReadJsonLinesAndFindVideosInTheVideosFolder(@TempDir final Path dir) throws IOException {
    write(dir, "videomme_rows.jsonl", ROW1 + "\n\n" + ROW2 + "\n");
    touch(dir, "videos/fFjv93ACGo8.mp4");
    touch(dir, "videos/Rv8rfGkQwrA.mp4");
    assertEquals(expected(dir, "videos"), new VideoMmeReader().read(dir));
  }

  @Test
  void shouldTellHowToConvertWhenOnlyParquetIsThere(@TempDir final Path dir) throws IOException {
    touch(dir, "videomme/test-00000-of-00001.parquet");
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new VideoMmeReader().read(dir));
    assertTrue(e.getMessage().contains("found only videomme/test-00000-of-00001.parquet"), e.getMessage());
    assertTrue(e.getMessage().contains("python3 -c \"import pandas as p; p.read_parquet("
        + "'videomme/test-00000-of-00001.parquet').to_json('videomme/test.json', orient='records')\""), e.getMessage());
  }

  @Test
  void shouldRejectAnAnswerLetterBeyondTheOptions(@TempDir final Path dir) throws IOException {
    write(dir, "videomme/test.json", "[" + ROW1 + ",\n" + ROW2.replace("\"answer\": \"A\"", "\"answer\": \"E\"") + "]");
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new VideoMmeReader().read(dir));
    assertEquals("Video-MME videomme/test.json entry 1 (question_id '601-3'): answer 'E' but only 4 options",
        e.getMessage());
  }

  @Test
  void shouldNameAMissingFieldWithTheQuestionId(@TempDir final Path dir) throws IOException {
    write(dir, "videomme/test.json", "[" + ROW1.replace("\"videoID\": \"fFjv93ACGo8\", ", "") + "]");
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new VideoMmeReader().read(dir));
    assertEquals("Video-MME videomme/test.json entry 0 (question_id '001-1'): missing field 'videoID'", e.getMessage());
  }

  @Test
  void shouldExplainColumnOrientedPandasOutput(@TempDir final Path dir) throws IOException {
    write(dir, "videomme/test.json", "{\"video_id\": {\"0\": \"001\"}}");
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new VideoMmeReader().read(dir));
    assertTrue(e.getMessage().contains("orient='records'"), e.getMessage());
  }

  @Test
  void shouldRefuseToGuessBetweenSeveralAnnotationFiles(@TempDir final Path dir) throws IOException {
    write(dir, "videomme/a.json", "[]");
    write(dir, "videomme/b.jsonl", "");
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new VideoMmeReader().read(dir));
    assertTrue(e.getMessage().contains("several annotation files") && e.getMessage().contains("a.json, b.jsonl"),
        e.getMessage());
  }
}
