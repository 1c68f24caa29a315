package io.vidctx.qa.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.onnx.OnnxTextEncoder;
import io.vidctx.encoder.testing.ClipTextModels;
import io.vidctx.qa.Answer;
import io.vidctx.qa.AnswerException;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.QaFixtures;
import io.vidctx.qa.QueryKind;
import io.vidctx.qa.Question;
import io.vidctx.qa.VideoContext;
import io.vidctx.tokencompress.VideoMemory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in answerer with a generated CLIP-shaped text tower (real ONNX Runtime session, the shared
 * CLIP vocabulary): scenes are built to show what an option's text embeds to, so the right option is
 * known. Grounding by query vectors, and the errors of what it cannot answer.
 */
class EmbeddingChoiceAnswererTest {
  private static final List<String> OPTIONS = List.of("a red car on a bridge", "two dogs playing in snow",
      "a man reading a newspaper", "fireworks over the harbour");
  private static OnnxTextEncoder text;
  private static float[][] optionEmbeddings;

  @BeforeAll
  static void openTower() {
    final ClipTextModels.Tower tower = ClipTextModels.builder().embedDim(16).seed(7).write("qa-choice-tower");
    text = OnnxTextEncoder.open(tower.folder(), RuntimeOptions.DEFAULTS.withIntraOpThreads(1));
    optionEmbeddings = text.embed(OPTIONS);
  }

  @AfterAll
  static void close() {
    text.close();
  }

  /** Six scenes: random, random, option 1's content, random, option 3's content, random. */
  private static VideoMemory memory() {
    final List<float[]> bases = new ArrayList<>(QaFixtures.randomBases(3, 6, 16));
    bases.set(2, optionEmbeddings[1]);
    bases.set(4, optionEmbeddings[3]);
    return QaFixtures.memory(QaFixtures.scenes(4, bases, 20));
  }

  private static boolean inScene(final EvidenceRange e, final int scene) {
    final long start = scene * 20 * QaFixtures.FRAME_MICROS;
    final long end = (scene + 1) * 20 * QaFixtures.FRAME_MICROS;
    return e.startMicros() >= start && e.endMicros() < end;
  }

  @Test
  void shouldPickTheOptionTheVideoShowsWithItsEvidence() {
    final VideoMemory memory = memory();
    final Question q = Question.choice("What do the dogs do?", OPTIONS);
    // The question's own embedding as query; a coverage-only context must answer the same.
    for (final VideoContext ctx : List.of(
        QaFixtures.context(memory, q, QueryKind.TEXT, 4096, text.embed(q.text())),
        QaFixtures.context(memory, q, QueryKind.COVERAGE, 4096))) {
      final Answer a = new EmbeddingChoiceAnswerer(text).answer(q, ctx);
      assertEquals(Answer.Status.ANSWERED, a.status());
      // Both option 1 and option 3 appear; the answer is one of them, with evidence in its own scene.
      assertTrue(a.choice() == 1 || a.choice() == 3, "chose " + a.letter() + " " + a.text());
      assertEquals(OPTIONS.get(a.choice()), a.text());
      assertTrue(a.confidence() > 0.25 && a.confidence() <= 1, "confidence " + a.confidence());
      final int scene = a.choice() == 1 ? 2 : 4;
      assertTrue(!a.evidence().isEmpty());
      for (final EvidenceRange e : a.evidence()) {
        assertTrue(inScene(e, scene), "evidence " + e + " in scene " + scene);
      }
    }
    // Only option 1's scene in range: it must win.
    final Question ranged = q.withRange(new io.vidctx.tokencompress.select.TimeRange(20_000_000, 29_000_000));
    final Answer a = new EmbeddingChoiceAnswerer(text).answer(ranged,
        QaFixtures.context(memory, ranged, QueryKind.COVERAGE, 4096));
    assertEquals(1, a.choice(), a.toString());
    assertEquals("B", a.letter());
  }

  @Test
  void shouldGroundAQueryInTime() {
    final VideoMemory memory = memory();
    final Question q = Question.open("When are the fireworks?");
    final Answer a = new EmbeddingChoiceAnswerer(null).answer(q,
        QaFixtures.context(memory, q, QueryKind.TEXT, 4096, optionEmbeddings[3]));
    assertEquals(-1, a.choice());
    assertTrue(a.text().startsWith("at 0:00:4") || a.text().startsWith("at 0:00:5"), a.text());
    for (final EvidenceRange e : a.evidence()) {
      assertTrue(inScene(e, 4), "evidence " + e);
    }
    assertTrue(a.confidence() > 0.5, "confidence " + a.confidence());
  }

  @Test
  void shouldSayWhatItCannotAnswer() {
    final VideoMemory memory = memory();
    final Question choice = Question.choice("Which?", OPTIONS);
    final AnswerException noTower = assertThrows(AnswerException.class, () -> new EmbeddingChoiceAnswerer(null)
        .answer(choice, QaFixtures.context(memory, choice, QueryKind.COVERAGE, 100)));
    assertTrue(noTower.getMessage().contains("text tower"), noTower.getMessage());
    final Question open = Question.open("What happens?");
    final AnswerException noQuery = assertThrows(AnswerException.class, () -> new EmbeddingChoiceAnswerer(text)
        .answer(open, QaFixtures.context(memory, open, QueryKind.COVERAGE, 100)));
    assertTrue(noQuery.getMessage().contains("--vlm"), noQuery.getMessage());
    final VideoMemory wide = QaFixtures.memory(QaFixtures.scenes(5, QaFixtures.randomBases(6, 2, 24), 10));
    final AnswerException width = assertThrows(AnswerException.class, () -> new EmbeddingChoiceAnswerer(text)
        .answer(choice, QaFixtures.context(wide, choice, QueryKind.COVERAGE, 100)));
    assertTrue(width.getMessage().contains("16-d") && width.getMessage().contains("24-d"), width.getMessage());
  }
}
