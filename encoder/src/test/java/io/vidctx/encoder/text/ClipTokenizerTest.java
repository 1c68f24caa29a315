package io.vidctx.encoder.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.manifest.PadMode;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real CLIP vocabulary against the golden ids of {@code models/clip-bpe-vocab/MODEL.md}. */
class ClipTokenizerTest {
  private static final String VOCAB = "clip-bpe-vocab/bpe_simple_vocab_16e6.txt.gz";
  private static ClipTokenizer tokenizer;

  @BeforeAll
  static void load() {
    final long t0 = System.nanoTime();
    tokenizer = ClipTokenizer.load(SharedData.model(VOCAB));
    System.out.printf("ClipTokenizer load: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
  }

  /** Every row of MODEL.md's "Golden token ids" table, ids up to and including EOT. */
  static Stream<Arguments> golden() {
    return Stream.of(
        Arguments.of("Hello World!", new int[] {49406, 3306, 1002, 256, 49407}),
        Arguments.of("a photo of a cat", new int[] {49406, 320, 1125, 539, 320, 2368, 49407}),
        Arguments.of("a photo of a dog", new int[] {49406, 320, 1125, 539, 320, 1929, 49407}),
        Arguments.of("A photo of 2 dogs.", new int[] {49406, 320, 1125, 539, 273, 3255, 269, 49407}),
        Arguments.of("what color is the car?", new int[] {49406, 768, 3140, 533, 518, 1615, 286, 49407}),
        Arguments.of("a man riding a bicycle at 3:45pm",
            new int[] {49406, 320, 786, 6765, 320, 11652, 536, 274, 281, 275, 276, 990, 49407}),
        Arguments.of("This is a facial photo of a tabby cat",
            new int[] {49406, 589, 533, 320, 11909, 1125, 539, 320, 36145, 2368, 49407}),
        Arguments.of("a red motorcycle standing in a garage",
            new int[] {49406, 320, 736, 10297, 2862, 530, 320, 8474, 49407}),
        Arguments.of("Two people playing tennis on a clay court",
            new int[] {49406, 1237, 1047, 1629, 5298, 525, 320, 8823, 2908, 49407}),
        Arguments.of("   multiple   spaces\tand\nnewlines  ", new int[] {49406, 6470, 9006, 537, 1218, 3418, 49407}),
        Arguments.of("the café's menu", new int[] {49406, 518, 15304, 568, 6225, 49407}));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("golden")
  void encode_goldenIds(final String text, final int[] expected) {
    assertArrayEquals(expected, tokenizer.encode(text));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("golden")
  void encodePadded_goldenIdsPaddedBothWays(final String text, final int[] expected) {
    final int[] zero = tokenizer.encodePadded(text, 77, PadMode.ZERO);
    final int[] eot = tokenizer.encodePadded(text, 77, PadMode.EOT);
    assertEquals(77, zero.length);
    assertEquals(77, eot.length);
    assertArrayEquals(expected, Arrays.copyOf(zero, expected.length));
    assertArrayEquals(expected, Arrays.copyOf(eot, expected.length));
    for (int i = expected.length; i < 77; i++) {
      assertEquals(0, zero[i], "zero padding at " + i);
      assertEquals(ClipTokenizer.EOT, eot[i], "EOT padding at " + i);
    }
  }

  @Test
  void shouldDeriveTheVocabularyIdsOfMODELmd() {
    assertEquals("a", tokenizer.symbol(64), "0x61 is the 65th printable byte");
    assertEquals("a</w>", tokenizer.symbol(320));
    assertEquals("!", tokenizer.symbol(0));
    assertEquals("!</w>", tokenizer.symbol(256));
    // The 68 non-printable bytes follow the 188 printable ones: byte 0x00 is symbol U+0100 at id 188.
    assertEquals("\u0100", tokenizer.symbol(188));
    assertEquals("in", tokenizer.symbol(512), "first merge rule 'i n'");
    assertEquals("<|startoftext|>", tokenizer.symbol(ClipTokenizer.SOT));
    assertEquals("<|endoftext|>", tokenizer.symbol(ClipTokenizer.EOT));
  }

  @Test
  void encodePadded_longTextIsTruncatedToContextEndingInEot() {
    final String longText = String.join(" ", java.util.Collections.nCopies(120, "cat"));
    final int[] all = tokenizer.encode(longText);
    assertEquals(122, all.length, "120 words + SOT + EOT");
    final int[] ids = tokenizer.encodePadded(longText, 77, PadMode.ZERO);
    assertEquals(77, ids.length);
    assertArrayEquals(Arrays.copyOf(all, 76), Arrays.copyOf(ids, 76), "first 76 ids kept");
    assertEquals(ClipTokenizer.EOT, ids[76]);
    final long[] longs = tokenizer.encodePaddedLongs(longText, 77, PadMode.EOT);
    assertEquals(ClipTokenizer.EOT, longs[76]);
    assertEquals(2368, longs[75], "'cat' (2368) right before the forced EOT");
  }

  @Test
  void encodePadded_exactlyFullTextIsNotTruncated() {
    final String text = String.join(" ", java.util.Collections.nCopies(75, "cat"));
    final int[] ids = tokenizer.encodePadded(text, 77, PadMode.ZERO);
    assertArrayEquals(tokenizer.encode(text), ids);
  }

  @Test
  void encodePadded_tooSmallContextIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encodePadded("cat", 1, PadMode.ZERO));
  }

  @Test
  void shouldCollapseWhitespaceAndLowerCase() {
    final int[] plain = tokenizer.encode("a photo of a cat");
    assertArrayEquals(plain, tokenizer.encode("  A\u00a0PHOTO \t\r\n of   a Cat \u2003"));
    assertArrayEquals(new int[] {ClipTokenizer.SOT, ClipTokenizer.EOT}, tokenizer.encode(" \t\n "));
    assertArrayEquals(new int[] {ClipTokenizer.SOT, ClipTokenizer.EOT}, tokenizer.encode(""));
  }

  @Test
  void shouldUnescapeHtmlTwice() {
    assertArrayEquals(tokenizer.encode("cats & dogs"), tokenizer.encode("cats &amp; dogs"));
    assertArrayEquals(tokenizer.encode("cats & dogs"), tokenizer.encode("cats &amp;amp; dogs"), "double-escaped");
    assertArrayEquals(tokenizer.encode("<b>"), tokenizer.encode("&lt;b&gt;"));
    assertArrayEquals(tokenizer.encode("\"quoted\" it's"), tokenizer.encode("&quot;quoted&quot; it&#39;s"));
    assertArrayEquals(tokenizer.encode("it's"), tokenizer.encode("it&#x27;s"));
    assertArrayEquals(tokenizer.encode("caf\u00e9"), tokenizer.encode("caf&#233;"));
    assertArrayEquals(tokenizer.encode("caf\u00e9"), tokenizer.encode("caf&eacute;"));
    assertEquals("&unknownentity;", tokenizer.decode(tokenizer.encode("&unknownentity;")).replace(" ", ""),
        "unknown entities stay as written");
    assertEquals("&ere", tokenizer.decode(tokenizer.encode("&amp;ampere")).replace(" ", ""),
        "the second pass reads '&ampere' as the legacy '&amp' + 'ere', as Python's html.unescape does");
  }

  @Test
  void shouldNormaliseLikeFtfy() {
    final int[] composed = tokenizer.encode("the caf\u00e9's menu");
    assertArrayEquals(composed, tokenizer.encode("the cafe\u0301's menu"), "NFC");
    assertArrayEquals(composed, tokenizer.encode("the caf\u00e9\u2019s menu"), "curly apostrophe");
    assertArrayEquals(tokenizer.encode("\"hi\""), tokenizer.encode("\u201chi\u201d"));
    assertArrayEquals(tokenizer.encode("office 42"), tokenizer.encode("o\ufb03ce \uff14\uff12"), "ligature, full width");
    assertArrayEquals(tokenizer.encode("ab"), tokenizer.encode("a\u0000b\ufeff"), "control characters");
  }

  @Test
  void shouldSplitDigitsAndContractions() {
    final int[] ids = tokenizer.encode("I'll take 2024 photos");
    // 'll is its own piece; digits are one piece each.
    assertEquals("i 'll take 2 0 2 4 photos", decodePieces(ids));
  }

  @Test
  void shouldEncodeSpecialTokensWrittenInTheText() {
    assertArrayEquals(new int[] {49406, 49406, 2368, 49407, 49407}, tokenizer.encode("<|startoftext|>cat<|endoftext|>"));
  }

  @Test
  void decode_roundTripsCleanedText() {
    for (final String text : List.of("a photo of a cat", "the café's menu", "a man riding a bicycle at 3:45pm",
        "émoji 🐱 and 中文 text", "symbols: #$%^&*()[]{} ok")) {
      final String decoded = tokenizer.decode(tokenizer.encode(text));
      assertEquals(text.toLowerCase(Locale.ROOT).replace(" ", ""), decoded.replace(" ", ""),
          "decoded text keeps every character");
      assertArrayEquals(tokenizer.encode(text), tokenizer.encode(decoded), "re-encoding the decoded text: " + text);
    }
    assertEquals("hello world !", tokenizer.decode(tokenizer.encodePadded("Hello World!", 77, PadMode.ZERO)));
  }

  @Test
  void decode_outOfVocabularyIdIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {49406, 50000, 49407}));
  }

  @Test
  void encodeBatch_flatIdsAndMasks() {
    final List<String> texts = List.of("a photo of a cat", "Hello World!", "",
        String.join(" ", java.util.Collections.nCopies(100, "dog")));
    final TokenBatch b = tokenizer.encodeBatch(texts, 77, PadMode.EOT);
    assertEquals(4, b.count());
    assertEquals(77 * 4, b.ids().length);
    for (int i = 0; i < texts.size(); i++) {
      assertArrayEquals(tokenizer.encodePadded(texts.get(i), 77, PadMode.EOT), b.row(i));
      final int len = Math.min(tokenizer.encode(texts.get(i)).length, 77);
      for (int j = 0; j < 77; j++) {
        assertEquals(j < len ? 1 : 0, b.mask()[i * 77 + j], "mask of text " + i + " at " + j);
      }
    }
    assertEquals(7, Arrays.stream(b.mask(), 0, 77).sum(), "mask covers SOT..EOT of 'a photo of a cat'");
    assertEquals(b.ids()[5], b.idsAsLongs()[5]);
    assertEquals(1L, b.maskAsLongs()[0]);
  }

  @Test
  void shouldGiveTheSameIdsWithoutTheCache() {
    final ClipTokenizer uncached = ClipTokenizer.load(SharedData.model(VOCAB), 0);
    final String text = "Two people playing tennis on a clay court, again and again: tennis!";
    assertArrayEquals(tokenizer.encode(text), uncached.encode(text));
    assertArrayEquals(uncached.encode(text), uncached.encode(text));
  }

  @Test
  void shouldReportThroughput() {
    final List<String> texts = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      texts.add("a photo number " + i + " of a tabby cat riding bicycle" + i % 50 + " in garage at 3:45pm");
    }
    final ClipTokenizer uncached = ClipTokenizer.load(SharedData.model(VOCAB), 0);
    long tokens = 0;
    final long t0 = System.nanoTime();
    for (final String t : texts) {
      tokens += uncached.encode(t).length;
    }
    final double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("ClipTokenizer uncached: %d texts, %d tokens in %.1f ms = %.0f tokens/s%n",
        texts.size(), tokens, s * 1e3, tokens / s);
    assertTrue(tokens > texts.size() * 10L, "every text yields its words");
  }

  @Test
  void load_missingFileNamesIt() {
    final Path missing = SharedData.work("clip-tokenizer").resolve("no-such-vocab.txt.gz");
    final EncoderException e = assertThrows(EncoderException.class, () -> ClipTokenizer.load(missing));
    assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void load_notGzipNamesIt() throws IOException {
    final Path plain = Files.writeString(SharedData.work("clip-tokenizer").resolve("plain.txt.gz"), "i n\nt h\n");
    final EncoderException e = assertThrows(EncoderException.class, () -> ClipTokenizer.load(plain));
    assertTrue(e.getMessage().contains(plain.toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not gzip"), e.getMessage());
  }

  @Test
  void load_wrongHeaderOrTruncatedIsRefused() throws IOException {
    final Path noHeader = gzip("no-header.txt.gz", "i n\nt h\n");
    final EncoderException e1 = assertThrows(EncoderException.class, () -> ClipTokenizer.load(noHeader));
    assertTrue(e1.getMessage().contains("not a CLIP BPE merges file: " + noHeader.toAbsolutePath()), e1.getMessage());

    final Path truncated = gzip("truncated.txt.gz", "\"bpe_simple_vocab_16e6.txt#version: 0.2\ni n\nt h\n");
    final EncoderException e2 = assertThrows(EncoderException.class, () -> ClipTokenizer.load(truncated));
    assertTrue(e2.getMessage().contains("truncated: 2 merge rules"), e2.getMessage());

    final StringBuilder bad = new StringBuilder("\"bpe_simple_vocab_16e6.txt#version: 0.2\nin\n");
    final Path badRule = gzip("bad-rule.txt.gz", bad.append("t h\n".repeat(ClipTokenizer.MERGES)).toString());
    final EncoderException e3 = assertThrows(EncoderException.class, () -> ClipTokenizer.load(badRule));
    assertTrue(e3.getMessage().contains("line 2 is not a merge rule"), e3.getMessage());
  }

  private static Path gzip(final String name, final String content) throws IOException {
    final Path p = SharedData.work("clip-tokenizer").resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return p;
  }

  /** The words of {@code ids} as BPE pieces, joined by spaces (each piece ends in </w> here). */
  private static String decodePieces(final int[] ids) {
    final StringBuilder sb = new StringBuilder();
    for (int i = 1; i < ids.length - 1; i++) {
      sb.append(tokenizer.symbol(ids[i]).replace("</w>", " "));
    }
    return sb.toString().strip();
  }
}
