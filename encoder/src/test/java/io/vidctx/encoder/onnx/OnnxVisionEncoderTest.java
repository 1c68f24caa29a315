package io.vidctx.encoder.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vidctx.encoder.Device;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.manifest.Manifests;
import io.vidctx.encoder.onnxwriter.ElementType;
import io.vidctx.encoder.preprocess.ImagePreprocessor;
import io.vidctx.encoder.testing.ClipShapedModels;
import io.vidctx.encoder.testing.ClipShapedModels.Outputs;
import io.vidctx.encoder.testing.ClipShapedModels.Spec;
import io.vidctx.encoder.testing.ClipShapedModels.Written;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.testing.Photos;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The manifest-driven encoder on generated CLIP-shaped models, real frames and real photos, in real sessions. */
class OnnxVisionEncoderTest {
  private static final RuntimeOptions CPU = RuntimeOptions.DEFAULTS.withIntraOpThreads(1);
  private static final Spec TINY = Spec.tiny();

  private static Written clip;
  private static Written pooledOnly;
  private static Written patchesOnly;
  private static Path work;
  private static List<VideoFrame> videoFrames;
  private static List<VideoFrame> photoFrames;

  @BeforeAll
  static void writeModelsAndDecodeFrames() {
    work = SharedData.work("onnx-vision-encoder");
    clip = ClipShapedModels.write(work.resolve("clip"), TINY);
    pooledOnly = ClipShapedModels.write(work.resolve("pooled-only"), TINY.withOutputs(Outputs.POOLED_ONLY));
    patchesOnly = ClipShapedModels.write(work.resolve("patches-only"), TINY.withOutputs(Outputs.PATCHES_ONLY));
    // Real footage at its native 214x160 (the encoder resizes) and photos of many sizes.
    videoFrames = decode("shepard_calais_1906.ogv", DecodeOptions.DEFAULTS.withFps(2).withMaxFrames(10));
    photoFrames = new ArrayList<>();
    for (final Photos.Photo p : Photos.all().subList(0, 6)) {
      final DecodedImage img = Photos.read(p.file());
      photoFrames.add(new VideoFrame("photos", photoFrames.size(), photoFrames.size() * 1000L, img.width(), img.height(),
          img.rgb()));
    }
  }

