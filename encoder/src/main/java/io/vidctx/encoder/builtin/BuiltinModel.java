package io.vidctx.encoder.builtin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.manifest.ChannelOrder;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.ResizeMode;
import io.vidctx.encoder.manifest.VisionSpec;
import io.vidctx.encoder.onnxwriter.Attribute;
import io.vidctx.encoder.onnxwriter.ElementType;
import io.vidctx.encoder.onnxwriter.OnnxModel;
import io.vidctx.encoder.onnxwriter.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/*
 * Design: a hand-built, training-free image descriptor expressed as an ONNX graph, so it runs through
 * the same ONNX Runtime path (batching, threads, CUDA) as a CLIP-family model. Every weight is a
 * closed-form constant (colour matrix, Sobel and DCT kernels, a Hadamard matrix); nothing is learned
 * or downloaded, and the graph bytes are identical on every machine (StrictMath, no randomness).
 *
 * Input: pixel_values [N,3,224,224], RGB in [0,1] (manifest mean 0, std 1: any normalisation is
 * inside the graph). Patches are 16x16 pixels on a 14x14 grid, like ViT-B/16.
 *
 * 1. Colour space (1x1 Conv). sRGB values are already gamma-encoded, so a linear opponent transform
 *    of them is close to perceptual (it is how JPEG's YCbCr and most colour descriptors work):
 *    Y = 0.299R + 0.587G + 0.114B - 0.5 (centred, so mid-grey is 0, black and white are opposite),
 *    O1 = (R - G)/sqrt2 and O2 = (R + G - 2B)/sqrt6, both times chromaGain = 2 because natural chroma
 *    is several times weaker than luma contrast and carries much of a scene's identity.
 *
 * 2. Patch token, D = 64 = 1 + 12 + 15 + 36:
 *    - bias (1): the constant 0.5. Without it a flat mid-grey or black patch would have nothing but
 *      noise to normalise; with it flat patches compare by colour (black vs dark grey about 0.9,
 *      black vs white negative), never by noise.
 *    - colour layout (12): mean Y, O1, O2 of the patch's four 8x8 quarters (AveragePool 8, then
 *      SpaceToDepth 2), times 1/2 so a uniform patch has the norm of its pixel colour.
 *    - luma structure (15): the 4x4 lowest 2-D DCT-II bases of luma, DC excluded (the patch mean is
 *      already in the colour part), as one 16x16 stride-16 Conv. Signed, so it tells an edge from its
 *      mirror image; periods of 8 px and longer survive JPEG-40, down-scaling and mild blur.
 *    - edge energy (36): mean |response| of four oriented 3x3 Sobel kernels (0, 45, 90, 135 degrees)
 *      per 8x8 quarter at full resolution (16) and on the 2x-pooled luma (16, a 2x coarser scale),
 *      plus the chroma edge energy |dO1| + |dO2| per quarter (4): colour boundaries of equal luma.
 *    Group weighting: the two texture groups are soft-normalised, g / sqrt(|g|^2 + eps^2), so each
 *    weighs at most 1 whatever the contrast, and a flat patch (|g| below the noise floor eps, which
 *    JPEG and sensor noise reach: 0.02 for the DCT, 0.1 for edges) keeps them near 0 instead of
 *    blowing noise up to unit length. Colour is kept linear (its norm is 0..~1 by construction), so no
 *    group dominates. The token is then L2-normalised (LpNormalization).
 *
 * 3. Global embedding (the same width D and mostly the same space as the patch tokens):
 *    normalise(0.5 * normalise(mean of patch tokens, bias axis zeroed)
 *              + 1.0 * P * soft_normalise(C * layout) + 0.05 * e0).
 *    - The pooled patches are translation-invariant: colour distribution and texture statistics. The
 *      bias is the same in every token, so pooled it only pulls all frames together: zeroed.
 *    - layout is the coarse 4x4 spatial colour layout (AveragePool 56: 48 values, like MPEG-7's colour
 *      layout descriptor). C removes the mean luma of the 16 cells, so a global brightness change (a
 *      gain on RGB) leaves its direction unchanged; absolute brightness stays in the pooled part.
 *      It is what separates shots filmed in the same place, and what tells a photo from its mirror.
 *    - P maps the 48 layout values into R^64 with orthonormal rows of the 64x64 Sylvester-Hadamard
 *      matrix: it preserves the layout's inner products exactly and spreads each cell evenly over all
 *      D dimensions, so no patch-feature group is favoured. Its cross terms with the pooled part are
 *      the price of one width.
 *    - e0 (the bias axis, 0 in the pooled part) keeps a perfectly uniform frame, whose pooled and
 *      layout parts both vanish, at a defined unit vector.
 *    Weights were chosen on the test clip and photos (BuiltinQualityTest): a pooled weight of 1
 *    instead of 0.5 lifted the worst hard cut from 0.60 to 0.72 and cut the margin over within-shot
 *    pairs from 0.30 to 0.20; chroma gain 3 or colour weight 2 did worse. Measured: hard cuts of
 *    big_buck_bunny_0_30 at 0.62, 0.00 and 0.23, lowest within-shot pair 0.90 (margin 0.29); 64/64
 *    altered photos retrieve their original; same-position patch cosine 0.90 within shots vs 0.43
 *    across cuts. Tried and dropped: an exposure normalisation (divide by mean luma) to make fades
 *    from black smoother; it amplified the noise of near-black frames and made fades worse.
 *
 * Cost: about 10 M multiply-adds per frame (the 3x3 edge Convs at full resolution dominate); about
 * 400 frames/s per core at batch 1 on our shared 2-core machines (BuiltinBenchmarkTest).
 *
 * What it cannot do: match text to pixels. It has no language side; text queries need a CLIP-family
 * model or the OCR channel. The manifest description says so.
 */

