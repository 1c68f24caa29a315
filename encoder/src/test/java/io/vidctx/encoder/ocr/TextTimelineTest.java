package io.vidctx.encoder.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTimelineTest {
  private static final TextBox BOX = new TextBox(10, 10, 100, 30, 0.9f);

  private static TextLine line(final String text, final float confidence) {
    return new TextLine(text, confidence, BOX);
  }

  @Test
  void shouldMergeTheSameTextInConsecutiveFramesIntoOneSpan() {
    final TextTimeline t = new TextTimeline();
    t.accept(1_000_000, List.of(line("THE RULES", 0.8f)));
    t.accept(2_000_000, List.of(line("THERULES", 0.95f), line("COPYRIGHT", 0.9f)));
    t.accept(3_000_000, List.of(line("the rules.", 0.7f)));
    t.accept(4_000_000, List.of());
    t.accept(5_000_000, List.of(line("THE RULES", 0.9f)));
    final List<TextToken> tokens = t.tokens();
    assertEquals(3, tokens.size(), tokens.toString());
    final TextToken first = tokens.get(0);
    assertEquals(1_000_000, first.startMicros());
    assertEquals(3_000_000, first.endMicros());
    assertEquals(3, first.readings());
    assertEquals("THERULES", first.text(), "the best reading names the token");
    assertEquals(0.95f, first.confidence(), 1e-6);
    assertEquals(new TextToken("COPYRIGHT", 2_000_000, 2_000_000, BOX, 0.9f, 1), tokens.get(1));
    assertEquals(5_000_000, tokens.get(2).startMicros(), "gone for a frame: a new token");
    assertThrows(IllegalArgumentException.class, () -> t.accept(4_500_000, List.of()));
  }

  @Test
  void shouldKeepAFlickeringReadingInPlaceInOneToken() {
    final TextTimeline t = new TextTimeline();
    t.accept(41_000_000, List.of(line("SINTEL", 0.95f)));
    t.accept(42_000_000, List.of(line("SInTEL", 0.79f)));
    t.accept(43_000_000, List.of(line("\u222bInTEL", 0.75f)));
    t.accept(44_000_000, List.of(line("SINTEL", 0.78f)));
    // Elsewhere on screen, a similar word is another token.
    t.accept(45_000_000, List.of(line("SINTEL", 0.8f), new TextLine("SINTEK", 0.9f, new TextBox(500, 300, 600, 330, 1))));
    final List<TextToken> tokens = t.tokens();
    assertEquals(2, tokens.size(), tokens.toString());
    assertEquals(new TextToken("SINTEL", 41_000_000, 45_000_000, BOX, 0.95f, 5), tokens.get(0));
    assertTrue(TextTimeline.similar("sintel", "intel"));
    assertFalse(TextTimeline.similar("sintel", "sunset"));
    assertFalse(TextTimeline.similar("ab", "xy"));
  }

  @Test
  void shouldHandOutClosedTokensOnceWhenDrained() {
    final TextTimeline t = new TextTimeline();
    final TextBox other = new TextBox(200, 100, 300, 130, 0.9f);
    t.accept(1_000_000, List.of(line("TITLE", 0.9f)));
    t.accept(2_000_000, List.of(new TextLine("CAPTION", 0.8f, other)));
    t.accept(3_000_000, List.of(new TextLine("CAPTION", 0.8f, other), new TextLine("LATER", 0.7f, BOX)));
    assertEquals(List.of(new TextToken("TITLE", 1_000_000, 1_000_000, BOX, 0.9f, 1)), t.drainClosed());
    assertEquals(List.of(), t.drainClosed(), "drained once");
    assertEquals(List.of("CAPTION", "LATER"), t.tokens().stream().map(TextToken::text).toList(),
        "tokens() keeps only what was not drained");
    t.accept(4_000_000, List.of(new TextLine("LATER", 0.7f, BOX)));
    final List<TextToken> flushed = t.flush();
    assertEquals(List.of(new TextToken("CAPTION", 2_000_000, 3_000_000, other, 0.8f, 2),
        new TextToken("LATER", 3_000_000, 4_000_000, BOX, 0.7f, 2)), flushed, "start-time order");
    assertTrue(t.tokens().isEmpty());
    assertEquals(List.of(), t.flush());
    t.accept(5_000_000, List.of(line("LATER", 0.7f)));
    assertEquals(5_000_000, t.flush().get(0).startMicros(), "after a flush, text opens a new token");
  }

  @Test
  void shouldIgnoreReadingsWithoutLettersOrDigits() {
    final TextTimeline t = new TextTimeline();
    t.accept(0, List.of(line("...", 0.9f), line("-", 0.9f)));
    assertTrue(t.tokens().isEmpty());
    assertEquals("abc12", TextNormalizer.compact("A-b C.1 2!"));
  }

  @Test
  void shouldReadAFrameAgainOnlyWhenItChanged() {
    // Change alone: no cut threshold a mean difference can reach, no gap.
    final OcrSchedule schedule = new OcrSchedule(new OcrSchedule.Config(4, 256, 0));
    final long[] pts = {0};
    final java.util.function.Predicate<byte[]> c = rgb -> schedule.due(pts[0]++, Thumbnail.of(320, 180, rgb));
    final byte[] grey = new byte[320 * 180 * 3];
    java.util.Arrays.fill(grey, (byte) 100);
    assertTrue(c.test(grey), "the first frame is always read");
    final byte[] noisy = grey.clone();
    for (int i = 0; i < noisy.length; i += 97) {
      noisy[i] = (byte) 103;
    }
    assertFalse(c.test(noisy), "codec-like noise is not a change");
    final byte[] text = grey.clone();
    for (int y = 60; y < 120; y++) {
      for (int x = 0; x < 320 * 3; x++) {
        text[y * 320 * 3 + x] = (byte) 255;
      }
    }
    assertTrue(c.test(text), "a bright band is");
    assertFalse(c.test(text.clone()));
    // A small bright word in a corner barely moves the frame's mean, but its tile changes a lot.
    final byte[] word = text.clone();
    for (int y = 10; y < 22; y++) {
      for (int x = 10 * 3; x < 50 * 3; x++) {
        word[y * 320 * 3 + x] = (byte) 255;
      }
    }
    assertTrue(c.test(word), "a small word appearing is a change");
  }
}
