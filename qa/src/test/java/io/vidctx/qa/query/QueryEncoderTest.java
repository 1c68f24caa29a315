package io.vidctx.qa.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.qa.QueryKind;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.FootageTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Questions to query vectors with the built-in encoder (no text tower) and real photos. */
class QueryEncoderTest {
  private static OnnxVisionEncoder encoder;

  @BeforeAll
  static void open() {
    encoder = FootageTokens.builtinEncoder();
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  @Test
  void shouldFallBackToCoverageAndSaySoForTextWithoutATextTower() {
    final EncodedQuery q = new QueryEncoder(encoder, null, CompressorConfig.DEFAULTS).encode("Where is the cat?",
        (Path) null);
    assertEquals(QueryKind.COVERAGE, q.kind());
    assertEquals(0, q.vectors().length);
    assertTrue(q.notes().get(0).contains("CLIP"), q.notes().toString());
    assertTrue(q.toSelection(null, 10).coverageOnly());
  }

  @Test
  void shouldMergeAnExampleImageLikeAVideoFrame() {
    final EncodedQuery q = new QueryEncoder(encoder, null, CompressorConfig.DEFAULTS).encode("When is this?",
        SharedData.image("cat.png"));
    assertEquals(QueryKind.IMAGE, q.kind());
    final int perFrame = CompressorConfig.DEFAULTS.merge().tokensPerFrame();
    assertTrue(q.vectors().length >= 1 && q.vectors().length <= perFrame, q.vectors().length + " vectors");
    assertEquals(encoder.dim(), q.vectors()[0].length);
    assertTrue(q.notes().get(0).contains("example image"), q.notes().toString());
  }

  @Test
  void shouldRefuseBadImagesAndEmptyQuestionsClearly(@TempDir final Path dir) throws IOException {
    final QueryEncoder e = new QueryEncoder(encoder, null, CompressorConfig.DEFAULTS);
    final Path garbage = Files.writeString(dir.resolve("photo.jpg"), "this is not a picture");
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.encode("q", garbage));
    assertTrue(x.getMessage().contains(garbage.toString()) && x.getMessage().contains("cannot be decoded"),
        x.getMessage());
    x = assertThrows(IllegalArgumentException.class, () -> e.encode("q", dir.resolve("missing.png")));
    assertTrue(x.getMessage().contains("does not exist"), x.getMessage());
    x = assertThrows(IllegalArgumentException.class, () -> e.encode(" ", (Path) null));
    assertTrue(x.getMessage().contains("empty"), x.getMessage());
  }
}
