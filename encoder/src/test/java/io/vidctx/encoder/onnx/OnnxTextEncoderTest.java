package io.vidctx.encoder.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.manifest.IdType;
import io.vidctx.encoder.manifest.PadMode;
import io.vidctx.encoder.testing.ClipTextModels;
import io.vidctx.encoder.text.ClipTokenizer;
import io.vidctx.encoder.text.TokenBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The text encoder on generated CLIP-shaped towers with the real CLIP vocabulary. */
@Tag("onnx")
class OnnxTextEncoderTest {
  private static final RuntimeOptions OPTS = RuntimeOptions.DEFAULTS.withIntraOpThreads(1);
  private static final List<String> TEXTS = List.of("a photo of a cat", "a photo of a dog", "A photo of 2 dogs.",
      "what color is the car?", "a man riding a bicycle at 3:45pm", "This is a facial photo of a tabby cat",
      "a red motorcycle standing in a garage", "Two people playing tennis on a clay court", "Hello World!", "");
  private static ClipTextModels.Tower raw;
  private static OnnxTextEncoder rawEncoder;

  @BeforeAll
  static void writeModels() {
    raw = ClipTextModels.builder().normalize(false).write("int64-raw");
    rawEncoder = OnnxTextEncoder.open(raw.folder(), OPTS);
  }

  @AfterAll
  static void closeEncoder() {
    if (rawEncoder != null) {
      rawEncoder.close();
    }
  }

  @Test
  void shouldEmbedToTheProjectionWidth() {
    final float[][] e = rawEncoder.embed(TEXTS);
    assertEquals(24, rawEncoder.dim());
    assertEquals(TEXTS.size(), e.length);
    for (final float[] row : e) {
      assertEquals(24, row.length);
    }
    assertEquals(0, rawEncoder.embed(List.of()).length);
  }

  @Test
  void shouldPoolAtTheEotTokenAsTheJavaReferenceDoes() {
    final ClipTokenizer tok = rawEncoder.tokenizer();
    final float[][] e = rawEncoder.embed(TEXTS);
    for (int i = 0; i < TEXTS.size(); i++) {
      final int[] ids = tok.encodePadded(TEXTS.get(i), 77, PadMode.ZERO);
      assertArrayEquals(raw.reference(ids, ones(77)), e[i], 1e-4f, TEXTS.get(i));
    }
  }

  @Test
  void shouldChangeWhenOnlyTheLastWordChanges() {
    final float[][] e = rawEncoder.embed(List.of("a photo of a cat", "a photo of a dog", "a photo of a cat"));
    assertTrue(cosine(e[0], e[1]) < 0.999, "cat vs dog: " + cosine(e[0], e[1]));
    assertArrayEquals(e[0], e[2], "identical texts, identical embeddings");
    final float[] first = rawEncoder.embed("cat photo of a");
    assertFalse(Arrays.equals(first, e[0]), "word order matters through the causal mixing");
  }

  @Test
  void shouldNormaliseWhenTheManifestSaysSo() {
    final ClipTextModels.Tower tower = ClipTextModels.builder().write("int64-normalized");
    try (OnnxTextEncoder enc = OnnxTextEncoder.open(tower.manifest(), OPTS)) {
      final float[][] e = enc.embed(TEXTS);
      final float[][] r = rawEncoder.embed(TEXTS);
      for (int i = 0; i < e.length; i++) {
        assertEquals(1.0, norm(e[i]), 1e-5, "unit length: " + TEXTS.get(i));
        assertTrue(Math.abs(norm(r[i]) - 1.0) > 1e-3, "the raw tower is not unit length by chance");
        assertEquals(1.0, cosine(e[i], r[i]), 1e-5, "same direction as the raw output");
      }
    }
  }

  @Test
  void shouldGiveTheSameEmbeddingsWithBatchOneAndEight() {
    final List<String> many = new ArrayList<>();
    for (int i = 0; i < 19; i++) {
      many.add(TEXTS.get(i % TEXTS.size()) + " number " + i);
    }
    try (OnnxTextEncoder one = OnnxTextEncoder.open(raw.folder(), OPTS.withBatchSize(1));
        OnnxTextEncoder eight = OnnxTextEncoder.open(raw.folder(), OPTS.withBatchSize(8))) {
      final float[][] a = one.embed(many);
      final float[][] b = eight.embed(many);
      for (int i = 0; i < many.size(); i++) {
        assertArrayEquals(a[i], b[i], 1e-5f, many.get(i));
      }
    }
  }