/**
 * The built-in default vision encoder: a generated, training-free ONNX graph (fixed colour, DCT and
 * oriented-gradient kernels) and the model folder that {@code OnnxVisionEncoder} loads.
 *
 * <p>Outputs {@value #PATCH_OUTPUT} {@code [N, 196, 64]} (14 × 14 grid of 16-pixel patches, no CLS)
 * and {@value #POOLED_OUTPUT} {@code [N, 64]}, both L2-normalised. Meaningful for visual similarity
 * (deduplication, segmentation, merging, query by example image); it cannot match text to pixels.
 */
public final class BuiltinModel {
  /** Model name in the manifest. */
  public static final String NAME = "builtin";
  /** Graph version; bump when any feature, weight or output changes (it names the cache folder). */
  public static final int VERSION = 1;
  /** Width of patch tokens and of the global embedding. */
  public static final int DIM = 64;
  /** Patch rows and columns. */
  public static final int GRID = 14;
  /** Patch side in pixels. */
  public static final int PATCH = 16;
  /** Input width and height in pixels. */
  public static final int SIZE = GRID * PATCH;

  public static final String INPUT = "pixel_values";
  public static final String PATCH_OUTPUT = "patch_tokens";
  public static final String POOLED_OUTPUT = "global_embedding";
  public static final String MODEL_FILE = "model.onnx";

  /** What the manifest and the ONNX doc string say about the model, including what it cannot do. */
  public static final String DESCRIPTION = "vidctx built-in encoder v" + VERSION + ": training-free, generated "
      + "ONNX graph with fixed kernels (opponent-colour means per 8x8 quarter patch, 4x4 low-frequency DCT of "
      + "luma, oriented gradient energy at two scales; 16-pixel patches, 14x14 grid, 64 dims; global = pooled "
      + "patches + 4x4 colour layout). Good for visual similarity: deduplication, scene cuts, merging, query by "
      + "example image. It CANNOT match text to pixels: it has no language side, so text queries need a "
      + "CLIP-family model (vidctx models pull) or the OCR channel.";

