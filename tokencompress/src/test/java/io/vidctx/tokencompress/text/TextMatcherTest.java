package io.vidctx.tokencompress.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.ocr.TextBox;
import io.vidctx.encoder.ocr.TextToken;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Phrases split over several boxes of one screen, reading order, and tokens alone on screen. */
class TextMatcherTest {

  private static TextToken box(final String text, final int x0, final int y0, final long start, final long end) {
    return new TextToken(text, start, end, new TextBox(x0, y0, x0 + 20 * text.length(), y0 + 40, 0.9f), 0.95f, 2);
  }

  @Test
  void shouldFindAPhraseTheDetectorCutIntoBoxes() {
    // "RED SOUTH 90" read as three boxes on one line (their tops a few pixels apart), plus a caption
    // under it and text on another screen.
    final List<TextToken> tokens = List.of(box("SOUTH", 300, 308, 10, 12), box("90", 600, 311, 10, 12),
        box("RED", 100, 310, 10, 12), box("room 4", 100, 400, 10, 12), box("RED SEA", 100, 300, 50, 60));
    final TextMatcher m = new TextMatcher(tokens);
    assertEquals(1.0, m.score("RED SOUTH 90", 0), 1e-9, "through its screen");
    assertEquals(1.0, m.score("red south 90 room 4", 2), 1e-9, "reading order: line by line, left to right");
    assertTrue(m.score("RED SOUTH 90", 4) < 0.5, "another screen: " + m.score("RED SOUTH 90", 4));
    assertEquals(1.0, m.score("red sea", 4), 1e-9, "alone on its screen: its own text");
    final float[] all = m.score(List.of("MAPLE MAPLE 88", "RED SOUTH 90"));
    for (int i = 0; i < 4; i++) {
      assertEquals(1f, all[i], 1e-6);
    }
    assertEquals(List.of("RED", "SOUTH", "90", "room 4"), TextMatcher.readingOrder(tokens.subList(0, 4)).stream()
        .map(TextToken::text).toList());
  }
}
