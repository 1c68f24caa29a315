package io.vidctx.tokencompress.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.ocr.TextBox;
import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.SyntheticStreams;
import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.VideoMemory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The text channel end to end in tokencompress: text tokens in the compressor's memory (snapshot,
 * versioned bytes, exact resume) and the selector's lexical match fused with visual relevance, on a
 * synthetic memory of ten 20-second scenes with a code card's text at 130-131 s.
 */
class TextSelectionTest {
  private static final TextBox BOX = new TextBox(100, 300, 1180, 420, 0.9f);
  private static final TextToken CODE = new TextToken("CODE 4817", 130_000_000L, 131_000_000L, BOX, 0.97f, 3);
  private static final TextToken WELCOME = new TextToken("WELCOME HOME", 10_000_000L, 30_000_000L, BOX, 0.9f, 20);
  private static final TextToken FOOTER = new TextToken("www.example.org", 60_000_000L, 75_000_000L, BOX, 0.8f, 15);
  private static final List<String> OPTIONS = List.of("1234", "4817", "5555", "9876");
  private static final QueryAwareSelector SELECTOR = new QueryAwareSelector();
  private static VideoMemory memory;

  @BeforeAll
  static void build() {
    final HierarchicalCompressor c = new HierarchicalCompressor(CompressorConfig.DEFAULTS);
    for (final FrameTokens f : SyntheticStreams.stream(5, 400, 40)) {
      c.accept(f);
    }
    c.acceptText(WELCOME);
    c.acceptText(FOOTER);
    c.acceptText(CODE);
    c.flush();
    memory = c.snapshot();
  }

  private static double shareIn(final Selection s, final long from, final long to) {
    final TokenBlock t = s.tokens();
    int in = 0;
    for (int i = 0; i < t.size(); i++) {
      in += t.midPts(i) >= from && t.midPts(i) <= to ? 1 : 0;
    }
    return (double) in / t.size();
  }

  @Test
  void shouldKeepTextTokensInTheMemoryItsBytesAndItsResume() throws IOException {
    assertEquals(List.of(WELCOME, FOOTER, CODE), memory.texts(), "by start time");
    assertEquals(memory.texts(), VideoMemory.readFrom(new DataInputStream(new ByteArrayInputStream(
        memory.toBytes()))).texts());
    // A version-1 memory (before text tokens) still reads, without text.
    final byte[] v2 = memory.withTexts(List.of()).toBytes();
    final byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - 4);
    v1[0] = 1;
    final VideoMemory old = VideoMemory.readFrom(new DataInputStream(new ByteArrayInputStream(v1)));
    assertTrue(old.texts().isEmpty());
    assertEquals(memory.tokenCount(), old.tokenCount());

    final List<FrameTokens> frames = SyntheticStreams.stream(5, 400, 40);
    final HierarchicalCompressor first = new HierarchicalCompressor(CompressorConfig.DEFAULTS);
    frames.subList(0, 200).forEach(first::accept);
    first.acceptText(WELCOME);
    final ByteArrayOutputStream state = new ByteArrayOutputStream();
    first.writeState(new DataOutputStream(state));
    final HierarchicalCompressor resumed = HierarchicalCompressor.restore(CompressorConfig.DEFAULTS,
        new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
    frames.subList(200, 400).forEach(resumed::accept);
    resumed.acceptText(FOOTER);
    resumed.acceptText(CODE);
    resumed.flush();
    assertArrayEquals(memory.toBytes(), resumed.snapshot().toBytes(), "resume with text gives the same memory");
  }

  @Test
  void shouldPointATextOnlyQueryAtTheMomentTheTextWasOnScreen() {
    final Selection s = SELECTOR.select(memory, SelectionQuery.coverage(null, 4096).withPhrases(OPTIONS));
    assertEquals(SelectionStats.Mode.TEXT, s.stats().mode());
    assertEquals(1, s.stats().textMatched());
    final Selection cover = SELECTOR.select(memory, SelectionQuery.coverage(null, 4096));
    assertEquals(SelectionStats.Mode.COVERAGE, cover.stats().mode());
    assertTrue(s.size() < cover.size(), "a peaked text match keeps fewer tokens: " + s.size() + " vs " + cover.size());
    final double atCard = shareIn(s, 129_000_000L, 132_000_000L);
    assertTrue(atCard > 3 * shareIn(cover, 129_000_000L, 132_000_000L),
        "the card's seconds are over-represented: " + atCard);
    assertEquals(10, java.util.Arrays.stream(s.segment()).distinct().count(), "coverage keeps every scene");
    final TextHit hit = s.texts().stream().filter(TextHit::matched).findFirst().orElseThrow();
    assertEquals(CODE, hit.token());
    assertEquals(1f, hit.score(), 1e-6);
    assertTrue(s.texts().size() <= SelectorConfig.DEFAULTS.maxTextTokens());
  }

  @Test
  void shouldIgnoreTextOutsideTheRangeAndUnmatchedPhrases() {
    final Selection early = SELECTOR.select(memory,
        new SelectionQuery(new float[0][], new TimeRange(0, 100_000_000L), 4096, OPTIONS));
    assertEquals(SelectionStats.Mode.COVERAGE, early.stats().mode(), "the code lies outside the range");
    assertTrue(early.texts().stream().noneMatch(TextHit::matched));
    assertTrue(early.texts().stream().allMatch(h -> h.token().startMicros() < 100_000_000L), early.texts().toString());
    final Selection none = SELECTOR.select(memory, SelectionQuery.coverage(null, 4096).withPhrases(List.of("zebra")));
    assertEquals(SelectionStats.Mode.COVERAGE, none.stats().mode());
    assertFalse(none.texts().isEmpty(), "the text on screen during the selected tokens is still carried");
  }

  @Test
  void shouldFuseTextWithVisualRelevance() {
    // A visual query for scene 2 (40-60 s) plus the options: both moments are kept.
    int scene2 = -1;
    final TokenBlock t = memory.tokens();
    for (int i = 0; i < t.size() && scene2 < 0; i++) {
      if (t.midPts(i) > 45_000_000L) {
        scene2 = i;
      }
    }
    final float[] v = new float[memory.dim()];
    t.copyEmbedding(scene2, v, 0);
    final Selection visual = SELECTOR.select(memory, new SelectionQuery(new float[][] {v}, null, 200));
    final Selection fused = SELECTOR.select(memory, new SelectionQuery(new float[][] {v}, null, 200, OPTIONS));
    assertEquals(SelectionStats.Mode.QUERY, fused.stats().mode());
    final double visualScene = shareIn(visual, 40_000_000L, 60_000_000L);
    assertTrue(shareIn(fused, 40_000_000L, 60_000_000L) >= 0.75 * visualScene, "the visual match stays");
    assertTrue(shareIn(fused, 129_000_000L, 132_000_000L) > shareIn(visual, 129_000_000L, 132_000_000L),
        "the text match adds the card's moment");
  }
}
