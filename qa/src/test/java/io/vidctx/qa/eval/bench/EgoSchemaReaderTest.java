package io.vidctx.qa.eval.bench;

import static io.vidctx.qa.eval.bench.BenchFixtures.abs;
import static io.vidctx.qa.eval.bench.BenchFixtures.touch;
import static io.vidctx.qa.eval.bench.BenchFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.qa.eval.EvalItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EgoSchemaReaderTest {
  private static final String UID1 = "0074f737-11cb-497d-8d07-77c3a8127391";
  private static final String UID2 = "00b9a0de-c59e-49cb-a127-6081e2fb8c8e";

  private static final String QUESTIONS = """
      [
        {"q_uid": "%s", "google_drive_id": "1Rn9SDC0jdJYTMUEuNM7VxLnN3tvD8hOW",
         "question": " Taking into account all the actions performed by c, what can you deduce about the primary objective and focus within the video content? ",
         "option 0": "C is cooking.", "option 1": "C is doing laundry.", "option 2": "C is cleaning the kitchen.",
         "option 3": "C is cleaning dishes.", "option 4": "C is cleaning the bathroom."},
        {"q_uid": "%s", "google_drive_id": "1ZFL_XYtj-2-ZK3-lJpcjvfwjcaN-Fqxb",
         "question": "What is the overarching theme of c's interactions with the dough?",
         "option 0": "Kneading", "option 1": "Shaping", "option 2": "Baking", "option 3": "Selling",
         "option 4": "Tasting"}
      ]
      """.formatted(UID1, UID2);

  @Test
  void shouldMapEveryFieldAndLeaveUnpublishedAnswersUnscored(@TempDir final Path dir) throws IOException {
    write(dir, "questions.json", QUESTIONS);
    write(dir, "subset_answers.json", "{\"" + UID1 + "\": 3}");
    touch(dir, "good_clips_git/" + UID2 + ".mp4");

    final List<EvalItem> items = new EgoSchemaReader().read(dir);

    assertEquals(List.of(
        new EvalItem("egoschema-" + UID1, abs(dir, "videos/" + UID1 + ".mp4"),
            "Taking into account all the actions performed by c, what can you deduce about the primary objective and "
                + "focus within the video content?",
            List.of("C is cooking.", "C is doing laundry.", "C is cleaning the kitchen.", "C is cleaning dishes.",
                "C is cleaning the bathroom."), 3, "C is cleaning dishes.", null, null, null, null,
            Map.of("benchmark", "egoschema", "q_uid", UID1, "google_drive_id", "1Rn9SDC0jdJYTMUEuNM7VxLnN3tvD8hOW",
                "subset", "true")),
        new EvalItem("egoschema-" + UID2, abs(dir, "good_clips_git/" + UID2 + ".mp4"),
            "What is the overarching theme of c's interactions with the dough?",
            List.of("Kneading", "Shaping", "Baking", "Selling", "Tasting"), -1, null, null, null, null, null,
            Map.of("benchmark", "egoschema", "q_uid", UID2, "google_drive_id", "1ZFL_XYtj-2-ZK3-lJpcjvfwjcaN-Fqxb",
                "subset", "false"))), items);
    assertTrue(items.get(0).isScorable());
    assertFalse(items.get(1).isScorable());
  }

  @Test
  void shouldReadWithoutTheAnswerFile(@TempDir final Path dir) throws IOException {
    write(dir, "questions.json", QUESTIONS);
    final List<EvalItem> items = new EgoSchemaReader().read(dir);
    assertEquals(2, items.size());
    assertTrue(items.stream().noneMatch(EvalItem::isScorable));
  }

  @Test
  void shouldNameAMissingFileAndTheExpectedLayout(@TempDir final Path dir) {
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new EgoSchemaReader().read(dir));
    assertTrue(e.getMessage().startsWith("EgoSchema: " + dir.toAbsolutePath().resolve("questions.json") + " not found"),
        e.getMessage());
    assertTrue(e.getMessage().contains("videos/<q_uid>.mp4"), e.getMessage());
  }

  @Test
  void shouldNameTheEntryAndFieldThatIsMissing(@TempDir final Path dir) throws IOException {
    write(dir, "questions.json", QUESTIONS.replace("\"option 4\": \"Tasting\"", "\"option_4\": \"Tasting\""));
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new EgoSchemaReader().read(dir));
    assertEquals("EgoSchema questions.json entry 1 (q_uid '" + UID2 + "'): missing field 'option 4'", e.getMessage());
  }

  @Test
  void shouldRejectAnAnswerOutsideTheOptions(@TempDir final Path dir) throws IOException {
    write(dir, "questions.json", QUESTIONS);
    write(dir, "subset_answers.json", "{\"" + UID1 + "\": 5}");
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new EgoSchemaReader().read(dir));
    assertEquals("EgoSchema subset_answers.json q_uid '" + UID1 + "': the answer must be an integer 0-4, was the number 5",
        e.getMessage());
  }

  @Test
  void shouldRejectDuplicateQuestionIds(@TempDir final Path dir) throws IOException {
    write(dir, "questions.json", QUESTIONS.replace(UID2, UID1));
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new EgoSchemaReader().read(dir));
    assertTrue(e.getMessage().contains("entry 1 (q_uid '" + UID1 + "'): duplicate id 'egoschema-" + UID1
        + "' (also EgoSchema questions.json entry 0"), e.getMessage());
  }
}
