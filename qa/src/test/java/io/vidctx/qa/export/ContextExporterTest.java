package io.vidctx.qa.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.qa.Answer;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.Keyframe;
import io.vidctx.qa.QaFixtures;
import io.vidctx.qa.QueryKind;
import io.vidctx.qa.Question;
import io.vidctx.qa.VideoContext;
import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.VideoMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export: JSON fields as documented in the README, .npy embeddings equal to the context's. */
class ContextExporterTest {
  private static final List<float[]> BASES = QaFixtures.randomBases(8, 5, 16);
  private static final VideoMemory MEMORY = QaFixtures.memory(QaFixtures.scenes(9, BASES, 20));

  @Test
  void shouldWriteJsonAndNpyThatReadBack(@TempDir final Path dir) throws IOException {
    final Question q = Question.choice("Which scene?", List.of("first", "second"));
    VideoContext ctx = QaFixtures.context(MEMORY, q, QueryKind.IMAGE, 300, BASES.get(3), BASES.get(1));
    final List<Keyframe> withImages = new ArrayList<>();
    for (final Keyframe k : ctx.keyframes()) {
      withImages.add(k.withJpeg(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}));
    }
    ctx = ctx.withKeyframes(withImages);
    final Answer answer = new Answer(Answer.Status.ANSWERED, "second", 1, 0.75,
        List.of(new EvidenceRange(1_000_000, 2_000_000, 0.9)), "test", null, 5_000_000);
    final ContextExporter.Written w = ContextExporter.export(ctx, answer, "video.mp4", dir.resolve("out"));

    final TokenBlock t = ctx.tokens();
    final NpyArray tokens = NpyFile.read(w.tokens());
    assertArrayEquals(new int[] {t.size(), t.dim()}, tokens.shape());
    assertArrayEquals(t.embeddings(), tokens.floats());
    final NpyArray query = NpyFile.read(w.query());
    assertArrayEquals(new int[] {2, 16}, query.shape());
    assertArrayEquals(BASES.get(3), java.util.Arrays.copyOf(query.floats(), 16));

    final JsonNode j = new ObjectMapper().readTree(w.json().toFile());
    assertEquals("vidctx.context", j.get("format").asText());
    assertEquals(ContextExporter.SCHEMA_VERSION, j.get("version").asInt());
    assertEquals("video.mp4", j.get("video").asText());
    assertEquals("Which scene?", j.at("/question/text").asText());
    assertEquals("second", j.at("/question/choices/1").asText());
    assertEquals("IMAGE", j.at("/query/kind").asText());
    assertEquals(2, j.at("/query/vectors").asInt());
    assertEquals(t.size(), j.at("/tokens/count").asInt());
    assertEquals("tokens.npy", j.at("/tokens/file").asText());
    final JsonNode items = j.at("/tokens/items");
    assertEquals(t.size(), items.size());
    for (int i = 0; i < t.size(); i++) {
      assertEquals(t.startPts(i), items.get(i).get("startMicros").asLong());
      assertEquals(t.endPts(i), items.get(i).get("endMicros").asLong());
      assertEquals(t.weight(i), (float) items.get(i).get("weight").asDouble());
      assertEquals(ctx.selection().memoryIndex()[i], items.get(i).get("memoryIndex").asInt());
    }
    assertEquals(MEMORY.segments().size(), j.get("segments").size());
    assertEquals("select", j.at("/stats/5/stage").asText());
    assertEquals(ctx.selection().size(), j.at("/selection/kept").asInt());
    assertEquals(ctx.keyframes().size(), j.get("keyframes").size());
    assertEquals(w.keyframes().size(), ctx.keyframes().size());
    for (final JsonNode k : j.get("keyframes")) {
      assertTrue(Files.isRegularFile(dir.resolve("out").resolve(k.get("file").asText())), k.toString());
    }
    assertEquals("B", j.at("/answer/letter").asText());
    assertEquals("0:00:01.000", j.at("/answer/evidence/0/start").asText());
    assertTrue(Files.readString(w.json()).indexOf("NaN") < 0, "JSON has no NaN literals");
  }

  @Test
  void shouldWriteACoverageContextWithoutQueryFile(@TempDir final Path dir) throws IOException {
    final VideoContext ctx = QaFixtures.context(MEMORY, Question.open("what?"), QueryKind.COVERAGE, 50);
    final ContextExporter.Written w = ContextExporter.export(ctx, null, null, dir);
    assertEquals(null, w.query());
    final JsonNode j = new ObjectMapper().readTree(w.json().toFile());
    assertTrue(j.get("answer").isNull());
    assertTrue(j.at("/tokens/items/0/similarity").isNull(), "no similarity without a query");
    assertEquals("COVERAGE", j.at("/selection/mode").asText());
  }
}
