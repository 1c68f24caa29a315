package io.vidctx.encoder.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.EncoderException;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestsTest {
  private static final String VALID = """
      {
        "name": "clip-test",
        "vision": {"file": "visual.onnx", "input": "pixel_values", "width": 224, "height": 224,
                   "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711],
                   "patch_output": "last_hidden_state", "pooled_output": "image_embeds",
                   "cls_token": true, "grid_h": 7, "grid_w": 7, "projection": "proj.bin"},
        "text": {"file": "textual.onnx", "output": "text_embeds", "vocab": "vocab/bpe.txt.gz"}
      }
      """;

  @Test
  void shouldLoadAFolderOrAFileAndResolveNamesAgainstTheFolder() throws IOException {
    final Path dir = folder("valid", VALID, "visual.onnx", "proj.bin", "textual.onnx", "vocab/bpe.txt.gz");
    final Manifests.Located fromDir = Manifests.locate(dir);
    final Manifests.Located fromFile = Manifests.locate(dir.resolve(ModelManifest.FILE_NAME));
    assertEquals(fromDir.manifest(), fromFile.manifest());
    final VisionSpec v = fromDir.vision();
    assertEquals(List.of(0.48145466f, 0.4578275f, 0.40821073f), v.mean());
    assertEquals(ResizeMode.SHORTER_SIDE_CENTER_CROP, v.resize(), "default");
    assertEquals(ChannelOrder.RGB, v.channels(), "default");
    assertEquals(Boolean.TRUE, v.normalize(), "default");
    assertEquals(dir.toAbsolutePath().resolve("vocab/bpe.txt.gz").normalize(), fromDir.resolve("vocab/bpe.txt.gz"));
    assertEquals(77, Manifests.load(dir).text().contextLength());
  }

  @Test
  void shouldNameTheFolderWhenItHasNoManifest() throws IOException {
    final Path dir = Files.createDirectories(SharedData.work("manifests").resolve("empty"));
    final EncoderException e = assertThrows(EncoderException.class, () -> Manifests.load(dir));
    assertTrue(e.getMessage().startsWith("no model manifest in " + dir.toAbsolutePath()), e.getMessage());
    assertTrue(e.getMessage().contains("vidctx-model.json"), e.getMessage());
    final Path missing = dir.resolve("other.json");
    final EncoderException f = assertThrows(EncoderException.class, () -> Manifests.load(missing));
    assertEquals("model manifest not found: " + missing.toAbsolutePath(), f.getMessage());
  }

  @Test
  void shouldReportMalformedJsonWithFileAndLine() throws IOException {
    final Path dir = folder("malformed", "{\n  \"name\": \"x\",\n  \"vision\": {\"file\": \n}", "visual.onnx");
    final EncoderException e = assertThrows(EncoderException.class, () -> Manifests.load(dir));
    assertTrue(e.getMessage().startsWith("model manifest " + dir.resolve(ModelManifest.FILE_NAME).toAbsolutePath()),
        e.getMessage());
    assertTrue(e.getMessage().contains("line 4"), e.getMessage());
  }

  @Test
  void shouldReportAnUnknownKeyWithItsPathAndTheKnownKeys() throws IOException {
    final Path dir = folder("unknown", VALID.replace("\"pooled_output\"", "\"pooled_ouput\""), "visual.onnx", "proj.bin",
        "textual.onnx", "vocab/bpe.txt.gz");
    final EncoderException e = assertThrows(EncoderException.class, () -> Manifests.load(dir));
    assertTrue(e.getMessage().contains(" at vision.pooled_ouput: unknown key \"pooled_ouput\""), e.getMessage());
    assertTrue(e.getMessage().contains("pooled_output"), "lists the known keys: " + e.getMessage());
  }

  @Test
  void shouldReportAMissingRequiredKeyWithItsPath() throws IOException {
    final Path dir = folder("missing-key", VALID.replace("\"input\": \"pixel_values\",", ""), "visual.onnx",
        "proj.bin", "textual.onnx", "vocab/bpe.txt.gz");
    final EncoderException e = assertThrows(EncoderException.class, () -> Manifests.load(dir));
    assertTrue(e.getMessage().contains(" at vision.input: missing required key \"input\""), e.getMessage());
  }

  @Test
  void shouldReportAWronglyTypedValueWithItsPath() throws IOException {
    final Path dir = folder("wrong-type", VALID.replace("\"width\": 224", "\"width\": \"wide\""), "visual.onnx",
        "proj.bin", "textual.onnx", "vocab/bpe.txt.gz");
    final EncoderException e = assertThrows(EncoderException.class, () -> Manifests.load(dir));
    assertTrue(e.getMessage().contains(" at vision.width"), e.getMessage());
  }

  @Test
  void shouldRefuseNonPositiveSizesBadMeanStdAndAMissingGrid() throws IOException {
    final String bad = VALID.replace("\"height\": 224", "\"height\": 0")
        .replace("\"mean\": [0.48145466, 0.4578275, 0.40821073]", "\"mean\": [0.5, 0.5]")
        .replace("\"std\": [0.26862954, 0.26130258, 0.27577711]", "\"std\": [0.2, 0, 0.2]")
        .replace("\"grid_h\": 7, ", "");
    final Path dir = folder("bad-values", bad, "visual.onnx", "proj.bin", "textual.onnx", "vocab/bpe.txt.gz");
    final EncoderException e = assertThrows(EncoderException.class, () -> Manifests.load(dir));
    final String m = e.getMessage();
    assertTrue(m.startsWith("model manifest " + dir.resolve(ModelManifest.FILE_NAME).toAbsolutePath() + " is invalid"), m);
    assertTrue(m.contains("vision.width and vision.height must be positive, were 224 and 0"), m);
    assertTrue(m.contains("vision.mean must hold 3 values (one per channel), had 2"), m);
    assertTrue(m.contains("vision.std[1] is 0"), m);
    assertTrue(m.contains("vision.grid_h and vision.grid_w must be positive when vision.patch_output is given"), m);
  }

  @Test
  void shouldRefuseAGridWithoutPatchesAndAModelWithNoOutputs() {
    final String pooledOnly = """
        {"name": "p", "vision": {"file": "v.onnx", "input": "x", "width": 32, "height": 32,
         "pooled_output": "emb", "cls_token": true, "grid_h": 4, "grid_w": 4}}
        """;
    final ModelManifest m = Manifests.parse(pooledOnly, "inline");
    final List<String> problems = Manifests.problems(m.vision());
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("cls_token is true but there is no vision.patch_output"), problems.toString());
    assertTrue(problems.get(1).contains("grid 4x4 given without vision.patch_output"), problems.toString());
    final ModelManifest none = Manifests.parse(
        "{\"name\": \"n\", \"vision\": {\"file\": \"v.onnx\", \"input\": \"x\", \"width\": 8, \"height\": 8}}", "inline");
    assertTrue(Manifests.problems(none.vision()).get(0).startsWith("neither vision.patch_output nor vision.pooled_output"));
    assertNull(none.text());
  }

  @Test
  void shouldNameEveryMissingFileRelativeToTheFolder() throws IOException {
    final Path dir = folder("missing-files", VALID, "textual.onnx");
    final EncoderException e = assertThrows(EncoderException.class, () -> Manifests.load(dir));
    final String m = e.getMessage();
    assertTrue(m.contains("vision.file names \"visual.onnx\", which is not a file in " + dir.toAbsolutePath()), m);
    assertTrue(m.contains("vision.projection names \"proj.bin\""), m);
    assertTrue(m.contains("text.vocab names \"vocab/bpe.txt.gz\""), m);
    assertTrue(!m.contains("text.file"), "textual.onnx exists: " + m);
  }

  private static Path folder(final String name, final String json, final String... files) throws IOException {
    final Path dir = SharedData.work("manifests").resolve(name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(ModelManifest.FILE_NAME), json);
    for (final String f : files) {
      final Path p = dir.resolve(f);
      Files.createDirectories(p.getParent());
      Files.write(p, new byte[] {1});
    }
    return dir;
  }
}