  /**
   * The tunable constants of the graph (see the design comment); {@link #DEFAULT} is what ships.
   * Changing any value changes the graph: bump {@link BuiltinModel#VERSION}.
   *
   * @param chromaGain gain of O1 and O2 relative to luma
   * @param bias the constant first component of every patch token
   * @param colourWeight weight of the 12 quarter-colour values
   * @param dctWeight weight of the soft-normalised DCT group
   * @param edgeWeight weight of the soft-normalised edge-energy group
   * @param dctEps noise floor of the DCT group (coefficients in per-pixel units, orthonormal / 16)
   * @param edgeEps noise floor of the edge-energy group (mean |Sobel/4| per quarter, 36 values)
   * @param layoutEps noise floor of the centred 4x4 colour layout (48 values)
   * @param alpha weight of the normalised mean patch token in the global embedding
   * @param beta weight of the projected colour layout in the global embedding
   */
  record Features(float chromaGain, float bias, float colourWeight, float dctWeight, float edgeWeight,
      float dctEps, float edgeEps, float layoutEps, float alpha, float beta) {
    static final Features DEFAULT = new Features(2.0f, 0.5f, 1.0f, 1.0f, 1.0f, 0.02f, 0.1f, 0.05f, 0.5f, 1.0f);
  }

  /** Soft-normalisation floor of the pooled patch mean (only reached by flat, colourless frames). */
  static final float POOLED_EPS = 1e-3f;
  /** Constant added on the bias axis of the global embedding before its normalisation. */
  static final float GLOBAL_FLOOR = 0.05f;

  static final int DCT_K = 4;
  static final int COLOUR_DIMS = 12;
  static final int DCT_DIMS = DCT_K * DCT_K - 1;
  static final int EDGE_DIMS = 36;
  static final int LAYOUT_CELLS = 4;
  static final int LAYOUT_DIMS = 3 * LAYOUT_CELLS * LAYOUT_CELLS;

  private BuiltinModel() {}

  /** Builds the graph; deterministic, the same bytes on every call and machine. */
  public static OnnxModel graph() {
    return graph(Features.DEFAULT);
  }

