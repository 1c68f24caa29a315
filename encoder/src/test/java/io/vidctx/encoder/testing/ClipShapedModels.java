package io.vidctx.encoder.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.onnxwriter.Attribute;
import io.vidctx.encoder.onnxwriter.ElementType;
import io.vidctx.encoder.onnxwriter.OnnxModel;
import io.vidctx.encoder.onnxwriter.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Small ONNX vision models shaped like real CLIP exports, generated with fixed random weights, each
 * written with its {@code vidctx-model.json} into a folder that {@code OnnxVisionEncoder.open} loads
 * exactly like a downloaded model.
 *
 * <p>The graph mirrors a Hugging Face {@code CLIPVisionModelWithProjection} export: input {@code
 * pixel_values [batch, 3, H, W]}; patch embedding as a Conv with kernel = stride = patch size and no
 * bias; flatten + transpose to {@code [N, T, D]}; a class token expanded to the batch
 * (Shape → Concat → Expand, as the exporter writes it) and prepended; position embedding;
 * pre-LayerNorm; pre-norm transformer blocks (multi-head self-attention and an erf-GELU MLP); output
 * {@code last_hidden_state [N, T + 1, D]}; the CLS row through post-LayerNorm and a bias-free
 * projection to {@code image_embeds [N, E]}. The projection matrix is also written as {@code
 * visual_projection.bin} (float32 LE {@code [D, E]}) so the manifest can project patch tokens into
 * the same space.
 *
 * <p>Stateless; every method is a pure function of its arguments (the weights come from a seeded
 * {@link Random}), so the same spec always gives the same bytes.
 */
public final class ClipShapedModels {
  public static final String INPUT = "pixel_values";
  public static final String PATCHES = "last_hidden_state";
  public static final String POOLED = "image_embeds";
  public static final String MODEL_FILE = "visual.onnx";
  public static final String PROJECTION_FILE = "visual_projection.bin";
  /** OpenAI CLIP's preprocessing constants. */
  public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ClipShapedModels() {}

  /** Which outputs a generated model has. */
  public enum Outputs {
    /** {@code last_hidden_state} and {@code image_embeds}, like CLIPVisionModelWithProjection. */
    PATCHES_AND_POOLED,
    /** Only {@code image_embeds} (an OpenCLIP {@code encode_image} export). */
    POOLED_ONLY,
    /** Only {@code last_hidden_state} (a DINOv2-style backbone; pooled = mean of patches). */
    PATCHES_ONLY
  }

  /**
   * The shape of a generated model.
   *
   * @param width input width
   * @param height input height
   * @param patch patch size (divides width and height)
   * @param dim D, the transformer width
   * @param embedDim E, the projection width
   * @param layers transformer blocks
   * @param heads attention heads (divides dim)
   * @param outputs which outputs exist
   * @param inputType element type of {@code pixel_values} (FLOAT for a valid model; FLOAT16 makes a
   *     model with the wrong dtype, cast to float inside)
   * @param fixedBatch 0 for a symbolic batch dimension, else the fixed batch size
   * @param symbolicTokens declare the token axis of {@code last_hidden_state} symbolic, as
   *     Hugging Face exports do
   * @param seed weight seed
   */
  public record Spec(
      int width, int height, int patch, int dim, int embedDim, int layers, int heads, Outputs outputs,
      ElementType inputType, int fixedBatch, boolean symbolicTokens, long seed) {

    public Spec {
      if (width % patch != 0 || height % patch != 0) {
        throw new IllegalArgumentException("patch " + patch + " must divide " + width + "x" + height);
      }
      if (dim % heads != 0) {
        throw new IllegalArgumentException(heads + " heads must divide dim " + dim);
      }
    }

    /** A 48x32 input, 8-pixel patches (a 4x6 grid + CLS), D = 16, E = 8, one block: milliseconds to run. */
    public static Spec tiny() {
      return new Spec(48, 32, 8, 16, 8, 1, 2, Outputs.PATCHES_AND_POOLED, ElementType.FLOAT, 0, false, 42);
    }

    /** ViT-S/16 sizes: 224x224, 14x14 patches + CLS, D = 384, 6 heads, E = 512, {@code layers} blocks. */
    public static Spec vitSmall(final int layers) {
      return new Spec(224, 224, 16, 384, 512, layers, 6, Outputs.PATCHES_AND_POOLED, ElementType.FLOAT, 0, false, 7);
    }

    public int gridW() {
      return width / patch;
    }

    public int gridH() {
      return height / patch;
    }

    public Spec withOutputs(final Outputs o) {
      return new Spec(width, height, patch, dim, embedDim, layers, heads, o, inputType, fixedBatch, symbolicTokens, seed);
    }

    public Spec withInputType(final ElementType t) {
      return new Spec(width, height, patch, dim, embedDim, layers, heads, outputs, t, fixedBatch, symbolicTokens, seed);
    }

    public Spec withFixedBatch(final int n) {
      return new Spec(width, height, patch, dim, embedDim, layers, heads, outputs, inputType, n, symbolicTokens, seed);
    }

    public Spec withSymbolicTokens(final boolean s) {
      return new Spec(width, height, patch, dim, embedDim, layers, heads, outputs, inputType, fixedBatch, s, seed);
    }

    public Spec withSeed(final long s) {
      return new Spec(width, height, patch, dim, embedDim, layers, heads, outputs, inputType, fixedBatch, symbolicTokens, s);
    }
  }

