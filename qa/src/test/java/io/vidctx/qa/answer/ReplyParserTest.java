package io.vidctx.qa.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReplyParserTest {
  private static final List<String> OPTIONS = List.of("a horse", "a cat", "a dog", "a red kite");

  private static void assertChoice(final int expected, final String reply) {
    assertEquals(OptionalInt.of(expected), ReplyParser.parseChoice(reply, OPTIONS), reply);
  }

  private static void assertNoChoice(final String reply) {
    assertEquals(OptionalInt.empty(), ReplyParser.parseChoice(reply, OPTIONS), reply);
  }

  @Test
  void parseChoice_bareAndDecoratedLetters() {
    assertChoice(1, "B");
    assertChoice(1, " B\n");
    assertChoice(1, "(B)");
    assertChoice(1, "B.");
    assertChoice(1, "B:");
    assertChoice(0, "Answer: A");
    assertChoice(3, "The answer is D) because the kite is red");
    assertChoice(2, "(C) a dog");
    assertChoice(2, "**C**");
    assertChoice(2, "Option C.");
  }

  @Test
  void parseChoice_optionTextCaseInsensitive() {
    assertChoice(3, "A Red Kite");
    assertChoice(2, "  a dog\n");
  }

  @Test
  void parseChoice_articleAndPronounAreNotLetters() {
    assertChoice(2, "I think it's C");
    assertChoice(1, "I'm fairly sure: B");
    assertChoice(3, "A bird flies, so D");
    assertNoChoice("A kite is visible");
  }

  @Test
  void parseChoice_lettersInsideWordsAreIgnored() {
    assertChoice(1, "E.g. the cat, so B");
    assertNoChoice("ABC");
    assertNoChoice("an X-ray");
    assertNoChoice("the U.S. flag");
  }

  @Test
  void parseChoice_firstLetterOutOfRangeFails() {
    assertNoChoice("I think it's E");
    assertNoChoice("E");
    assertNoChoice("E, or maybe B");
  }

  @Test
  void parseChoice_lowerCaseAndProseFail() {
    assertNoChoice("b");
    assertNoChoice("maybe");
    assertNoChoice("");
    assertNoChoice("   ");
    assertNoChoice("a cat or a dog");
  }

  @Test
  void parseChoice_countOnlyUsesLetters() {
    assertEquals(OptionalInt.of(25), ReplyParser.parseChoice("Z", 26));
    assertEquals(OptionalInt.empty(), ReplyParser.parseChoice("C", 2));
    assertEquals(OptionalInt.empty(), ReplyParser.parseChoice("a cat", 4));
  }

  @Test
  void parseChoice_reasoningBlockIsSkipped() {
    assertChoice(2, "<think>A is wrong, B is unlikely.</think>\nC");
    assertChoice(2, "A is wrong, B too.</think> C");
    assertNoChoice("<think>A or B, hmm");
  }

  @Test
  void parseOpen_stripsAndRejectsBlank() {
    assertEquals(Optional.of("A cat."), ReplyParser.parseOpen("  A cat.\n"));
    assertEquals(Optional.of("A cat."), ReplyParser.parseOpen("<think>look</think> A cat."));
    assertEquals(Optional.empty(), ReplyParser.parseOpen(" \n\t"));
    assertEquals(Optional.empty(), ReplyParser.parseOpen(""));
  }
}
