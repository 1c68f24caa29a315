package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Black-box tests of {@code vidctx models}; downloads come from a real HTTP server on 127.0.0.1. */
class ModelsCommandTest {
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();
  private final List<String> requested = new CopyOnWriteArrayList<>();
  private HttpServer server;

  static String sha256(final byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (final java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      requested.add(ex.getRequestURI().getPath());
      final byte[] body = served.get(ex.getRequestURI().getPath());
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
      } else {
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static Path freshDir(final String name) throws IOException {
    final Path dir = SharedData.work("models-cli").resolve(name);
    Broker.deleteTree(dir);
    return Files.createDirectories(dir);
  }

  private static List<String> listing(final Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A user catalog with one entry served by the loopback server; {@code visionSha} may be null (unpublished). */
  private Path catalog(final Path dir, final String visionSha, final String textSha) throws IOException {
    final String vocab = SharedData.model("clip-bpe-vocab/bpe_simple_vocab_16e6.txt.gz").toAbsolutePath().toString();
    final Path file = dir.resolve("catalog.json");
    Files.writeString(file, """
        {"models": [{"name": "tiny-clip", "family": "test", "description": "generated CLIP-shaped model",
          "license": "MIT", "page": "%1$s/", "revision": "r1",
          "files": [
            {"name": "vision.onnx", "url": "%1$s/up/vision.onnx", "size": "60 kB", "sha256": %2$s, "source": "test"},
            {"name": "text.onnx", "url": "%1$s/up/text.onnx", "size": "3 kB", "sha256": %3$s, "source": "test"}],
          "manifest": {"name": "tiny-clip",
            "vision": {"file": "vision.onnx", "input": "pixel_values", "width": 32, "height": 32,
              "patch_output": "last_hidden_state", "pooled_output": "image_embeds", "cls_token": false,
              "grid_h": 4, "grid_w": 4},
            "text": {"file": "text.onnx", "output": "text_embeds", "vocab": "%4$s"}}}]}
        """.formatted(base(), visionSha == null ? "null" : "\"" + visionSha + "\"",
            textSha == null ? "null" : "\"" + textSha + "\"", vocab), StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void shouldListTheCatalogWithUrlsSizesAndChecksums() {
    final CliRun run = CliRun.of("models", "list", "--dir", SharedData.work("models-cli").resolve("none").toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    assertTrue(run.out().contains("clip-vit-b-32  [OpenAI CLIP, image + text]"), run.out());
    assertTrue(run.out().contains("fd6e1402a588279d1723c7534d4bcba5bc0b14b47dfab0e46f8c47b8270d7d40"), run.out());
    assertTrue(run.out().contains("https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/"), run.out());
    assertTrue(run.out().contains("not published (computed and recorded at pull)"), run.out());
    assertTrue(run.out().contains("dinov2-small  [DINOv2, image only]"), run.out());
  }

  @Test
  void shouldListAsParsableJson() throws Exception {
    final CliRun run = CliRun.of("models", "list", "--json", "--dir", freshDir("list-json").toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode rows = Json.mapper().readTree(run.out());
    assertTrue(rows.isArray() && rows.size() >= 5, run.out());
    final JsonNode first = rows.get(0);
    assertEquals("clip-vit-b-32", first.get("name").asText());
    assertTrue(first.get("text").asBoolean());
    assertFalse(first.get("pulled").asBoolean());
    assertEquals("vision_model.onnx", first.get("files").get(0).get("name").asText());
    assertEquals(64, first.get("files").get(0).get("sha256").asText().length());
  }

  @Test
  void shouldPullVerifyAndReportUnpublishedChecksums() throws Exception {
    final Path work = freshDir("pull");
    final byte[] vision = TinyClip.vision(1);
    final byte[] text = TinyClip.text(2);
    served.put("/up/vision.onnx", vision);
    served.put("/up/text.onnx", text);
    final Path models = work.resolve("models");
    final CliRun run = CliRun.of("models", "pull", "tiny-clip", "--dir", models.toString(),
        "--catalog", catalog(work, sha256(vision), null).toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    assertTrue(run.out().contains("verified against the published checksum"), run.out());
    assertTrue(run.out().contains("text.onnx") && run.out().contains("NOT PUBLISHED"), run.out());
    assertTrue(run.err().contains("lists no sha256 for 1 file(s)"), run.err());
    final Path dir = models.resolve("tiny-clip");
    assertArrayEquals(vision, Files.readAllBytes(dir.resolve("vision.onnx")));
    assertEquals(List.of("checksums.json", "text.onnx", "vidctx-model.json", "vision.onnx"), listing(dir));

    final CliRun listed = CliRun.of("models", "list", "--dir", models.toString(), "--catalog",
        work.resolve("catalog.json").toString());
    assertTrue(listed.out().contains("tiny-clip  [test, image + text]  pulled: " + dir), listed.out());

    final CliRun verify = CliRun.of("models", "verify", dir.toString());
    assertEquals(ExitCode.OK, verify.exitCode(), verify.dump());
    assertTrue(verify.out().contains("ok   sha256 vision.onnx") && verify.out().contains("ok   sha256 text.onnx"),
        verify.out());
    assertTrue(verify.out().contains("checks passed"), verify.out());
    assertTrue(verify.out().contains("ok   vision inference: gray 32x32 frame -> 4x4 grid of 8-d tokens"), verify.out());
    assertTrue(verify.out().contains("ok   text inference: \"a photo of a cat\" (ids 49406 320 1125 539 320 2368 49407) -> 8-d"),
        verify.out());
  }

  @Test
  void shouldFailACorruptDownloadThroughAMirrorAndLeaveNothing() throws Exception {
    // The real catalog entry through --url-base: the mirror serves the wrong bytes for a file whose
    // sha256 the publisher lists, so the pull must fail and keep no file.
    final Path models = freshDir("mirror-corrupt");
    served.put("/mirror/dinov2-small/model.onnx", TinyClip.vision(3));
    final CliRun run = CliRun.of("models", "pull", "dinov2-small", "--dir", models.toString(),
        "--url-base", base() + "/mirror");
    assertEquals(ExitCode.ERROR, run.exitCode(), run.dump());
    assertTrue(run.err().contains("checksum mismatch for model.onnx"), run.err());
    assertTrue(run.err().contains("83141175ec78b4ff9a2bb58a4c7c264ba0054d1c2e122e5a8114b79a8d4179ea"), run.err());
    assertTrue(run.err().contains(base() + "/mirror/dinov2-small/model.onnx"), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    assertEquals(List.of("/mirror/dinov2-small/model.onnx"), requested);
    assertEquals(List.of(), listing(models.resolve("dinov2-small")), "no partial or final file left");
  }

  @Test
  void shouldExplainMissingFilesAndUnknownModels() throws Exception {
    final Path models = freshDir("missing");
    final CliRun notFound = CliRun.of("models", "pull", "siglip-b-16-224", "--dir", models.toString(),
        "--url-base", base());
    assertEquals(ExitCode.ERROR, notFound.exitCode(), notFound.dump());
    assertTrue(notFound.err().contains("not found (HTTP 404): " + base() + "/siglip-b-16-224/vision_model.onnx"),
        notFound.err());

    final CliRun unknown = CliRun.of("models", "pull", "clip-xxl", "--dir", models.toString());
    assertEquals(ExitCode.INVALID_INPUT, unknown.exitCode(), unknown.dump());
    assertTrue(unknown.err().contains("unknown model 'clip-xxl'") && unknown.err().contains("mobileclip-s2"),
        unknown.err());
  }

  @Test
  void shouldFailVerifyOnAWrongChecksumAndAMissingManifest() throws Exception {
    final Path dir = TinyClip.folder(freshDir("verify-bad").resolve("tiny-clip"));
    final byte[] v = Files.readAllBytes(dir.resolve("vision.onnx"));
    v[v.length - 1] ^= 1;
    Files.write(dir.resolve("vision.onnx"), v);
    final CliRun run = CliRun.of("models", "verify", dir.toString());
    assertEquals(ExitCode.UNEXPECTED_STATE, run.exitCode(), run.dump());
    assertTrue(run.out().contains("FAIL sha256 vision.onnx: expected "), run.out());
    assertTrue(run.out().contains("ok   sha256 text.onnx"), run.out());
    assertTrue(run.err().contains("1 of ") && run.err().contains("checks failed"), run.err());

    final CliRun none = CliRun.of("models", "verify", dir.getParent().toString());
    assertEquals(ExitCode.INVALID_INPUT, none.exitCode(), none.dump());
    assertTrue(none.err().contains("has no vidctx-model.json"), none.err());
  }
}
