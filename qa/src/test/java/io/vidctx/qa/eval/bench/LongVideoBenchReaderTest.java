package io.vidctx.qa.eval.bench;

import static io.vidctx.qa.eval.bench.BenchFixtures.abs;
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

class LongVideoBenchReaderTest {
  private static final String VAL = """
      [
        {"video_id": "86CxyhFV9MI", "question": "In the video, which subtitles appear at the same time as the man with black hair?",
         "question_wo_referring_query": "Which subtitles appear at the same time?",
         "candidates": ["promisc has come to an end, run away", "captain plays, the ball", "the game is over", "welcome back"],
         "correct_choice": 1, "position": [535, 811], "topic_category": "NP-News-Programs", "question_category": "TOS",
         "level": "L2-Relation", "id": "86CxyhFV9MI_0", "video_path": "86CxyhFV9MI.mp4",
         "subtitle_path": "86CxyhFV9MI_en.json", "duration_group": 600, "starting_timestamp_for_subtitles": 0,
         "duration": 527.58, "view_count": 14236},
        {"video_id": "ZJmyjVEy4UE", "question": "What does the woman in the red coat pick up after leaving the shop?",
         "candidates": ["an umbrella", "a bag", "a cup", "a phone", "a dog leash"],
         "correct_choice": 4, "position": [12043], "topic_category": "LT-Travel", "question_category": "E2O",
         "level": "L1-Perception", "id": "ZJmyjVEy4UE_3", "video_path": "ZJmyjVEy4UE.mp4",
         "subtitle_path": "ZJmyjVEy4UE_en.json", "duration_group": 3600, "starting_timestamp_for_subtitles": 12.5,
         "duration": 2985.1, "view_count": 900}
      ]
      """;

  @Test
  void shouldMapEveryFieldOfTheValidationSet(@TempDir final Path dir) throws IOException {
    write(dir, "lvb_val.json", VAL);
    final List<EvalItem> items = new LongVideoBenchReader().read(dir);
    assertEquals(List.of(
        new EvalItem("lvb-86CxyhFV9MI_0", abs(dir, "videos/86CxyhFV9MI.mp4"),
            "In the video, which subtitles appear at the same time as the man with black hair?",
            List.of("promisc has come to an end, run away", "captain plays, the ball", "the game is over",
                "welcome back"), 1, "captain plays, the ball", null, null, null, "TOS",
            Map.of("benchmark", "longvideobench", "video_id", "86CxyhFV9MI", "duration_group", "600",
                "duration", "527.58", "topic_category", "NP-News-Programs", "level", "L2-Relation",
                "position", "[535,811]", "subtitle_path", "86CxyhFV9MI_en.json",
                "starting_timestamp_for_subtitles", "0")),
        new EvalItem("lvb-ZJmyjVEy4UE_3", abs(dir, "videos/ZJmyjVEy4UE.mp4"),
            "What does the woman in the red coat pick up after leaving the shop?",
            List.of("an umbrella", "a bag", "a cup", "a phone", "a dog leash"), 4, "a dog leash", null, null, null,
            "E2O", Map.of("benchmark", "longvideobench", "video_id", "ZJmyjVEy4UE", "duration_group", "3600",
                "duration", "2985.1", "topic_category", "LT-Travel", "level", "L1-Perception", "position", "[12043]",
                "subtitle_path", "ZJmyjVEy4UE_en.json", "starting_timestamp_for_subtitles", "12.5"))), items);
  }

  @Test
  void shouldFallBackToTheTestSetWithoutAnswers(@TempDir final Path dir) throws IOException {
    write(dir, "lvb_test_wo_gt.json", VAL.replace("\"correct_choice\": 1, ", "").replace("\"correct_choice\": 4, ", ""));
    final List<EvalItem> items = new LongVideoBenchReader().read(dir);
    assertEquals(2, items.size());
    assertEquals(List.of(-1, -1), items.stream().map(EvalItem::answerIndex).toList());
    assertEquals(null, items.get(0).answer());
  }

  @Test
  void shouldRequireTheAnswerInTheValidationSet(@TempDir final Path dir) throws IOException {
    write(dir, "lvb_val.json", VAL.replace("\"correct_choice\": 4, ", ""));
    assertEquals("LongVideoBench lvb_val.json entry 1 (id 'ZJmyjVEy4UE_3'): missing field 'correct_choice'",
        assertThrows(BenchmarkException.class, () -> new LongVideoBenchReader().read(dir)).getMessage());
    write(dir, "lvb_val.json", VAL.replace("\"correct_choice\": 4, ", "\"correct_choice\": 5, "));
    assertEquals("LongVideoBench lvb_val.json entry 1 (id 'ZJmyjVEy4UE_3'): correct_choice 5 but only 5 candidates",
        assertThrows(BenchmarkException.class, () -> new LongVideoBenchReader().read(dir)).getMessage());
  }

  @Test
  void shouldReadTheFileItIsGivenAndNameMissingOnes(@TempDir final Path dir) throws IOException {
    final BenchmarkException none = assertThrows(BenchmarkException.class, () -> new LongVideoBenchReader().read(dir));
    assertTrue(none.getMessage().contains("neither lvb_val.json nor lvb_test_wo_gt.json"), none.getMessage());
    write(dir, "subsets/hour.json", VAL);
    assertEquals("lvb-86CxyhFV9MI_0", new LongVideoBenchReader("subsets/hour.json").read(dir).get(0).id());
    assertTrue(assertThrows(BenchmarkException.class, () -> new LongVideoBenchReader("other.json").read(dir))
        .getMessage().contains("other.json not found"));
  }
}