  @Test
  void shouldEncodeRealVideoFramesIntoGridTokensWithFrameIdentity() {
    try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(clip.dir(), CPU)) {
      assertEquals(TINY.embedDim(), enc.dim(), "projected width");
      final List<FrameTokens> tokens = enc.encode(videoFrames);
      assertEquals(videoFrames.size(), tokens.size());
      for (int i = 0; i < tokens.size(); i++) {
        final FrameTokens t = tokens.get(i);
        final VideoFrame f = videoFrames.get(i);
        assertEquals(f.streamId(), t.streamId());
        assertEquals(f.index(), t.index());
        assertEquals(f.ptsMicros(), t.ptsMicros());
        assertEquals(4, t.gridH());
        assertEquals(6, t.gridW());
        assertEquals(TINY.embedDim(), t.dim());
        assertEquals(24 * TINY.embedDim(), t.patches().length);
        assertEquals(1.0, norm(t.global(), 0, t.dim()), 1e-5, "global is L2-normalised");
        for (int p = 0; p < t.patchCount(); p++) {
          assertEquals(1.0, norm(t.patches(), p * t.dim(), t.dim()), 1e-5, "patch " + p + " is L2-normalised");
        }
      }
      assertFalse(Arrays.equals(tokens.get(0).global(), tokens.get(tokens.size() - 1).global()),
          "different frames give different embeddings");
    }
  }

  @Test
  void shouldDropClsProjectPatchesAndTakeTheModelsPooledOutput() throws OrtException {
    final VideoFrame frame = videoFrames.get(3);
    final Raw raw = runBare(clip.model(), frame);
    final float[] projection = ClipShapedModels.projection(TINY);
    try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(clip.dir(), CPU)) {
      final FrameTokens t = enc.encode(List.of(frame)).get(0);
      final int d = TINY.dim();
      final int e = TINY.embedDim();
      for (int p = 0; p < t.patchCount(); p++) {
        // Token p of the grid is row p + 1 of last_hidden_state: the CLS row 0 is dropped.
        final float[] expected = new float[e];
        for (int k = 0; k < d; k++) {
          for (int j = 0; j < e; j++) {
            expected[j] += raw.patches[(p + 1) * d + k] * projection[k * e + j];
          }
        }
        normalize(expected);
        assertArrayEquals(expected, slice(t.patches(), p * e, e), 1e-5f, "patch " + p);
      }
      final float[] pooled = raw.pooled.clone();
      normalize(pooled);
      assertArrayEquals(pooled, t.global(), 1e-6f, "global = image_embeds, normalised");
    }
  }

  @Test
  void shouldDerivePooledAsTheMeanOfPatchesWhenTheModelHasNoPooledOutput() throws OrtException {
    final VideoFrame frame = videoFrames.get(1);
    final Raw raw = runBare(patchesOnly.model(), frame);
    try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(patchesOnly.dir(), CPU)) {
      assertEquals(TINY.dim(), enc.dim(), "no projection: model width");
      final FrameTokens t = enc.encode(List.of(frame)).get(0);
      final int d = TINY.dim();
      final float[] mean = new float[d];
      for (int p = 1; p <= 24; p++) {
        for (int k = 0; k < d; k++) {
          mean[k] += raw.patches[p * d + k] / 24f;
        }
      }
      normalize(mean);
      assertArrayEquals(mean, t.global(), 1e-5f);
    }
  }

  @Test
  void shouldGiveAPooledOnlyModelAOneCellGrid() throws OrtException {
    final VideoFrame frame = photoFrames.get(2);
    final Raw raw = runBare(pooledOnly.model(), frame);
    try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(pooledOnly.dir(), CPU)) {
      final FrameTokens t = enc.encode(List.of(frame)).get(0);
      assertEquals(1, t.gridH());
      assertEquals(1, t.gridW());
      final float[] pooled = raw.pooled.clone();
      normalize(pooled);
      assertArrayEquals(pooled, t.global(), 1e-6f);
      assertArrayEquals(t.global(), t.patches(), 0f);
    }
  }

  @Test
  void shouldLeaveEmbeddingsUnnormalisedWhenTheManifestSaysSo() throws OrtException {
    final Path dir = work.resolve("unnormalised");
    final Written w = ClipShapedModels.write(dir, TINY);
    final ObjectNode json = w.json();
    ((ObjectNode) json.get("vision")).put("normalize", false);
    w.writeManifest(json);
    final VideoFrame frame = videoFrames.get(0);
    final Raw raw = runBare(w.model(), frame);
    try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(dir, CPU)) {
      final FrameTokens t = enc.encode(List.of(frame)).get(0);
      assertArrayEquals(raw.pooled, t.global(), 0f);
      assertTrue(Math.abs(norm(t.global(), 0, t.dim()) - 1) > 1e-3, "really not normalised");
    }
  }

  @Test
  void shouldGiveTheSameTokensForEveryBatchSizeIncludingPartialBatches() {
    final List<VideoFrame> all = new ArrayList<>(videoFrames);
    all.addAll(photoFrames);
    // 13 frames: the last batch is partial for batch sizes 3 (13 = 4 * 3 + 1) and 8 (13 = 8 + 5).
    final List<VideoFrame> frames = all.subList(0, 13);
    final List<List<FrameTokens>> runs = new ArrayList<>();
    for (final int batch : new int[] {1, 3, 8}) {
      try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(clip.dir(), CPU.withBatchSize(batch))) {
        assertEquals(batch, enc.batchSize());
        runs.add(enc.encode(frames));
      }
    }
    for (final List<FrameTokens> run : runs.subList(1, runs.size())) {
      assertSameTokens(runs.get(0), run, 1e-5f);
    }
  }

  @Test
  void shouldPadThePartialLastBatchOfAFixedBatchModel() {
    final Path dir = work.resolve("fixed-batch");
    ClipShapedModels.write(dir, TINY.withFixedBatch(4));
    final List<VideoFrame> frames = videoFrames.subList(0, 6);
    try (OnnxVisionEncoder fixed = OnnxVisionEncoder.open(dir, CPU.withBatchSize(8));
        OnnxVisionEncoder free = OnnxVisionEncoder.open(clip.dir(), CPU.withBatchSize(1))) {
      assertEquals(4, fixed.batchSize(), "the model's fixed batch wins over the option");
      assertSameTokens(free.encode(frames), fixed.encode(frames), 1e-5f);
    }
  }

  @Test
  void shouldSettleASymbolicTokenCountAtOpen() {
    final Path dir = work.resolve("symbolic-tokens");
    final Written w = ClipShapedModels.write(dir, TINY.withSymbolicTokens(true));
    try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(dir, CPU)) {
      assertEquals(videoFrames.size(), enc.encode(videoFrames).size());
    }
    final ObjectNode json = w.json();
    ((ObjectNode) json.get("vision")).put("grid_h", 3);
    w.writeManifest(json);
    final EncoderException e = assertThrows(EncoderException.class, () -> OnnxVisionEncoder.open(dir, CPU));
    assertTrue(e.getMessage().contains("has 25 tokens per image, but the manifest's grid 3x6 plus a CLS token means 19"),
        e.getMessage());
  }

  @Test
  void shouldEncodeConcurrentlyWithTheSameResultsAsOneThread() throws Exception {
    final List<VideoFrame> frames = new ArrayList<>(photoFrames);
    frames.addAll(videoFrames.subList(0, 5));
    try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(clip.dir(), CPU.withBatchSize(4))) {
      final List<FrameTokens> expected = enc.encode(frames);
      final ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        final List<Future<List<FrameTokens>>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          futures.add(pool.submit(() -> enc.encode(frames)));
        }
        for (final Future<List<FrameTokens>> f : futures) {
          assertSameTokens(expected, f.get(), 0f);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void shouldBeDeterministicAcrossEncodersAndCalls() {
    try (OnnxVisionEncoder a = OnnxVisionEncoder.open(clip.dir(), CPU);
        OnnxVisionEncoder b = OnnxVisionEncoder.open(clip.manifest(), CPU)) {
      final List<FrameTokens> first = a.encode(photoFrames);
      assertSameTokens(first, a.encode(photoFrames), 0f);
      assertSameTokens(first, b.encode(photoFrames), 0f);
    }
  }

  @Test
  void shouldTreatFramesPreScaledByFfmpegLikeFramesItScales() {
    // Stretch mode, so FFmpeg's scaling to the model size and ours describe the same picture.
    final Path dir = work.resolve("stretch");
    final Written w = ClipShapedModels.write(dir, TINY);
    final ObjectNode json = w.json();
    ((ObjectNode) json.get("vision")).put("resize", "stretch");
    w.writeManifest(json);
    final List<VideoFrame> scaled = decode("shepard_calais_1906.ogv",
        DecodeOptions.DEFAULTS.withFps(2).withMaxFrames(10).withSize(TINY.width(), TINY.height()));
    try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(dir, CPU)) {
      final List<FrameTokens> ours = enc.encode(videoFrames);
      final List<FrameTokens> ffmpeg = enc.encode(scaled);
      for (int i = 0; i < ours.size(); i++) {
        assertEquals(videoFrames.get(i).ptsMicros(), scaled.get(i).ptsMicros());
        final double cos = dot(ours.get(i).global(), ffmpeg.get(i).global());
        assertTrue(cos > 0.98, "frame " + i + ": cosine " + cos + " between our resize and FFmpeg's");
      }
    }
  }

  @Test
  void shouldRefuseAModelWhoseFixedInputSizeDisagreesWithTheManifest() {
    final Path dir = work.resolve("wrong-size");
    final Written w = ClipShapedModels.write(dir, TINY);
    final ObjectNode json = w.json();
    ((ObjectNode) json.get("vision")).put("width", 64).put("grid_w", 8);
    w.writeManifest(json);
    final EncoderException e = assertThrows(EncoderException.class, () -> OnnxVisionEncoder.open(dir, CPU));
    final String m = e.getMessage();
    assertTrue(m.contains(w.model().toAbsolutePath().normalize().toString()), m);
    assertTrue(m.contains(w.manifest().toAbsolutePath().toString()), m);
    assertTrue(m.contains("input \"pixel_values\" is float32 [?, 3, 32, 48]"), m);
    assertTrue(m.contains("means float32 [N, 3, 32, 64]"), m);
  }

  @Test
  void shouldListTheModelsRealOutputsWhenTheManifestNamesAMissingOne() {
    final Path dir = work.resolve("wrong-output");
    final Written w = ClipShapedModels.write(dir, TINY);
    final ObjectNode json = w.json();
    ((ObjectNode) json.get("vision")).put("pooled_output", "pooler_output");
    w.writeManifest(json);
    final EncoderException e = assertThrows(EncoderException.class, () -> OnnxVisionEncoder.open(dir, CPU));
    assertTrue(e.getMessage().contains("no output named \"pooler_output\" (vision.pooled_output); the model's outputs are:"
        + " [last_hidden_state float32 [?, 25, 16], image_embeds float32 [?, 8]]"), e.getMessage());
  }

  @Test
  void shouldRefuseAWrongInputNameDtypeOrGrid() {
    final Path dir = work.resolve("wrong-input");
    final Written w = ClipShapedModels.write(dir, TINY);
    final ObjectNode json = w.json();
    ((ObjectNode) json.get("vision")).put("input", "image");
    w.writeManifest(json);
    final EncoderException name = assertThrows(EncoderException.class, () -> OnnxVisionEncoder.open(dir, CPU));
    assertTrue(name.getMessage().contains("no input named \"image\" (vision.input); the model's inputs are:"
        + " [pixel_values float32 [?, 3, 32, 48]]"), name.getMessage());

    final Path f16 = work.resolve("float16");
    ClipShapedModels.write(f16, TINY.withInputType(ElementType.FLOAT16));
    final EncoderException dtype = assertThrows(EncoderException.class, () -> OnnxVisionEncoder.open(f16, CPU));
    assertTrue(dtype.getMessage().contains("input \"pixel_values\" is float16 [?, 3, 32, 48], expected float32"),
        dtype.getMessage());

    final Written noCls = ClipShapedModels.write(work.resolve("no-cls"), TINY);
    final ObjectNode grid = noCls.json();
    ((ObjectNode) grid.get("vision")).put("cls_token", false);
    noCls.writeManifest(grid);
    final EncoderException cls = assertThrows(EncoderException.class, () -> OnnxVisionEncoder.open(noCls.dir(), CPU));
    assertTrue(cls.getMessage().contains("has 25 tokens per image, but the manifest's grid 4x6 means 24"),
        cls.getMessage());
  }

  @Test
  void shouldRefuseAPooledOutputOfAnotherWidthWithoutProjection() {
    final Path dir = work.resolve("no-projection");
    final Written w = ClipShapedModels.write(dir, TINY);
    final ObjectNode json = w.json();
    ((ObjectNode) json.get("vision")).remove("projection");
    w.writeManifest(json);
    final EncoderException e = assertThrows(EncoderException.class, () -> OnnxVisionEncoder.open(dir, CPU));
    assertTrue(e.getMessage().contains("the pooled output is 8 wide but tokens are 16 wide"), e.getMessage());
    assertTrue(e.getMessage().contains("\"projection\""), e.getMessage());
  }

  @Test
  void shouldFallBackToTheCpuWhenCudaIsAskedForButMissing() {
    Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
        "this runtime has CUDA: the fallback path is not reachable here");
    try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(clip.dir(), CPU.withDevice(Device.parse("cuda:0")))) {
      assertEquals(Device.CPU, enc.device());
      assertEquals(2, enc.encode(videoFrames.subList(0, 2)).size());
    }
    final EncoderException e = assertThrows(EncoderException.class,
        () -> OnnxVisionEncoder.open(clip.dir(), CPU.withDevice(Device.parse("cuda!"))));
    assertTrue(e.getMessage().contains("requested strictly but unavailable"), e.getMessage());
  }

  @Test
  void shouldCloseIdempotentlyAndRefuseWorkAfterwards() {
    final OnnxVisionEncoder enc = OnnxVisionEncoder.open(clip.dir(), CPU);
    assertEquals(1, enc.encode(videoFrames.subList(0, 1)).size());
    assertTrue(enc.encode(List.of()).isEmpty());
    enc.close();
    enc.close();
    assertThrows(IllegalStateException.class, () -> enc.encode(videoFrames.subList(0, 1)));
  }

  @Test
  void shouldRefuseAManifestWithoutAVisionSide() {
    final Path dir = work.resolve("text-only");
    final Written w = ClipShapedModels.write(dir, TINY);
    final ObjectNode json = w.json();
    json.remove("vision");
    json.putObject("text").put("file", "visual.onnx").put("output", "text_embeds").put("vocab", "visual_projection.bin");
    w.writeManifest(json);
    final EncoderException e = assertThrows(EncoderException.class, () -> OnnxVisionEncoder.open(dir, CPU));
    assertTrue(e.getMessage().contains("has no \"vision\" section"), e.getMessage());
    assertEquals("clip-shaped-test-48x32-d16", Manifests.load(dir).name());
  }

  // ---------------------------------------------------------------------------------------------

  /** The raw outputs of one frame through a bare session, for reference. */
  private record Raw(float[] patches, float[] pooled) {}

  private static Raw runBare(final Path model, final VideoFrame frame) throws OrtException {
    final ImagePreprocessor pre = ImagePreprocessor.of(Manifests.locate(model.resolveSibling("vidctx-model.json")).vision());
    final OrtEnvironment env = OrtSessions.environment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtSession s = env.createSession(model.toString(), so);
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(pre.toArray(frame)),
            new long[] {1, 3, pre.height(), pre.width()});
        OrtSession.Result r = s.run(Map.of(ClipShapedModels.INPUT, in))) {
      final Optional<OnnxValue> p = r.get(ClipShapedModels.PATCHES);
      final Optional<OnnxValue> g = r.get(ClipShapedModels.POOLED);
      return new Raw(p.isPresent() ? floats((OnnxTensor) p.get()) : new float[0],
          g.isPresent() ? floats((OnnxTensor) g.get()) : new float[0]);
    }
  }

  private static float[] floats(final OnnxTensor t) {
    final FloatBuffer b = t.getFloatBuffer();
    final float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }

  static List<VideoFrame> decode(final String video, final DecodeOptions options) {
    final List<VideoFrame> frames = new ArrayList<>();
    try (VideoFileSource src = VideoFileSource.open(SharedData.video(video).toString(), options)) {
      for (Optional<VideoFrame> f = src.next(); f.isPresent(); f = src.next()) {
        frames.add(f.get());
      }
    }
    return frames;
  }

  private static void assertSameTokens(final List<FrameTokens> a, final List<FrameTokens> b, final float tolerance) {
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).streamId(), b.get(i).streamId());
      assertEquals(a.get(i).index(), b.get(i).index());
      assertArrayEquals(a.get(i).patches(), b.get(i).patches(), tolerance, "patches of frame " + i);
      assertArrayEquals(a.get(i).global(), b.get(i).global(), tolerance, "global of frame " + i);
    }
  }

  private static float[] slice(final float[] a, final int from, final int n) {
    final float[] s = new float[n];
    System.arraycopy(a, from, s, 0, n);
    return s;
  }

  private static double norm(final float[] a, final int from, final int n) {
    double s = 0;
    for (int i = from; i < from + n; i++) {
      s += (double) a[i] * a[i];
    }
    return Math.sqrt(s);
  }

  private static double dot(final float[] a, final float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  private static void normalize(final float[] a) {
    final double n = norm(a, 0, a.length);
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (a[i] / n);
    }
  }
}