  static OnnxModel graph(final Features f) {
    if (1 + COLOUR_DIMS + DCT_DIMS + EDGE_DIMS != DIM) {
      throw new IllegalStateException("feature groups do not add up to " + DIM);
    }
    final OnnxModel.Builder b = OnnxModel.builder("vidctx_builtin_v" + VERSION)
        .doc(DESCRIPTION)
        .metadata("vidctx.model", NAME)
        .metadata("vidctx.version", Integer.toString(VERSION))
        .metadata("vidctx.text", "none: cannot match text to pixels");
    b.input(INPUT, ElementType.FLOAT, "batch", 3, SIZE, SIZE);

    // 1. Opponent colour space, luma centred.
    final String opp = b.op("Conv", new String[] {INPUT, b.constant(Tensor.floats(opponentWeights(f.chromaGain()), 3, 3, 1, 1)),
        b.constant(Tensor.floats(new float[] {-0.5f, 0f, 0f}, 3))});
    final String luma = slice(b, opp, 0, 1);
    final String chroma = slice(b, opp, 1, 3);

    // 2a. Colour of the four 8x8 quarters of each patch: [N,3,28,28] -> [N,12,14,14].
    final String quarterColour = b.op("SpaceToDepth", new String[] {avgPool(b, opp, PATCH / 2)},
        Attribute.of("blocksize", 2L));

    // 2b. Low-frequency DCT of luma per patch: [N,15,14,14], soft-normalised.
    final String dct = b.op("Conv", new String[] {luma, b.constant(Tensor.floats(dctWeights(), DCT_DIMS, 1, PATCH, PATCH))},
        Attribute.ints("kernel_shape", PATCH, PATCH), Attribute.ints("strides", PATCH, PATCH));
    final String dctNorm = softNormalise(b, dct, f.dctEps());

    // 2c. Edge energy per quarter: fine and coarse oriented luma gradients, chroma gradient magnitude.
    final String sobel = b.constant(Tensor.floats(orientedSobel(), 4, 1, 3, 3));
    final String fine = avgPool(b, b.op("Abs", conv3x3(b, luma, sobel)), PATCH / 2);
    final String coarse = avgPool(b, b.op("Abs", conv3x3(b, avgPool(b, luma, 2), sobel)), PATCH / 4);
    final String chromaGrad = b.op("Abs", conv3x3(b, chroma, b.constant(Tensor.floats(chromaSobel(), 4, 2, 3, 3))));
    final String chromaEnergy = avgPool(b,
        b.op("ReduceSum", new String[] {chromaGrad, b.constant(Tensor.longs(new long[] {1}, 1))},
            Attribute.of("keepdims", 1L)), PATCH / 2);
    final String edges = b.op("SpaceToDepth", new String[] {b.op("Concat", new String[] {fine, coarse, chromaEnergy},
        Attribute.of("axis", 1L))}, Attribute.of("blocksize", 2L));
    final String edgeNorm = softNormalise(b, edges, f.edgeEps());

    // Weights per group, then the constant bias channel in front: [N,64,14,14].
    final String features = b.op("Mul", b.op("Concat", new String[] {quarterColour, dctNorm, edgeNorm},
        Attribute.of("axis", 1L)), b.constant(Tensor.floats(groupWeights(f), 1, DIM - 1, 1, 1)));
    final String withBias = b.op("Pad", features,
        b.constant(Tensor.longs(new long[] {0, 1, 0, 0, 0, 0, 0, 0}, 8)), b.constant(Tensor.scalar(f.bias())));
    final String grid = b.op("Reshape", withBias, b.constant(Tensor.longs(new long[] {0, DIM, GRID * GRID}, 3)));
    final String tokens = b.op("LpNormalization",
        new String[] {b.op("Transpose", new String[] {grid}, Attribute.ints("perm", 0, 2, 1))},
        Attribute.of("axis", -1L), Attribute.of("p", 2L));
    b.output(tokens, PATCH_OUTPUT, ElementType.FLOAT, "batch", GRID * GRID, DIM);

    // 3. Global: pooled patches plus the projected 4x4 colour layout.
    final String mean = b.op("ReduceMean", new String[] {tokens}, Attribute.ints("axes", 1), Attribute.of("keepdims", 0L));
    // The bias is the same in every token: pooled, it would only pull all frames together.
    final float[] keep = new float[DIM];
    Arrays.fill(keep, 1, DIM, 1f);
    final String pooled = softNormalise(b, b.op("Mul", mean, b.constant(Tensor.floats(keep, DIM))), POOLED_EPS);
    final String layout = b.op("Flatten", new String[] {avgPool(b, opp, SIZE / LAYOUT_CELLS)}, Attribute.of("axis", 1L));
    final String projected = b.op("MatMul", layout, b.constant(Tensor.floats(layoutProjection(), LAYOUT_DIMS, DIM)));
    final String layoutNorm = softNormalise(b, projected, f.layoutEps());
    // A small constant on the bias axis (0 in the pooled part) keeps a perfectly uniform frame, whose
    // pooled and layout parts are both 0, at a defined unit vector instead of 0 / 0.
    final float[] floor = new float[DIM];
    floor[0] = GLOBAL_FLOOR;
    final String mixed = b.op("Add", b.op("Add", b.op("Mul", pooled, b.constant(Tensor.scalar(f.alpha()))),
        b.op("Mul", layoutNorm, b.constant(Tensor.scalar(f.beta())))), b.constant(Tensor.floats(floor, DIM)));
    final String global = b.op("LpNormalization", new String[] {mixed}, Attribute.of("axis", -1L), Attribute.of("p", 2L));
    b.output(global, POOLED_OUTPUT, ElementType.FLOAT, "batch", DIM);
    return b.build();
  }

  /** The manifest of the model folder; {@code modelSha256} pins the graph file. */
  public static ModelManifest manifest(final String modelSha256) {
    final VisionSpec vision = new VisionSpec(MODEL_FILE, INPUT, SIZE, SIZE, ResizeMode.SHORTER_SIDE_CENTER_CROP,
        List.of(0f, 0f, 0f), List.of(1f, 1f, 1f), ChannelOrder.RGB, PATCH_OUTPUT, POOLED_OUTPUT, false, GRID, GRID,
        null, Boolean.TRUE);
    return new ModelManifest(NAME, DESCRIPTION, vision, null, Map.of(MODEL_FILE, modelSha256));
  }

