package io.vidctx.qa.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.qa.Answer;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.eval.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringTest {

  private static final NeedleTruth NEEDLE = new NeedleTruth("cat", NeedleTruth.Kind.PHOTO, "cat.png", 0.5, 2_000_000,
      10_000_000, 11_000_000, 20_000_000);

  private static Answer choice(final int c) {
    return new Answer(Answer.Status.ANSWERED, "x", c, 0.9, List.of(), "t", null, 1);
  }

  private static Answer at(final long micros) {
    return new Answer(Answer.Status.ANSWERED, "t", -1, 0.9, List.of(new EvidenceRange(micros, micros, 1)), "t", null, 1,
        micros);
  }

  @Test
  void shouldScoreMultipleChoiceByTheChosenOption() {
    final EvalItem item = EvalItem.choice("q", "v.mp4", "What?", List.of("a", "b", "c"), 1);
    assertEquals(Outcome.CORRECT, Scoring.outcome(item, choice(1)));
    assertEquals(Outcome.WRONG, Scoring.outcome(item, choice(2)));
    final Answer garbled = new Answer(Answer.Status.PARSE_FAILURE, "I think", -1, Double.NaN, List.of(), "vlm",
        "I think", 1);
    assertEquals(Outcome.PARSE_FAILURE, Scoring.outcome(item, garbled));
    assertEquals(Outcome.UNSCORED, Scoring.outcome(EvalItem.choice("h", "v", "Q", List.of("a", "b"), -1), choice(0)));
  }

  @Test
  void shouldScoreANeedleByTheAnswerTimeInsideItsInterval() {
    final EvalItem item = new EvalItem("n", "h.haystack.json", "When?", List.of(), -1, null, "q.jpg", null, NEEDLE,
        "niah-photo", Map.of());
    assertEquals(Outcome.CORRECT, Scoring.outcome(item, at(10_000_000)));
    assertEquals(Outcome.CORRECT, Scoring.outcome(item, at(11_000_000)));
    assertEquals(Outcome.WRONG, Scoring.outcome(item, at(11_000_001)));
    assertEquals(Boolean.TRUE, Scoring.grounded(item, at(10_500_000)));
    assertEquals(Boolean.FALSE, Scoring.grounded(item, at(9_000_000)));
    // A multiple-choice answer's grounding is its strongest evidence.
    final Answer mc = new Answer(Answer.Status.ANSWERED, "a", 0, 0.5, List.of(new EvidenceRange(0, 1_000_000, 0.1),
        new EvidenceRange(10_200_000, 10_400_000, 0.9)), "t", null, 1);
    assertEquals(Boolean.TRUE, Scoring.grounded(item.withQueryImage(null), mc));
    assertNull(Scoring.grounded(EvalItem.choice("q", "v", "Q", List.of("a", "b"), 0), mc));
  }

  @Test
  void shouldMatchOpenAnswersAfterNormalising() {
    assertEquals(Scoring.normalise("(B) The  Café."), Scoring.normalise("b the cafe"));
    assertFalse(Scoring.normalise("cat").equals(Scoring.normalise("cats")));
    final EvalItem open = new EvalItem("o", "v", "Who?", List.of(), -1, "Émile Zola", null, null, null, null, Map.of());
    assertEquals(Outcome.CORRECT, Scoring.outcome(open,
        new Answer(Answer.Status.ANSWERED, "emile zola!", -1, Double.NaN, List.of(), "t", null, 1)));
    assertTrue(Scoring.outcome(open, new Answer(Answer.Status.ANSWERED, "Zola", -1, Double.NaN, List.of(), "t", null,
        1)) == Outcome.WRONG);
  }
}