  /**
   * A written model folder.
   *
   * @param dir the folder
   * @param model the ONNX file
   * @param manifest the vidctx-model.json written
   * @param json the manifest's content, a copy to change and rewrite with {@link #writeManifest}
   */
  public record Written(Path dir, Path model, Path manifest, ObjectNode json) {
    @Override
    public ObjectNode json() {
      return json.deepCopy();
    }

    /** Replaces the folder's manifest. */
    public Path writeManifest(final ObjectNode content) {
      return ClipShapedModels.writeManifest(dir, content);
    }
  }

  /** Writes the model, its projection matrix and its manifest into {@code dir}. */
  public static Written write(final Path dir, final Spec spec) {
    final Weights w = new Weights(spec);
    final Path model = build(spec, w).write(dir.resolve(MODEL_FILE));
    writeFloats(dir.resolve(PROJECTION_FILE), w.projection);
    final ObjectNode json = manifest(spec);
    return new Written(dir, model, writeManifest(dir, json), json);
  }

  /** The manifest that describes a model of this spec written by {@link #write}. */
  public static ObjectNode manifest(final Spec spec) {
    final ObjectNode root = JSON.createObjectNode();
    root.put("name", "clip-shaped-test-" + spec.width() + "x" + spec.height() + "-d" + spec.dim());
    root.put("description", "generated by vidctx tests: CLIP-shaped graph, random weights");
    final ObjectNode v = root.putObject("vision");
    v.put("file", MODEL_FILE);
    v.put("input", INPUT);
    v.put("width", spec.width());
    v.put("height", spec.height());
    v.put("resize", "shorter_side_center_crop");
    final ArrayNode mean = v.putArray("mean");
    final ArrayNode std = v.putArray("std");
    for (int c = 0; c < 3; c++) {
      mean.add(CLIP_MEAN[c]);
      std.add(CLIP_STD[c]);
    }
    v.put("channels", "rgb");
    if (spec.outputs() != Outputs.POOLED_ONLY) {
      v.put("patch_output", PATCHES);
      v.put("cls_token", true);
      v.put("grid_h", spec.gridH());
      v.put("grid_w", spec.gridW());
    }
    if (spec.outputs() != Outputs.PATCHES_ONLY) {
      v.put("pooled_output", POOLED);
    }
    if (spec.outputs() == Outputs.PATCHES_AND_POOLED) {
      // Patch tokens are D wide, image_embeds E wide: CLIP's visual projection maps the former
      // into the latter's space.
      v.put("projection", PROJECTION_FILE);
    }
    v.put("normalize", true);
    return root;
  }

