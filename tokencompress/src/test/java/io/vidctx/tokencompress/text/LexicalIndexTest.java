package io.vidctx.tokencompress.text;

import io.vidctx.encoder.ocr.TextNormalizer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Normalisation and n-gram matching: case, accents, spacing, OCR misreadings, look-alike options. */
class LexicalIndexTest {
  private static final List<String> TEXTS = List.of("SINTEL", "Durian Open Movie Project", "CODE 4817",
      "Executive producer Ton Roosendaal", "Café crème");

  @Test
  void shouldNormaliseCaseAccentsAndPunctuation() {
    assertEquals("cafe creme brulee 2", TextNormalizer.words("  Café  CRÈME-brûlée! #2 "));
    assertEquals("cafecremebrulee2", TextNormalizer.compact("Café CRÈME-brûlée! #2"));
    assertEquals("", TextNormalizer.words("!!! ---"));
  }

  @Test
  void shouldScoreAPhraseFoundInALineAsAFullMatch() {
    final LexicalIndex index = new LexicalIndex(TEXTS);
    assertEquals(1.0, index.score("sintel", 0), 1e-9);
    assertEquals(1.0, index.score("4817", 2), 1e-9, "a code inside a longer line");
    assertEquals(1.0, index.score("OPEN MOVIE", 1), 1e-9);
    assertEquals(1.0, index.score("cafe creme", 4), 1e-9, "accents ignored");
    final double extra = index.score("THEOPEN movie", 1);
    assertTrue(extra > 0.5 && extra < 1, "spacing ignored, a word the line lacks costs: " + extra);
  }

  @Test
  void shouldTolerateAMisreadCharacterButNotALookAlikeOption() {
    final LexicalIndex index = new LexicalIndex(TEXTS);
    final double misread = index.score("SlNTEL", 0);
    assertTrue(misread >= LexicalIndex.DEFAULT_MATCH, "one misread letter still matches: " + misread);
    final double other = index.score("4871", 2);
    assertTrue(other < LexicalIndex.DEFAULT_MATCH, "another code with the same digits does not: " + other);
    assertTrue(index.score("banana", 3) < 0.3, "unrelated word: " + index.score("banana", 3));
    assertEquals(0, index.score("!!!", 0), "no letters, no score");
  }

  @Test
  void shouldReportTheBestTextAndPhrase() {
    final LexicalIndex index = new LexicalIndex(TEXTS);
    final LexicalIndex.Scores s = index.score(List.of("1234", "4817", "roosendaal"));
    assertEquals(2, s.best(), "full matches tie; the earlier text wins");
    assertEquals(1, s.phrase()[2], "the code matched through phrase 1");
    assertEquals(2, s.phrase()[3]);
    assertEquals(1f, s.score()[2], 1e-6);
    assertEquals(-1, new LexicalIndex(TEXTS).score(List.of("zzzzqqq")).best(), "nothing scored");
    assertEquals(0, new LexicalIndex(List.of()).score(List.of("a")).score().length);
  }

  @Test
  void shouldWeighGramsEveryLineSharesLess() {
    final LexicalIndex index = new LexicalIndex(List.of("the cat", "the dog", "the bird", "the fish", "a mouse"));
    assertTrue(index.idf("th") < index.idf("ca"), "a gram in four lines weighs less than one in one line");
    assertTrue(index.score("the mouse", 4) > index.score("the mouse", 0),
        "the distinctive word decides: " + index.score("the mouse", 4) + " vs " + index.score("the mouse", 0));
  }
}
