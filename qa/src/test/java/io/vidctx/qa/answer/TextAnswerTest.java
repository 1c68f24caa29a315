package io.vidctx.qa.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.encoder.ocr.TextBox;
import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.qa.Answer;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.QaFixtures;
import io.vidctx.qa.QueryKind;
import io.vidctx.qa.Question;
import io.vidctx.qa.UnanswerableException;
import io.vidctx.qa.VideoContext;
import io.vidctx.qa.query.QueryPhrases;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.select.SelectionStats;
import io.vidctx.tokencompress.select.TextHit;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Questions answered from on-screen text in the context (the built-in answerer without a text tower),
 * and the text lines an external model is sent.
 */
class TextAnswerTest {
  private static final TextBox BOX = new TextBox(100, 300, 1180, 420, 0.9f);
  /** Six 10-second scenes; the code card is on screen at 31-32 s, a title at 2-8 s. */
  private static final TextToken TITLE = new TextToken("SINTEL", 2_000_000L, 8_000_000L, BOX, 0.96f, 7);
  private static final TextToken CODE = new TextToken("CODE 4817", 31_000_000L, 32_000_000L, BOX, 0.97f, 3);
  private static final TextToken CREDIT = new TextToken("Directed by Colin Levy", 45_000_000L, 50_000_000L, BOX,
      0.9f, 6);
  private static final Question CARD = Question.choice("What is written on the card shown in the video?",
      List.of("1234", "4817", "5555", "9876"));

  private static VideoMemory memory() {
    return QaFixtures.memory(QaFixtures.scenes(9, QaFixtures.randomBases(9, 6, 16), 20))
        .withTexts(List.of(TITLE, CODE, CREDIT));
  }

  @Test
  void shouldChooseTheOptionTheOnScreenTextSaysWithItsTime() {
    final VideoContext ctx = QaFixtures.context(memory(), CARD, QueryKind.COVERAGE, 4096);
    assertEquals(SelectionStats.Mode.TEXT, ctx.selection().stats().mode());
    assertTrue(ctx.notes().stream().anyMatch(n -> n.contains("on-screen text")), ctx.notes().toString());
    final Answer a = new EmbeddingChoiceAnswerer(null).answer(CARD, ctx);
    assertEquals(1, a.choice(), a.toString());
    assertEquals("4817", a.text());
    assertTrue(a.confidence() > 0.9, "a full match against none: " + a.confidence());
    assertEquals(List.of(new EvidenceRange(31_000_000L, 32_000_000L, 1.0)), a.evidence());
  }

  @Test
  void shouldNotGuessWhenTheTextDoesNotTellTheOptionsApart() {
    final Question alike = Question.choice("Which one?", List.of("4817", "CODE 4817", "1234"));
    final Answer tie = new EmbeddingChoiceAnswerer(null).answer(alike, QaFixtures.context(memory(), alike,
        QueryKind.COVERAGE, 4096));
    assertEquals(-1, tie.choice(), "two options match the same line fully: no choice");
    assertTrue(tie.text().contains("does not settle"), tie.text());
    final Question absent = Question.choice("Which code?", List.of("1111", "2222"));
    final Answer none = new EmbeddingChoiceAnswerer(null).answer(absent, QaFixtures.context(memory(), absent,
        QueryKind.COVERAGE, 4096));
    assertEquals(-1, none.choice());
    assertTrue(none.text().contains("best A scored 0."), none.text());
    // Text read but none found: still an answer (a miss); never read and no text tower: unanswerable.
    final VideoContext blank = QaFixtures.context(memory().withTexts(List.of()), absent, QueryKind.COVERAGE, 4096);
    assertEquals(-1, new EmbeddingChoiceAnswerer(null).answer(absent, blank.withTextRead(true)).choice());
    final UnanswerableException e = assertThrows(UnanswerableException.class,
        () -> new EmbeddingChoiceAnswerer(null).answer(absent, blank));
    assertTrue(e.getMessage().contains("text tower"), e.getMessage());
  }