  /** Writes {@code content} as the folder's {@value ModelManifest#FILE_NAME}. */
  public static Path writeManifest(final Path dir, final ObjectNode content) {
    try {
      Files.createDirectories(dir);
      final Path file = dir.resolve(ModelManifest.FILE_NAME);
      JSON.writeValue(file.toFile(), content);
      return file;
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The generated graph. */
  public static OnnxModel build(final Spec spec) {
    return build(spec, new Weights(spec));
  }

  /** The {@code [D, E]} projection of a spec (the same matrix the graph applies to the CLS row). */
  public static float[] projection(final Spec spec) {
    return new Weights(spec).projection.clone();
  }

  private static OnnxModel build(final Spec s, final Weights w) {
    final int d = s.dim();
    final int tokens = s.gridH() * s.gridW() + 1;
    final Object batch = s.fixedBatch() > 0 ? (Object) s.fixedBatch() : "batch_size";
    final OnnxModel.Builder b = OnnxModel.builder("clip_vision").producer("vidctx-tests");
    b.input(INPUT, s.inputType(), batch, 3, s.height(), s.width());
    String x = INPUT;
    if (s.inputType() != ElementType.FLOAT) {
      x = b.op("Cast", new String[] {x}, Attribute.of("to", (long) ElementType.FLOAT.code()));
    }
    // Patch embedding: Conv kernel = stride = patch, no bias (CLIPVisionEmbeddings.patch_embedding).
    final String conv = b.op("Conv", new String[] {x, b.constant(Tensor.floats(w.conv, d, 3, s.patch(), s.patch()))},
        Attribute.ints("kernel_shape", s.patch(), s.patch()), Attribute.ints("strides", s.patch(), s.patch()));
    final String flat = b.op("Reshape", conv, b.constant(Tensor.longs(new long[] {0, d, -1}, 3)));
    final String patches = b.op("Transpose", new String[] {flat}, Attribute.ints("perm", 0, 2, 1));
    // Class token expanded to the batch: Shape(x)[0:1] ++ [1, D].
    final String n = b.op("Shape", new String[] {x}, Attribute.of("start", 0L), Attribute.of("end", 1L));
    final String clsShape = b.op("Concat", new String[] {n, b.constant(Tensor.longs(new long[] {1, d}, 2))},
        Attribute.of("axis", 0L));
    final String cls = b.op("Expand", b.constant(Tensor.floats(w.cls, 1, 1, d)), clsShape);
    final String seq = b.op("Concat", new String[] {cls, patches}, Attribute.of("axis", 1L));
    String h = b.op("Add", seq, b.constant(Tensor.floats(w.position, 1, tokens, d)));
    h = layerNorm(b, h, w.next(d, 0.1f, 1f), w.next(d, 0.1f, 0f));
    final int dh = d / s.heads();
    for (int l = 0; l < s.layers(); l++) {
      // Attention block (pre-norm).
      final String a = layerNorm(b, h, w.next(d, 0.1f, 1f), w.next(d, 0.1f, 0f));
      final String q = heads(b, dense(b, a, w.matrix(d, d), w.next(d, 0.02f, 0f), d, d), s.heads(), dh, false);
      final String k = heads(b, dense(b, a, w.matrix(d, d), w.next(d, 0.02f, 0f), d, d), s.heads(), dh, true);
      final String v = heads(b, dense(b, a, w.matrix(d, d), w.next(d, 0.02f, 0f), d, d), s.heads(), dh, false);
      final String scores = b.op("Mul", b.op("MatMul", q, k), b.constant(Tensor.scalar((float) (1 / Math.sqrt(dh)))));
      final String probs = b.op("Softmax", new String[] {scores}, Attribute.of("axis", -1L));
      final String ctx = b.op("Transpose", new String[] {b.op("MatMul", probs, v)}, Attribute.ints("perm", 0, 2, 1, 3));
      final String merged = b.op("Reshape", ctx, b.constant(Tensor.longs(new long[] {0, 0, d}, 3)));
      h = b.op("Add", h, dense(b, merged, w.matrix(d, d), w.next(d, 0.02f, 0f), d, d));
      // MLP block: erf GELU, which ONNX Runtime fuses into one kernel.
      final String m = layerNorm(b, h, w.next(d, 0.1f, 1f), w.next(d, 0.1f, 0f));
      final String up = dense(b, m, w.matrix(d, 4 * d), w.next(4 * d, 0.02f, 0f), d, 4 * d);
      final String erf = b.op("Erf", b.op("Mul", up, b.constant(Tensor.scalar((float) (1 / Math.sqrt(2))))));
      final String gelu = b.op("Mul", b.op("Mul", up, b.op("Add", erf, b.constant(Tensor.scalar(1f)))),
          b.constant(Tensor.scalar(0.5f)));
      h = b.op("Add", h, dense(b, gelu, w.matrix(4 * d, d), w.next(d, 0.02f, 0f), 4 * d, d));
    }
    if (s.outputs() != Outputs.POOLED_ONLY) {
      b.output(h, PATCHES, ElementType.FLOAT, batch, s.symbolicTokens() ? "sequence_length" : tokens, d);
    }
    if (s.outputs() != Outputs.PATCHES_ONLY) {
      final String first = b.op("Gather", new String[] {h, b.constant(Tensor.longs(new long[] {0}))},
          Attribute.of("axis", 1L));
      final String post = layerNorm(b, first, w.next(d, 0.1f, 1f), w.next(d, 0.1f, 0f));
      final String emb = b.op("MatMul", post, b.constant(Tensor.floats(w.projection, d, s.embedDim())));
      b.output(emb, POOLED, ElementType.FLOAT, batch, s.embedDim());
    }
    return b.build();
  }

  private static String layerNorm(final OnnxModel.Builder b, final String x, final float[] gamma, final float[] beta) {
    return b.op("LayerNormalization",
        new String[] {x, b.constant(Tensor.floats(gamma, gamma.length)), b.constant(Tensor.floats(beta, beta.length))},
        Attribute.of("axis", -1L), Attribute.of("epsilon", 1e-5f));
  }

  private static String dense(
      final OnnxModel.Builder b, final String x, final float[] weight, final float[] bias, final int in, final int out) {
    return b.op("Add", b.op("MatMul", x, b.constant(Tensor.floats(weight, in, out))),
        b.constant(Tensor.floats(bias, out)));
  }

  /** [N, S, D] to [N, heads, S, dh], or [N, heads, dh, S] for keys (already transposed for Q·Kᵀ). */
  private static String heads(
      final OnnxModel.Builder b, final String x, final int heads, final int dh, final boolean keys) {
    final String split = b.op("Reshape", x, b.constant(Tensor.longs(new long[] {0, 0, heads, dh}, 4)));
    return keys
        ? b.op("Transpose", new String[] {split}, Attribute.ints("perm", 0, 2, 3, 1))
        : b.op("Transpose", new String[] {split}, Attribute.ints("perm", 0, 2, 1, 3));
  }

  private static void writeFloats(final Path file, final float[] values) {
    final ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, bytes.array());
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Seeded weights; drawn in graph order for the per-layer ones, so a spec always gives the same model. */
  private static final class Weights {
    final float[] conv;
    final float[] cls;
    final float[] position;
    final float[] projection;
    private final Random random;

    Weights(final Spec s) {
      this.random = new Random(s.seed());
      final int d = s.dim();
      final int fanIn = 3 * s.patch() * s.patch();
      // Scaled so normalised pixels give unit-variance patch embeddings.
      this.conv = gaussian(d * fanIn, (float) (1 / Math.sqrt(fanIn)), 0f);
      this.cls = gaussian(d, 1f, 0f);
      this.position = gaussian((s.gridH() * s.gridW() + 1) * d, 0.5f, 0f);
      this.projection = gaussian(d * s.embedDim(), (float) (1 / Math.sqrt(d)), 0f);
    }

    float[] next(final int n, final float std, final float mean) {
      return gaussian(n, std, mean);
    }

    float[] matrix(final int in, final int out) {
      return gaussian(in * out, (float) (1 / Math.sqrt(in)), 0f);
    }

    private float[] gaussian(final int n, final float std, final float mean) {
      final float[] a = new float[n];
      for (int i = 0; i < n; i++) {
        a[i] = mean + std * (float) random.nextGaussian();
      }
      return a;
    }
  }
}
