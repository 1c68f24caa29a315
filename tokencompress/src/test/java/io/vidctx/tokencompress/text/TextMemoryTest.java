package io.vidctx.tokencompress.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.ocr.TextBox;
import io.vidctx.encoder.ocr.TextToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded text memory: merging re-reads, eviction order, exact round trip, bad state. */
class TextMemoryTest {
  private static final TextBox BOX = new TextBox(10, 10, 200, 40, 0.9f);

  private static TextToken token(final String text, final double start, final double end, final float conf,
      final int readings) {
    return new TextToken(text, (long) (start * 1e6), (long) (end * 1e6), BOX, conf, readings);
  }

  @Test
  void shouldMergeTheSameTextReadAgainWithinTheGap() {
    final TextMemory m = new TextMemory(TextMemoryConfig.DEFAULTS);
    m.add(token("SINTEL", 41, 43, 0.8f, 3));
    m.add(token("SlNTEL", 44, 44, 0.6f, 1));
    m.add(token("sintel!", 45, 47, 0.95f, 3));
    m.add(token("SINTEL", 60, 61, 0.9f, 2));
    m.add(token("---", 62, 63, 0.9f, 2));
    final List<TextToken> t = m.tokens();
    assertEquals(3, t.size(), "exact re-reads within 2 s merge; a misread one stays apart; 15 s later is new: " + t);
    assertEquals(41_000_000L, t.get(0).startMicros());
    assertEquals(47_000_000L, t.get(0).endMicros());
    assertEquals(6, t.get(0).readings());
    assertEquals("SlNTEL", t.get(1).text());
    assertEquals("sintel!", t.get(0).text(), "named by its most confident reading");
    assertEquals(4, m.added(), "the text without letters is ignored");
    assertEquals(60_000_000L, t.get(2).startMicros());
  }

  @Test
  void shouldEvictTheLeastSureShortestLivedTextWhenFull() {
    final TextMemory m = new TextMemory(new TextMemoryConfig(3, 0));
    m.add(token("TITLE", 0, 10, 0.95f, 10));
    m.add(token("llll", 11, 11, 0.55f, 1));
    m.add(token("CREDITS", 20, 30, 0.9f, 8));
    m.add(token("ROOM 12", 40, 42, 0.9f, 3));
    assertEquals(List.of("TITLE", "CREDITS", "ROOM 12"), m.tokens().stream().map(TextToken::text).toList());
    assertEquals(1, m.evicted());
    for (int i = 0; i < 100; i++) {
      m.add(token("noise " + i, 50 + i, 50 + i, 0.5f, 1));
    }
    assertEquals(3, m.size(), "bounded whatever the stream's length");
  }

  @Test
  void shouldRoundTripExactly() throws IOException {
    final TextMemory m = new TextMemory(TextMemoryConfig.DEFAULTS);
    m.add(token("SINTEL", 41, 47, 0.95f, 6));
    m.add(token("Durian Open Movie Project", 50, 52, 0.88f, 2));
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    m.writeTo(new DataOutputStream(bytes));
    final TextMemory back = TextMemory.readFrom(TextMemoryConfig.DEFAULTS,
        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(m.tokens(), back.tokens());
    assertEquals(m.added(), back.added());
    final IOException small = assertThrows(IOException.class, () -> TextMemory.readFrom(new TextMemoryConfig(1, 0),
        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    assertTrue(small.getMessage().contains("capacity"), small.getMessage());
    final byte[] bad = bytes.toByteArray().clone();
    bad[0] = 9;
    assertThrows(IOException.class, () -> TextMemory.readFrom(TextMemoryConfig.DEFAULTS,
        new DataInputStream(new ByteArrayInputStream(bad))));
    assertThrows(IllegalArgumentException.class, () -> new TextMemoryConfig(0, 0));
  }
}
