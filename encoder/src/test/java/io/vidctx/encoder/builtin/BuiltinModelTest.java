package io.vidctx.encoder.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.ResizeMode;
import io.vidctx.encoder.manifest.VisionSpec;
import io.vidctx.ingest.testing.Photos;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BuiltinModelTest {
  private static final int TOKENS = BuiltinModel.GRID * BuiltinModel.GRID;
  private static final int PIXELS = BuiltinModel.SIZE * BuiltinModel.SIZE;

  private static BuiltinRunner runner;

  @BeforeAll
  static void open() {
    runner = new BuiltinRunner(BuiltinModel.ensure(SharedData.work("builtin-model")), 1);
  }

  @AfterAll
  static void close() {
    runner.close();
  }

  @Test
  void shouldLoadInOnnxRuntimeWithTheManifestsNamesAndShapes() throws OrtException {
    final Map<String, NodeInfo> inputs = runner.session().getInputInfo();
    assertEquals(List.of(BuiltinModel.INPUT), List.copyOf(inputs.keySet()));
    assertArrayEquals(new long[] {-1, 3, 224, 224}, ((TensorInfo) inputs.get(BuiltinModel.INPUT).getInfo()).getShape());
    final Map<String, NodeInfo> outputs = runner.session().getOutputInfo();
    assertArrayEquals(new long[] {-1, TOKENS, BuiltinModel.DIM},
        ((TensorInfo) outputs.get(BuiltinModel.PATCH_OUTPUT).getInfo()).getShape());
    assertArrayEquals(new long[] {-1, BuiltinModel.DIM},
        ((TensorInfo) outputs.get(BuiltinModel.POOLED_OUTPUT).getInfo()).getShape());
    assertEquals(BuiltinModel.NAME, runner.session().getMetadata().getCustomMetadata().get("vidctx.model"));
  }

  @Test
  void shouldEmitUnitNormTokensForPhotosAndFlatFrames() throws OrtException {
    final byte[] black = new byte[PIXELS * 3];
    final byte[] grey = new byte[PIXELS * 3];
    Arrays.fill(grey, (byte) 128);
    final byte[] photo = BuiltinRunner.fit(Photos.read("mandrill.jpg"));
    final BuiltinRunner.Out[] out = runner.run(List.of(black, grey, photo));
    for (final BuiltinRunner.Out o : out) {
      assertEquals(TOKENS * BuiltinModel.DIM, o.patches().length);
      for (int t = 0; t < TOKENS; t++) {
        assertEquals(1.0, norm(o.patches(), t * BuiltinModel.DIM, BuiltinModel.DIM), 1e-4, "patch token " + t);
      }
      assertEquals(1.0, norm(o.global(), 0, BuiltinModel.DIM), 1e-4, "global embedding");
    }
    // Flat frames compare by colour: black and mid-grey are not the same picture.
    assertTrue(BuiltinRunner.cosine(out[0].global(), out[1].global()) < 0.9);
  }

  @Test
  void shouldKeepAPerfectlyUniformFrameDefined() throws OrtException {
    // pixel value 0.5 exactly: centred luma and chroma are 0, so the pooled and layout parts vanish.
    final float[] pixels = new float[3 * PIXELS];
    Arrays.fill(pixels, 0.5f);
    final float[] global = runner.runPixels(pixels, 1)[0].global();
    assertEquals(1.0, norm(global, 0, BuiltinModel.DIM), 1e-4, Arrays.toString(global));
  }

  @Test
  void shouldBeDeterministicAndIndependentOfTheBatch() throws OrtException {
    assertArrayEquals(BuiltinModel.graph().toByteArray(), BuiltinModel.graph().toByteArray());
    final List<byte[]> batch = new ArrayList<>();
    for (final Photos.Photo p : Photos.all().subList(0, 8)) {
      batch.add(BuiltinRunner.fit(Photos.read(p.file())));
    }
    final BuiltinRunner.Out[] all = runner.run(batch);
    final BuiltinRunner.Out[] again = runner.run(batch);
    for (int i = 0; i < batch.size(); i++) {
      assertArrayEquals(all[i].global(), again[i].global(), "same input, same output: " + i);
      final BuiltinRunner.Out single = runner.run(batch.get(i));
      assertArrayEquals(single.global(), all[i].global(), 1e-5f, "batch of 8 vs alone: " + i);
      assertArrayEquals(single.patches(), all[i].patches(), 1e-5f, "batch of 8 vs alone: " + i);
    }
    assertNotEquals(all[0].global()[1], all[1].global()[1], "different photos, different embeddings");
  }

  @Test
  void shouldWriteAManifestThatDescribesTheGraph() throws IOException {
    final Path folder = BuiltinModel.ensure(SharedData.work("builtin-manifest"));
    final ModelManifest m = new ObjectMapper().readValue(folder.resolve(ModelManifest.FILE_NAME).toFile(),
        ModelManifest.class);
    assertEquals(BuiltinModel.NAME, m.name());
    assertTrue(m.description().toLowerCase(Locale.ROOT).contains("cannot match text to pixels"), m.description());
    final VisionSpec v = m.vision();
    assertTrue(v != null);
    assertEquals(BuiltinModel.MODEL_FILE, v.file());
    assertEquals(BuiltinModel.INPUT, v.input());
    assertEquals(224, v.width());
    assertEquals(224, v.height());
    assertEquals(ResizeMode.SHORTER_SIDE_CENTER_CROP, v.resize());
    assertEquals(List.of(0f, 0f, 0f), v.mean());
    assertEquals(List.of(1f, 1f, 1f), v.std());
    assertEquals(BuiltinModel.PATCH_OUTPUT, v.patchOutput());
    assertEquals(BuiltinModel.POOLED_OUTPUT, v.pooledOutput());
    assertFalse(v.clsToken());
    assertEquals(14, v.gridH());
    assertEquals(14, v.gridW());
    assertEquals(Boolean.TRUE, v.normalize());
    assertTrue(m.text() == null, "no text side");
    assertEquals(BuiltinModel.sha256(Files.readAllBytes(folder.resolve(BuiltinModel.MODEL_FILE))),
        m.sha256().get(BuiltinModel.MODEL_FILE));
  }

  @Test
  void ensure_secondCall_reusesTheFiles() throws IOException {
    final Path cache = fresh("builtin-ensure-reuse");
    final Path folder = BuiltinModel.ensure(cache);
    assertEquals(cache.resolve("builtin-v" + BuiltinModel.VERSION), folder);
    final Object modelKey = fileKey(folder.resolve(BuiltinModel.MODEL_FILE));
    final Object manifestKey = fileKey(folder.resolve(ModelManifest.FILE_NAME));
    assertEquals(folder, BuiltinModel.ensure(cache));
    // An atomic rewrite renames a new file into place, which changes the file key (the inode).
    assertEquals(modelKey, fileKey(folder.resolve(BuiltinModel.MODEL_FILE)));
    assertEquals(manifestKey, fileKey(folder.resolve(ModelManifest.FILE_NAME)));
    try (var files = Files.list(folder)) {
      assertEquals(2, files.count(), "no temporary files left behind");
    }
  }

  @Test
  void ensure_corruptedOrStaleFiles_areRewritten() throws IOException {
    final Path folder = BuiltinModel.ensure(fresh("builtin-ensure-corrupt"));
    final Path model = folder.resolve(BuiltinModel.MODEL_FILE);
    final Path manifest = folder.resolve(ModelManifest.FILE_NAME);
    final byte[] good = Files.readAllBytes(model);
    final byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x5a;
    Files.write(model, bad);
    Files.writeString(manifest, "{\"name\": \"builtin\"}");
    BuiltinModel.ensure(folder.getParent());
    assertArrayEquals(good, Files.readAllBytes(model));
    assertTrue(Files.readString(manifest).contains(BuiltinModel.sha256(good)));
    Files.delete(model);
    BuiltinModel.ensure(folder.getParent());
    assertArrayEquals(good, Files.readAllBytes(model));
  }

  @Test
  void ensure_racingCallers_allGetTheCompleteFolder() throws Exception {
    final Path cache = fresh("builtin-ensure-race");
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      final List<Callable<Path>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(() -> BuiltinModel.ensure(cache));
      }
      for (final Future<Path> f : pool.invokeAll(calls)) {
        assertEquals(cache.resolve("builtin-v" + BuiltinModel.VERSION), f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    final Path folder = cache.resolve("builtin-v" + BuiltinModel.VERSION);
    assertArrayEquals(BuiltinModel.graph().toByteArray(), Files.readAllBytes(folder.resolve(BuiltinModel.MODEL_FILE)));
    try (var files = Files.list(folder)) {
      assertEquals(2, files.count(), "no temporary files left behind");
    }
  }

  private static Path fresh(final String name) throws IOException {
    final Path dir = SharedData.work(name);
    try (var walk = Files.walk(dir)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).filter(p -> !p.equals(dir)).forEach(p -> {
        try {
          Files.delete(p);
        } catch (final IOException e) {
          throw new IllegalStateException(e);
        }
      });
    }
    return dir;
  }

  private static Object fileKey(final Path file) throws IOException {
    final BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return a.fileKey() + "@" + a.lastModifiedTime().toMillis();
  }

  private static double norm(final float[] v, final int off, final int len) {
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += v[off + i] * v[off + i];
    }
    return Math.sqrt(s);
  }
}
