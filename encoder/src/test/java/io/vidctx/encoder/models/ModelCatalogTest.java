package io.vidctx.encoder.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.manifest.Manifests;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.ingest.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {

  @Test
  void shouldLoadTheBuiltinCatalogWithConsistentEntries() {
    final List<CatalogEntry> entries = ModelCatalog.builtin().entries();
    assertTrue(entries.size() >= 5, "entries: " + entries.size());
    for (final CatalogEntry e : entries) {
      assertEquals(e.name(), e.manifest().name(), "manifest name of " + e.name());
      assertTrue(e.page().startsWith("https://"), e.name());
      final Set<String> names = new HashSet<>();
      for (final CatalogFile f : e.files()) {
        assertTrue(f.url().startsWith("https://"), f.url());
        assertNotNull(f.source(), "every file cites where its facts come from: " + e.name() + "/" + f.name());
        assertTrue(f.sizeBytes() != null || f.size() != null, "a size for " + f.name());
        assertTrue(names.add(f.name()), "duplicate file " + f.name());
      }
      assertNotNull(e.manifest().vision(), e.name());
      assertTrue(names.contains(e.manifest().vision().file()), e.name() + " downloads its vision file");
      if (e.manifest().text() != null) {
        assertTrue(names.contains(e.manifest().text().file()), e.name() + " downloads its text file");
        assertTrue(names.contains(e.manifest().text().vocab()), e.name() + " downloads its vocabulary");
      }
    }
  }

  @Test
  void shouldCarryManifestsThatTheLoaderAccepts() throws Exception {
    // Each entry's manifest, written into a folder with (empty) stand-ins for its files, must pass the
    // same checks 'vidctx encode' and 'models verify' apply after a real pull.
    for (final CatalogEntry e : ModelCatalog.builtin().entries()) {
      final Path dir = SharedData.work("catalog-manifests").resolve(e.name());
      Files.createDirectories(dir);
      for (final CatalogFile f : e.files()) {
        Files.write(dir.resolve(f.name()), new byte[0]);
      }
      Files.write(dir.resolve(ModelManifest.FILE_NAME), new ObjectMapper().writeValueAsBytes(e.manifest()));
      final ModelManifest m = Manifests.load(dir);
      assertEquals(e.name(), m.name());
    }
  }

  @Test
  void shouldPinTheClipVocabularyToTheSharedCopy() throws Exception {
    // The catalog's sha256 for the BPE vocabulary must be that of the verified copy in shared/.
    final Path vocab = SharedData.model("clip-bpe-vocab/bpe_simple_vocab_16e6.txt.gz");
    final CatalogFile f = ModelCatalog.builtin().require("clip-vit-b-32").files().stream()
        .filter(x -> x.name().equals("bpe_simple_vocab_16e6.txt.gz")).findFirst().orElseThrow();
    assertEquals(Checksums.sha256(vocab), f.sha256());
    assertEquals(Files.size(vocab), f.sizeBytes());
  }

  @Test
  void shouldNameTheKnownModelsForAnUnknownOne() {
    final EncoderException e = assertThrows(EncoderException.class, () -> ModelCatalog.builtin().require("clip-xl"));
    assertTrue(e.getMessage().contains("unknown model 'clip-xl'") && e.getMessage().contains("clip-vit-b-32"),
        e.getMessage());
  }

  @Test
  void shouldLetAUserCatalogAddAndReplaceEntries() throws Exception {
    final Path file = SharedData.work("catalog").resolve("user-catalog.json");
    Files.writeString(file, """
        {"models": [{"name": "clip-vit-b-32", "files": [{"name": "v.onnx", "url": "http://127.0.0.1/v.onnx", "size": "1 kB"}],
          "manifest": {"name": "clip-vit-b-32", "vision": {"file": "v.onnx", "input": "x", "width": 8, "height": 8,
          "grid_h": 1, "grid_w": 1}}},
         {"name": "mine", "files": [{"name": "m.onnx", "url": "http://127.0.0.1/m.onnx"}],
          "manifest": {"name": "mine", "vision": {"file": "m.onnx", "input": "x", "width": 8, "height": 8,
          "grid_h": 1, "grid_w": 1}}}]}
        """, StandardCharsets.UTF_8);
    final ModelCatalog c = ModelCatalog.builtin().with(file);
    assertEquals("v.onnx", c.require("clip-vit-b-32").files().get(0).name());
    assertTrue(c.find("mine").isPresent());
    assertEquals(ModelCatalog.builtin().entries().size() + 1, c.entries().size());
  }

  @Test
  void shouldRefuseFileNamesThatLeaveTheModelFolder() {
    assertThrows(IllegalArgumentException.class, () -> new CatalogFile("../evil.onnx", "https://x/y", null, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new CatalogFile("a.onnx", "https://x/y", null, null, "abc", null));
  }

  @Test
  void shouldPutTheCacheUnderXdgCacheHomeOrHome() {
    assertEquals(Path.of("/xdg/vidctx/models"), ModelCache.defaultDir(Map.of("XDG_CACHE_HOME", "/xdg"), "/home/u"));
    assertEquals(Path.of("/home/u/.cache/vidctx/models"), ModelCache.defaultDir(Map.of(), "/home/u"));
    assertEquals(Path.of("/home/u/.cache/vidctx/models"),
        ModelCache.defaultDir(Map.of("XDG_CACHE_HOME", "relative"), "/home/u"), "a relative XDG value is ignored");
    assertFalse(ModelCache.defaultDir().toString().isEmpty());
  }
}