  /**
   * Makes sure {@code <cacheDir>/builtin-v<VERSION>/} holds this version's {@value #MODEL_FILE} and
   * {@code vidctx-model.json}, and returns that folder. Files are rewritten only when missing or when
   * their content differs from what this code generates (a corrupted or stale file); each write goes to
   * a temporary file that is then renamed atomically, so concurrent processes (which all write the same
   * bytes) never expose a half-written file.
   *
   * @throws EncoderException when the folder cannot be created or written
   */
  public static Path ensure(final Path cacheDir) {
    final Path folder = cacheDir.resolve(NAME + "-v" + VERSION);
    final byte[] model = graph().toByteArray();
    final byte[] json = manifestJson(sha256(model));
    try {
      Files.createDirectories(folder);
      // Model first: a reader that finds the manifest finds the model it describes.
      writeIfDifferent(folder.resolve(MODEL_FILE), model);
      writeIfDifferent(folder.resolve(ModelManifest.FILE_NAME), json);
    } catch (final IOException e) {
      throw new EncoderException("cannot write the built-in model to " + folder.toAbsolutePath() + ": " + e.getMessage()
          + "; check that the model cache folder is writable", e);
    }
    return folder;
  }

  static byte[] manifestJson(final String modelSha256) {
    final ObjectMapper mapper = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    try {
      return (mapper.writeValueAsString(manifest(modelSha256)) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (final JsonProcessingException e) {
      throw new EncoderException("cannot serialise the built-in model manifest: " + e.getMessage(), e);
    }
  }

  static String sha256(final byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void writeIfDifferent(final Path file, final byte[] content) throws IOException {
    if (Files.isRegularFile(file) && Files.size(file) == content.length
        && Arrays.equals(Files.readAllBytes(file), content)) {
      return;
    }
    final Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
    try {
      Files.write(tmp, content);
      readableByAll(tmp);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (final AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Temporary files are created owner-only; a model cache is ordinary data that others may read. */
  private static void readableByAll(final Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (final UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the default permissions apply.
    }
  }

  // ---- graph helpers ----

  private static String slice(final OnnxModel.Builder b, final String x, final long from, final long to) {
    return b.op("Slice", x, b.constant(Tensor.longs(new long[] {from}, 1)), b.constant(Tensor.longs(new long[] {to}, 1)),
        b.constant(Tensor.longs(new long[] {1}, 1)));
  }

  private static String avgPool(final OnnxModel.Builder b, final String x, final long k) {
    return b.op("AveragePool", new String[] {x}, Attribute.ints("kernel_shape", k, k), Attribute.ints("strides", k, k));
  }

  private static String conv3x3(final OnnxModel.Builder b, final String x, final String w) {
    return b.op("Conv", new String[] {x, w}, Attribute.ints("kernel_shape", 3, 3), Attribute.ints("pads", 1, 1, 1, 1));
  }

  /** x / sqrt(|x|^2 + eps^2) over axis 1: at most unit length, near 0 below the noise floor eps. */
  private static String softNormalise(final OnnxModel.Builder b, final String x, final float eps) {
    final String sq = b.op("ReduceSumSquare", new String[] {x}, Attribute.ints("axes", 1), Attribute.of("keepdims", 1L));
    final String norm = b.op("Sqrt", b.op("Add", sq, b.constant(Tensor.scalar(eps * eps))));
    return b.op("Div", x, norm);
  }

  // ---- fixed weights ----

  /** [3 out, 3 in] opponent transform of RGB: Y, O1 = (R - G)/sqrt2, O2 = (R + G - 2B)/sqrt6. */
  static float[] opponentWeights(final float chromaGain) {
    final double o1 = chromaGain / StrictMath.sqrt(2);
    final double o2 = chromaGain / StrictMath.sqrt(6);
    return new float[] {
        0.299f, 0.587f, 0.114f,
        (float) o1, (float) -o1, 0f,
        (float) o2, (float) o2, (float) (-2 * o2)};
  }

  /** The 4x4 lowest orthonormal DCT-II bases of a 16x16 block, DC excluded, divided by 16. */
  static float[] dctWeights() {
    final float[] w = new float[DCT_DIMS * PATCH * PATCH];
    int k = 0;
    for (int u = 0; u < DCT_K; u++) {
      for (int v = 0; v < DCT_K; v++) {
        if (u == 0 && v == 0) {
          continue;
        }
        for (int y = 0; y < PATCH; y++) {
          for (int x = 0; x < PATCH; x++) {
            w[(k * PATCH + y) * PATCH + x] = (float) (dctBasis(u, y) * dctBasis(v, x) / PATCH);
          }
        }
        k++;
      }
    }
    return w;
  }

  private static double dctBasis(final int u, final int x) {
    final double a = u == 0 ? StrictMath.sqrt(1.0 / PATCH) : StrictMath.sqrt(2.0 / PATCH);
    return a * StrictMath.cos(StrictMath.PI * (2 * x + 1) * u / (2.0 * PATCH));
  }

  /** Sobel kernels at 0, 45, 90 and 135 degrees, divided by 4 (a unit step answers 1). */
  static float[] orientedSobel() {
    return new float[] {
        -0.25f, 0f, 0.25f, -0.5f, 0f, 0.5f, -0.25f, 0f, 0.25f,
        0f, 0.25f, 0.5f, -0.25f, 0f, 0.25f, -0.5f, -0.25f, 0f,
        -0.25f, -0.5f, -0.25f, 0f, 0f, 0f, 0.25f, 0.5f, 0.25f,
        -0.5f, -0.25f, 0f, -0.25f, 0f, 0.25f, 0f, 0.25f, 0.5f};
  }

  /** [4 out, 2 in, 3, 3]: horizontal and vertical Sobel/4 of O1, then of O2. */
  static float[] chromaSobel() {
    final float[] sobel = orientedSobel();
    final float[] w = new float[4 * 2 * 9];
    for (int c = 0; c < 2; c++) {
      for (int d = 0; d < 2; d++) {
        // direction d: 0 -> kernel 0 (0 deg), 1 -> kernel 2 (90 deg)
        System.arraycopy(sobel, d * 2 * 9, w, ((c * 2 + d) * 2 + c) * 9, 9);
      }
    }
    return w;
  }

  /** Per-channel weights of [colour 12 | dct 15 | edges 36]. */
  static float[] groupWeights(final Features f) {
    final float[] w = new float[DIM - 1];
    Arrays.fill(w, 0, COLOUR_DIMS, f.colourWeight() * 0.5f);
    Arrays.fill(w, COLOUR_DIMS, COLOUR_DIMS + DCT_DIMS, f.dctWeight());
    Arrays.fill(w, COLOUR_DIMS + DCT_DIMS, DIM - 1, f.edgeWeight());
    return w;
  }

  /**
   * [48, 64]: removes the mean luma of the 16 layout cells, then maps the 48 values onto rows 16..63
   * of the 64x64 Sylvester-Hadamard matrix (orthonormal rows, so norms and inner products of the
   * centred layout are kept).
   */
  static float[] layoutProjection() {
    final int cells = LAYOUT_CELLS * LAYOUT_CELLS;
    final double[][] centre = new double[LAYOUT_DIMS][LAYOUT_DIMS];
    for (int i = 0; i < LAYOUT_DIMS; i++) {
      centre[i][i] = 1;
    }
    for (int i = 0; i < cells; i++) {
      for (int j = 0; j < cells; j++) {
        centre[i][j] -= 1.0 / cells;
      }
    }
    final float[] a = new float[LAYOUT_DIMS * DIM];
    final double scale = 1 / StrictMath.sqrt(DIM);
    for (int k = 0; k < LAYOUT_DIMS; k++) {
      for (int j = 0; j < DIM; j++) {
        double acc = 0;
        for (int i = 0; i < LAYOUT_DIMS; i++) {
          acc += centre[k][i] * (Integer.bitCount((DIM - LAYOUT_DIMS + i) & j) % 2 == 0 ? scale : -scale);
        }
        a[k * DIM + j] = (float) acc;
      }
    }
    return a;
  }
}