  @Test
  void shouldServeConcurrentCalls() throws Exception {
    final float[][] expected = rawEncoder.embed(TEXTS);
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      final List<Future<float[][]>> futures = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        futures.add(pool.submit(() -> rawEncoder.embed(TEXTS)));
      }
      for (final Future<float[][]> f : futures) {
        final float[][] got = f.get();
        for (int i = 0; i < expected.length; i++) {
          assertArrayEquals(expected[i], got[i], 1e-6f, TEXTS.get(i));
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void shouldFeedInt32IdsAndAnAttentionMaskWithEotPadding() {
    final ClipTextModels.Tower tower = ClipTextModels.builder().idType(IdType.INT32).attentionMask(true)
        .pad(PadMode.EOT).normalize(false).seed(7).write("int32-mask-eot");
    try (OnnxTextEncoder enc = OnnxTextEncoder.open(tower.folder(), OPTS)) {
      final float[][] e = enc.embed(TEXTS);
      final TokenBatch b = enc.tokenizer().encodeBatch(TEXTS, 77, PadMode.EOT);
      for (int i = 0; i < TEXTS.size(); i++) {
        final int[] mask = Arrays.copyOfRange(b.mask(), i * 77, (i + 1) * 77);
        assertEquals(ClipTokenizer.EOT, b.row(i)[76], "EOT padding");
        assertArrayEquals(tower.reference(b.row(i), mask), e[i], 1e-4f, TEXTS.get(i));
      }
    }
  }

  @Test
  void shouldTruncateLongTexts() {
    final String longText = String.join(" ", java.util.Collections.nCopies(200, "cat"));
    final float[] e = rawEncoder.embed(longText);
    final int[] ids = rawEncoder.tokenizer().encodePadded(longText, 77, PadMode.ZERO);
    assertEquals(ClipTokenizer.EOT, ids[76]);
    assertArrayEquals(raw.reference(ids, ones(77)), e, 1e-4f);
  }

  @Test
  void shouldRefuseAManifestNamingAMaskTheModelLacks() {
    final ClipTextModels.Tower tower = ClipTextModels.builder().write("mask-missing");
    tower.writeManifest(Map.of("attention_mask", "attention_mask"));
    final EncoderException e = assertThrows(EncoderException.class, () -> OnnxTextEncoder.open(tower.folder(), OPTS));
    assertTrue(e.getMessage().contains(tower.model().toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("attention mask 'attention_mask' but the model has no such input"), e.getMessage());
    assertTrue(e.getMessage().contains("model inputs: [input_ids int64 [?, 77]]"), e.getMessage());
  }

  @Test
  void shouldRefuseAModelMaskTheManifestDoesNotName() {
    final ClipTextModels.Tower tower = ClipTextModels.builder().attentionMask(true).write("mask-unnamed");
    final Map<String, Object> noMask = new HashMap<>();
    noMask.put("attention_mask", null);
    tower.writeManifest(noMask);
    final EncoderException e = assertThrows(EncoderException.class, () -> OnnxTextEncoder.open(tower.folder(), OPTS));
    assertTrue(e.getMessage().contains("inputs [attention_mask] are not named by the manifest"), e.getMessage());
  }

  @Test
  void shouldRefuseAWrongContextLength() {
    final ClipTextModels.Tower tower = ClipTextModels.builder().write("wrong-context");
    tower.writeManifest(Map.of("context_length", 64));
    final EncoderException e = assertThrows(EncoderException.class, () -> OnnxTextEncoder.open(tower.folder(), OPTS));
    assertTrue(e.getMessage().contains("input 'input_ids' takes 77 tokens per text, the manifest's context_length is 64"),
        e.getMessage());
    assertTrue(e.getMessage().contains(tower.model().toAbsolutePath().toString()), e.getMessage());
  }

  @Test
  void shouldRefuseAWrongIdTypeOrNames() {
    final ClipTextModels.Tower tower = ClipTextModels.builder().idType(IdType.INT32).write("wrong-names");
    tower.writeManifest(Map.of("id_type", "int64"));
    final EncoderException type = assertThrows(EncoderException.class, () -> OnnxTextEncoder.open(tower.folder(), OPTS));
    assertTrue(type.getMessage().contains("input 'input_ids' is int32, the manifest's id_type is int64"), type.getMessage());

    tower.writeManifest(Map.of("input_ids", "text"));
    final EncoderException ids = assertThrows(EncoderException.class, () -> OnnxTextEncoder.open(tower.folder(), OPTS));
    assertTrue(ids.getMessage().contains("no input 'text'"), ids.getMessage());
    assertTrue(ids.getMessage().contains("model inputs: [input_ids int32 [?, 77]]"), ids.getMessage());

    tower.writeManifest(Map.of("output", "pooler_output"));
    final EncoderException out = assertThrows(EncoderException.class, () -> OnnxTextEncoder.open(tower.folder(), OPTS));
    assertTrue(out.getMessage().contains("no output 'pooler_output'"), out.getMessage());
    assertTrue(out.getMessage().contains("last_hidden_state float32 [?, 77, 32]"), out.getMessage());
    assertTrue(out.getMessage().contains("text_embeds float32 [?, 24]"), out.getMessage());

    tower.writeManifest(Map.of("output", "last_hidden_state"));
    final EncoderException rank = assertThrows(EncoderException.class, () -> OnnxTextEncoder.open(tower.folder(), OPTS));
    assertTrue(rank.getMessage().contains("output 'last_hidden_state' has shape [-1, 77, 32], expected rank 2"),
        rank.getMessage());
  }

  @Test
  void shouldNameAMissingVocabularyFile() {
    final ClipTextModels.Tower tower = ClipTextModels.builder().write("vocab-missing");
    tower.writeManifest(Map.of("vocab", "bpe_simple_vocab_16e6.txt.gz"));
    final EncoderException e = assertThrows(EncoderException.class, () -> OnnxTextEncoder.open(tower.folder(), OPTS));
    final Path expected = tower.folder().resolve("bpe_simple_vocab_16e6.txt.gz").toAbsolutePath();
    assertTrue(e.getMessage().contains("CLIP BPE vocabulary not found: " + expected), e.getMessage());
  }

  @Test
  void shouldExplainAManifestWithoutTextSide() throws IOException {
    final Path folder = raw.folder().resolveSibling("vision-only");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("vidctx-model.json"),
        "{\"name\": \"dino\", \"vision\": {\"file\": \"v.onnx\", \"input\": \"pixel_values\", \"width\": 224, \"height\": 224}}");
    final EncoderException e = assertThrows(EncoderException.class, () -> OnnxTextEncoder.open(folder, OPTS));
    assertTrue(e.getMessage().contains("has no \"text\" section"), e.getMessage());

    Files.writeString(folder.resolve("vidctx-model.json"), "{\"name\": \"broken\", \"text\": {\"file\": 3");
    final EncoderException bad = assertThrows(EncoderException.class, () -> OnnxTextEncoder.open(folder, OPTS));
    assertTrue(bad.getMessage().startsWith("model manifest " + folder.resolve("vidctx-model.json").toAbsolutePath()
        + " is not valid"), bad.getMessage());

    final EncoderException none = assertThrows(EncoderException.class,
        () -> OnnxTextEncoder.open(folder.resolve("nothing-here"), OPTS));
    assertTrue(none.getMessage().startsWith("model manifest not found"), none.getMessage());
  }

  @Test
  void shouldCloseIdempotentlyAndRefuseLaterCalls() {
    final OnnxTextEncoder enc = OnnxTextEncoder.open(raw.folder(), OPTS);
    assertEquals(24, enc.embed("a cat").length);
    enc.close();
    enc.close();
    assertThrows(IllegalStateException.class, () -> enc.embed("a cat"));
  }

  private static int[] ones(final int n) {
    final int[] v = new int[n];
    Arrays.fill(v, 1);
    return v;
  }

  private static double norm(final float[] v) {
    double s = 0;
    for (final float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  private static double cosine(final float[] a, final float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    return dot / (norm(a) * norm(b));
  }
}
