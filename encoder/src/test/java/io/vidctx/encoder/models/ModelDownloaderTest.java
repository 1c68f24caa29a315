package io.vidctx.encoder.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.VisionSpec;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelDownloaderTest {
  private static final String PATH = "/tiny/vision.onnx";

  private final byte[] model = TestModels.visionModel(64, 7);
  private final ModelDownloader downloader = new ModelDownloader(Duration.ofSeconds(5), Duration.ofSeconds(20));
  private LoopbackFileServer server;

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackFileServer().serve(PATH, model);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Path freshDir(final String name) throws IOException {
    final Path dir = SharedData.work("downloader").resolve(name);
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (final Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir);
  }

  private static String sha256(final byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static List<String> listing(final Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Records what the downloader reports. */
  private static final class Recorder implements DownloadListener {
    final List<long[]> progress = new ArrayList<>();
    long startedOffset = -1;

    @Override
    public void started(final String file, final URI url, final long offset, final long total) {
      startedOffset = offset;
    }

    @Override
    public void progress(final String file, final long done, final long total) {
      progress.add(new long[] {done, total});
    }
  }

  @Test
  void shouldDownloadAndVerifyAPublishedChecksum() throws Exception {
    final Path dir = freshDir("full");
    final Recorder rec = new Recorder();
    final DownloadedFile f = downloader.download(server.url(PATH), dir.resolve("vision.onnx"), sha256(model),
        sha256(model), (long) model.length, rec);
    assertArrayEquals(model, Files.readAllBytes(dir.resolve("vision.onnx")));
    assertEquals(sha256(model), f.sha256());
    assertTrue(f.published());
    assertEquals(0, f.resumedFrom());
    assertEquals(List.of("vision.onnx"), listing(dir), "no .part or .etag left behind");
    assertFalse(rec.progress.isEmpty());
    final long[] last = rec.progress.get(rec.progress.size() - 1);
    assertEquals(model.length, last[0]);
    assertEquals(model.length, last[1], "total from Content-Length");
  }

  @Test
  void shouldResumeWithARangeRequestAfterTheConnectionDrops() throws Exception {
    final Path dir = freshDir("resume");
    final Path target = dir.resolve("vision.onnx");
    final int cut = model.length / 2;
    server.cutNextResponseAfter(PATH, cut);

    final EncoderException broken = assertThrows(EncoderException.class,
        () -> downloader.download(server.url(PATH), target, sha256(model), sha256(model), null, DownloadListener.NONE));
    assertTrue(broken.getMessage().contains("broke off") && broken.getMessage().contains("resume"), broken.getMessage());
    final Path part = dir.resolve("vision.onnx.part");
    assertTrue(Files.isRegularFile(part), "the part is kept for resuming");
    final long kept = Files.size(part);
    assertTrue(kept > 0 && kept <= cut, "kept " + kept + " of the " + cut + " bytes sent");
    assertFalse(Files.exists(target));

    final Recorder rec = new Recorder();
    final DownloadedFile f = downloader.download(server.url(PATH), target, sha256(model), sha256(model), null, rec);
    final List<LoopbackFileServer.Request> reqs = server.requestsFor(PATH);
    assertEquals(2, reqs.size());
    assertNull(reqs.get(0).range());
    assertEquals("bytes=" + kept + "-", reqs.get(1).range(), "the second request asks for the rest only");
    assertNotNull(reqs.get(1).ifRange(), "and names the ETag it resumes");
    assertEquals(kept, f.resumedFrom());
    assertEquals(kept, rec.startedOffset);
    assertArrayEquals(model, Files.readAllBytes(target), "the joined file is intact");
    assertEquals(List.of("vision.onnx"), listing(dir));
  }

  @Test
  void shouldFinishAPartThatIsAlreadyWholeWithoutRefetching() throws Exception {
    // An earlier run received every byte but died before the rename: the range request is answered
    // 416 with the full length, and the part is checked and moved into place.
    final Path dir = freshDir("whole-part");
    Files.write(dir.resolve("vision.onnx.part"), model);
    final DownloadedFile f = downloader.download(server.url(PATH), dir.resolve("vision.onnx"), sha256(model), null,
        null, DownloadListener.NONE);
    assertEquals("bytes=" + model.length + "-", server.requestsFor(PATH).get(0).range());
    assertEquals(model.length, f.resumedFrom());
    assertArrayEquals(model, Files.readAllBytes(dir.resolve("vision.onnx")));
    assertEquals(List.of("vision.onnx"), listing(dir));
  }

  @Test
  void shouldStartOverWhenTheServerIgnoresTheRange() throws Exception {
    final Path dir = freshDir("no-ranges");
    final Path target = dir.resolve("vision.onnx");
    server.cutNextResponseAfter(PATH, model.length / 3).honourRanges(false);
    assertThrows(EncoderException.class,
        () -> downloader.download(server.url(PATH), target, sha256(model), null, null, DownloadListener.NONE));
    final DownloadedFile f = downloader.download(server.url(PATH), target, sha256(model), null, null, DownloadListener.NONE);
    assertNotNull(server.requestsFor(PATH).get(1).range(), "a range was asked for");
    assertEquals(0, f.resumedFrom(), "the 200 answer restarted the file");
    assertArrayEquals(model, Files.readAllBytes(target));
  }

  @Test
  void shouldDeleteEverythingOnAChecksumMismatch() throws Exception {
    final Path dir = freshDir("mismatch");
    final String wrong = sha256("another file".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    final EncoderException e = assertThrows(EncoderException.class, () -> downloader.download(
        server.url(PATH), dir.resolve("vision.onnx"), wrong, wrong, null, DownloadListener.NONE));
    final String msg = e.getMessage();
    assertTrue(msg.contains("checksum mismatch for vision.onnx"), msg);
    assertTrue(msg.contains("expected sha256 " + wrong), msg);
    assertTrue(msg.contains("got " + sha256(model)), msg);
    assertTrue(msg.contains(server.url(PATH).toString()), msg);
    assertTrue(msg.contains("nothing was kept"), msg);
    assertEquals(List.of(), listing(dir), "neither a final nor a partial file is left");
  }

  @Test
  void shouldRejectAWrongSizeAndKeepNothing() throws Exception {
    final Path dir = freshDir("size");
    final EncoderException e = assertThrows(EncoderException.class, () -> downloader.download(
        server.url(PATH), dir.resolve("vision.onnx"), null, null, model.length + 1L, DownloadListener.NONE));
    assertTrue(e.getMessage().contains("size mismatch") && e.getMessage().contains(String.valueOf(model.length + 1L)),
        e.getMessage());
    assertEquals(List.of(), listing(dir));
  }

  @Test
  void shouldExplainA404() throws Exception {
    final Path dir = freshDir("404");
    final URI missing = server.url("/tiny/missing.onnx");
    final EncoderException e = assertThrows(EncoderException.class, () -> downloader.download(
        missing, dir.resolve("missing.onnx"), null, null, null, DownloadListener.NONE));
    assertTrue(e.getMessage().startsWith("not found (HTTP 404): " + missing), e.getMessage());
    assertEquals(List.of(), listing(dir));
  }

  @Test
  void shouldExplainARefusedConnection() throws Exception {
    final Path dir = freshDir("refused");
    final int port;
    // A port that was just free on loopback and is closed again: connecting to it is refused.
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = s.getLocalPort();
    }
    final URI url = URI.create("http://127.0.0.1:" + port + "/x.onnx");
    final EncoderException e = assertThrows(EncoderException.class, () -> downloader.download(
        url, dir.resolve("x.onnx"), null, null, null, DownloadListener.NONE));
    assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port), e.getMessage());
  }

  private CatalogEntry entry(final String name, final String sha) {
    final VisionSpec vision = new VisionSpec("vision.onnx", "pixel_values", 32, 32, null, null, null, null, null,
        "image_embeds", false, 1, 1, null, null);
    return new CatalogEntry(name, "test", "generated tiny model", "MIT", "http://127.0.0.1/", "r1", "",
        List.of(new CatalogFile("vision.onnx", server.url(PATH).toString(), (long) model.length, null, sha, null)),
        new ModelManifest(name, "tiny", vision, null, null));
  }

  @Test
  void shouldPullAnEntryAndRecordAnUnpublishedChecksum() throws Exception {
    final Path models = freshDir("pull");
    final PullResult r = downloader.pull(entry("tiny", null), models, null, DownloadListener.NONE);
    assertEquals(models.resolve("tiny"), r.dir());
    assertEquals(1, r.unpublished().size(), "the computed checksum is reported as unpublished");
    assertEquals(List.of("checksums.json", "vidctx-model.json", "vision.onnx"), listing(r.dir()));

    final Checksums sums = new ObjectMapper().readValue(r.checksums().toFile(), Checksums.class);
    assertEquals(sha256(model), sums.find("vision.onnx").orElseThrow().sha256());
    assertFalse(sums.find("vision.onnx").orElseThrow().published());
    final ModelManifest m = new ObjectMapper().readValue(r.manifest().toFile(), ModelManifest.class);
    assertEquals(sha256(model), m.sha256().get("vision.onnx"), "the manifest carries the computed checksum");
    assertEquals("image_embeds", m.vision().pooledOutput());

    // A second pull trusts the recorded checksum and fetches nothing.
    final PullResult again = downloader.pull(entry("tiny", null), models, null, DownloadListener.NONE);
    assertTrue(again.files().get(0).reused());
    assertEquals(1, server.requestsFor(PATH).size());
  }

  @Test
  void shouldPullFromAMirrorUnderTheModelName() throws Exception {
    final Path models = freshDir("mirror");
    server.serve("/mirror/tiny/vision.onnx", model);
    final PullResult r = downloader.pull(entry("tiny", sha256(model)), models, server.url("/mirror"),
        DownloadListener.NONE);
    assertTrue(r.unpublished().isEmpty());
    assertEquals(1, server.requestsFor("/mirror/tiny/vision.onnx").size());
    assertEquals(0, server.requestsFor(PATH).size(), "the catalog URL was not used");
    assertArrayEquals(model, Files.readAllBytes(r.dir().resolve("vision.onnx")));
  }

  @Test
  void shouldWriteNoManifestWhenAFileFails() throws Exception {
    final Path models = freshDir("failed-pull");
    final String wrong = sha256(new byte[] {1});
    assertThrows(EncoderException.class, () -> downloader.pull(entry("tiny", wrong), models, null, DownloadListener.NONE));
    assertFalse(Files.exists(models.resolve("tiny").resolve(ModelManifest.FILE_NAME)));
    assertEquals(List.of(), listing(models.resolve("tiny")));
  }
}