  @Test
  void shouldPickTheNameShownWithWhatTheQuestionAsksAbout() {
    // Credits: every option is on screen, each beside its role.
    final List<TextToken> credits = List.of(
        new TextToken("ANIMATION + DESIGN", 10_000_000L, 11_000_000L, new TextBox(100, 100, 400, 130, 0.9f), 0.95f, 2),
        new TextToken("Ryan Junell", 10_000_000L, 11_000_000L, new TextBox(120, 140, 380, 170, 0.9f), 0.95f, 2),
        new TextToken("SCRIPT", 40_000_000L, 41_000_000L, new TextBox(100, 100, 300, 130, 0.9f), 0.95f, 2),
        new TextToken("Eric Steuer", 40_000_000L, 41_000_000L, new TextBox(110, 140, 370, 170, 0.9f), 0.95f, 2),
        new TextToken("NARRATOR", 50_000_000L, 51_000_000L, new TextBox(100, 100, 300, 130, 0.9f), 0.95f, 2),
        new TextToken("Sara Kraft", 50_000_000L, 51_000_000L, new TextBox(110, 140, 370, 170, 0.9f), 0.95f, 2));
    final VideoMemory m = memory().withTexts(credits);
    final Question q = Question.choice("Who wrote the script?", List.of("Ryan Junell", "Eric Steuer", "Sara Kraft"));
    final Answer a = new EmbeddingChoiceAnswerer(null).answer(q, QaFixtures.context(m, q, QueryKind.COVERAGE, 4096));
    assertEquals(1, a.choice(), a.toString());
    assertEquals(1, a.evidence().size(), "one screen, one range: " + a.evidence());
    assertEquals(40_000_000L, a.evidence().get(0).startMicros());
    assertEquals(41_000_000L, a.evidence().get(0).endMicros());
    final Question narrator = Question.choice("Who is the narrator?", q.choices());
    assertEquals(2, new EmbeddingChoiceAnswerer(null).answer(narrator, QaFixtures.context(m, narrator,
        QueryKind.COVERAGE, 4096)).choice());
  }

  @Test
  void shouldAnswerAnOpenQuestionWithTheMatchedTextAndItsTime() {
    final Question q = Question.open("When does the title 'Sintel' appear?");
    assertTrue(QueryPhrases.of(q).containsAll(List.of("Sintel", "title")), QueryPhrases.of(q).toString());
    final Answer a = new EmbeddingChoiceAnswerer(null).answer(q, QaFixtures.context(memory(), q, QueryKind.COVERAGE,
        4096));
    assertEquals("SINTEL", a.text());
    assertEquals(5_000_000L, a.atMicros());
    final Question director = Question.open("Who directed it? Colin Levy?");
    assertEquals("Directed by Colin Levy", new EmbeddingChoiceAnswerer(null).answer(director,
        QaFixtures.context(memory(), director, QueryKind.COVERAGE, 4096)).text());
    final Question nothing = Question.open("What happens next?");
    final UnanswerableException e = assertThrows(UnanswerableException.class, () -> new EmbeddingChoiceAnswerer(null)
        .answer(nothing, QaFixtures.context(memory().withTexts(List.of()), nothing, QueryKind.COVERAGE, 4096)));
    assertTrue(e.getMessage().contains("--ocr"), e.getMessage());
  }

  @Test
  void shouldSendTheOnScreenTextToAnExternalModel() throws IOException {
    final VideoContext ctx = QaFixtures.context(memory(), CARD, QueryKind.COVERAGE, 4096);
    final List<TextHit> texts = ctx.texts();
    assertTrue(texts.stream().anyMatch(h -> h.matched() && h.token().equals(CODE)), texts.toString());
    try (ChatCompletionsServer server = new ChatCompletionsServer();
        OpenAiCompatibleAnswerer answerer = new OpenAiCompatibleAnswerer(
            OpenAiConfig.of(server.baseUrl(), "m").withRetryBackoff(Duration.ofMillis(1)))) {
      server.then(ChatCompletionsServer.Reply.content("B"));
      final Answer a = answerer.answer(CARD, List.of(), texts, 0, 60_000_000L);
      assertEquals(1, a.choice());
      final JsonNode parts = new ObjectMapper().readTree(server.requests().get(0).body()).path("messages").path(1)
          .path("content");
      final String sent = parts.path(parts.size() - 2).path("text").asText();
      assertTrue(sent.startsWith("On-screen text read by OCR"), sent);
      assertTrue(sent.contains("[0:00:31.000-0:00:32.000] CODE 4817"), sent);
      assertFalse(sent.contains("Which"), "the question comes after the text");
    }
  }
}
