package io.vidctx.encoder.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vidctx.encoder.manifest.IdType;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.PadMode;
import io.vidctx.encoder.onnxwriter.Attribute;
import io.vidctx.encoder.onnxwriter.ElementType;
import io.vidctx.encoder.onnxwriter.OnnxModel;
import io.vidctx.encoder.onnxwriter.Tensor;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Small CLIP-shaped text towers for tests, since no pretrained CLIP weights can be downloaded here.
 * Inputs, outputs, names and element types are those of real exports (Hugging Face {@code
 * CLIPTextModelWithProjection}, OpenCLIP): {@code input_ids [batch, 77]} int64 (or int32), an
 * optional {@code attention_mask [batch, 77]} int64, outputs {@code text_embeds [batch, E]} and
 * {@code last_hidden_state [batch, 77, D]}; only the widths are small.
 *
 * <p>The graph follows CLIP's data flow: token embedding Gather from a {@code [49408, D]} table, plus
 * a position embedding; positions masked by the attention mask; a causal running mean standing in
 * for causal self-attention (position t sees positions 0..t, so the pooled token depends on every
 * word); LayerNorm; pooling at the arg-max of the ids (the first EOT, ids cast to int32 as the Hugging
 * Face export does for ArgMax); projection MatMul. {@link Tower#reference} recomputes it in Java from
 * the same seeded weights.
 */
public final class ClipTextModels {
  /** The token-table rows of every CLIP text tower. */
  public static final int VOCAB = 49_408;

  private ClipTextModels() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Options of a generated tower; defaults: int64 ids, no mask, 77 slots, D 32, E 24, zero padding. */
  public static final class Builder {
    private IdType idType = IdType.INT64;
    private boolean attentionMask;
    private int contextLength = 77;
    private int width = 32;
    private int embedDim = 24;
    private long seed = 42;
    private PadMode pad = PadMode.ZERO;
    private boolean normalize = true;

    private Builder() {}

    public Builder idType(final IdType t) {
      this.idType = t;
      return this;
    }

    public Builder attentionMask(final boolean on) {
      this.attentionMask = on;
      return this;
    }

    public Builder contextLength(final int n) {
      this.contextLength = n;
      return this;
    }

    public Builder width(final int d) {
      this.width = d;
      return this;
    }

    public Builder embedDim(final int e) {
      this.embedDim = e;
      return this;
    }

    public Builder seed(final long s) {
      this.seed = s;
      return this;
    }

    public Builder pad(final PadMode p) {
      this.pad = p;
      return this;
    }

    public Builder normalize(final boolean on) {
      this.normalize = on;
      return this;
    }

    /**
     * Writes {@code textual.onnx} and a {@code vidctx-model.json} whose text section matches it (the
     * vocabulary is the shared CLIP merges file, by absolute path) into {@code target/test-work/NAME}.
     */
    public Tower write(final String name) {
      final Path folder = SharedData.work("clip-text-models").resolve(name);
      final Weights w = Weights.random(seed, contextLength, width, embedDim);
      final Path model = graph(w).build().write(folder.resolve("textual.onnx"));
      final Tower tower = new Tower(folder, model, w, idType, attentionMask, contextLength, pad, normalize);
      tower.writeManifest(Map.of());
      return tower;
    }

    private OnnxModel.Builder graph(final Weights w) {
      final int ctx = contextLength;
      final OnnxModel.Builder b = OnnxModel.builder("clip_text_tiny").producer("vidctx-tests")
          .doc("CLIP-shaped text tower with random weights (tests only)");
      b.input("input_ids", idType == IdType.INT32 ? ElementType.INT32 : ElementType.INT64, "batch", ctx);
      if (attentionMask) {
        b.input("attention_mask", ElementType.INT64, "batch", ctx);
      }
      final String tok = b.op("Gather", new String[] {b.constant(Tensor.floats(w.token, VOCAB, width)), "input_ids"},
          Attribute.of("axis", 0L));
      String h = b.op("Add", tok, b.constant(Tensor.floats(w.position, ctx, width)));
      if (attentionMask) {
        final String maskF = b.op("Cast", new String[] {"attention_mask"}, Attribute.of("to", (long) ElementType.FLOAT.code()));
        final String mask3 = b.op("Unsqueeze", maskF, b.constant(Tensor.longs(new long[] {2}, 1)));
        h = b.op("Mul", h, mask3);
      }
      final String mixed = b.op("MatMul", b.constant(Tensor.floats(causalMean(ctx), ctx, ctx)), h);
      final String x = b.op("Add", h, mixed);
      final String ln = b.op("LayerNormalization",
          new String[] {x, b.constant(Tensor.floats(w.gamma, width)), b.constant(Tensor.floats(w.beta, width))},
          Attribute.of("axis", -1L), Attribute.of("epsilon", 1e-5f));
      b.output(ln, "last_hidden_state", ElementType.FLOAT, "batch", ctx, width);
      final String ids32 = b.op("Cast", new String[] {"input_ids"}, Attribute.of("to", (long) ElementType.INT32.code()));
      final String eot = b.op("ArgMax", new String[] {ids32}, Attribute.of("axis", 1L), Attribute.of("keepdims", 1L));
      final String pooled = b.op("GatherND", new String[] {ln, eot}, Attribute.of("batch_dims", 1L));
      final String proj = b.op("MatMul", pooled, b.constant(Tensor.floats(w.projection, width, embedDim)));
      b.output(proj, "text_embeds", ElementType.FLOAT, "batch", embedDim);
      return b;
    }
  }

  /** Row t averages rows 0..t: {@code M[t][s] = 1 / (t + 1)} for s <= t. */
  static float[] causalMean(final int ctx) {
    final float[] m = new float[ctx * ctx];
    for (int t = 0; t < ctx; t++) {
      for (int s = 0; s <= t; s++) {
        m[t * ctx + s] = 1f / (t + 1);
      }
    }
    return m;
  }

  /** Seeded weights; flat row-major arrays. */
  static final class Weights {
    final int ctx;
    final int width;
    final int embedDim;
    final float[] token;
    final float[] position;
    final float[] gamma;
    final float[] beta;
    final float[] projection;

    private Weights(final int ctx, final int width, final int embedDim, final Random r) {
      this.ctx = ctx;
      this.width = width;
      this.embedDim = embedDim;
      this.token = gaussian(r, VOCAB * width, 1f, 0f);
      this.position = gaussian(r, ctx * width, 0.1f, 0f);
      this.gamma = gaussian(r, width, 0.1f, 1f);
      this.beta = gaussian(r, width, 0.1f, 0f);
      this.projection = gaussian(r, width * embedDim, (float) (1 / Math.sqrt(width)), 0f);
    }

    static Weights random(final long seed, final int ctx, final int width, final int embedDim) {
      return new Weights(ctx, width, embedDim, new Random(seed));
    }

    private static float[] gaussian(final Random r, final int n, final float scale, final float offset) {
      final float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = offset + scale * (float) r.nextGaussian();
      }
      return v;
    }
  }

  /** A generated model folder. */
  public static final class Tower {
    private final Path folder;
    private final Path model;
    private final Weights w;
    private final IdType idType;
    private final boolean attentionMask;
    private final int contextLength;
    private final PadMode pad;
    private final boolean normalize;

    Tower(final Path folder, final Path model, final Weights w, final IdType idType, final boolean attentionMask,
        final int contextLength, final PadMode pad, final boolean normalize) {
      this.folder = folder;
      this.model = model;
      this.w = w;
      this.idType = idType;
      this.attentionMask = attentionMask;
      this.contextLength = contextLength;
      this.pad = pad;
      this.normalize = normalize;
    }

    public Path folder() {
      return folder;
    }

    public Path model() {
      return model;
    }

    public Path manifest() {
      return folder.resolve(ModelManifest.FILE_NAME);
    }

    public int embedDim() {
      return w.embedDim;
    }

    /** The shared CLIP merges file. */
    public static Path vocab() {
      return SharedData.model("clip-bpe-vocab/bpe_simple_vocab_16e6.txt.gz");
    }

    /**
     * (Re)writes the manifest: the text section matching the model, with {@code overrides} applied
     * (a null value removes the key), so tests can describe the model wrongly on purpose.
     */
    public Path writeManifest(final Map<String, Object> overrides) {
      final Map<String, Object> text = new LinkedHashMap<>();
      text.put("file", model.getFileName().toString());
      text.put("input_ids", "input_ids");
      text.put("id_type", idType == IdType.INT32 ? "int32" : "int64");
      if (attentionMask) {
        text.put("attention_mask", "attention_mask");
      }
      text.put("output", "text_embeds");
      text.put("context_length", contextLength);
      text.put("pad", pad == PadMode.EOT ? "eot" : "zero");
      text.put("vocab", vocab().toAbsolutePath().toString());
      text.put("normalize", normalize);
      for (final Map.Entry<String, Object> e : overrides.entrySet()) {
        if (e.getValue() == null) {
          text.remove(e.getKey());
        } else {
          text.put(e.getKey(), e.getValue());
        }
      }
      final Map<String, Object> root = new LinkedHashMap<>();
      root.put("name", "clip-text-tiny");
      root.put("description", "generated CLIP-shaped text tower with random weights, tests only");
      root.put("text", text);
      try {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(manifest().toFile(), root);
      } catch (final IOException e) {
        throw new UncheckedIOException(e);
      }
      return manifest();
    }

    /**
     * The model's {@code text_embeds} for one padded id row and its mask (all ones when the model
     * has no mask input), recomputed in Java; not normalised.
     */
    public float[] reference(final int[] ids, final int[] mask) {
      final int d = w.width;
      final int ctx = w.ctx;
      final float[][] h = new float[ctx][d];
      int eot = 0;
      for (int t = 0; t < ctx; t++) {
        final float m = attentionMask ? mask[t] : 1f;
        for (int j = 0; j < d; j++) {
          h[t][j] = (w.token[ids[t] * d + j] + w.position[t * d + j]) * m;
        }
        if (ids[t] > ids[eot]) {
          eot = t;
        }
      }
      final float[] x = new float[d];
      for (int j = 0; j < d; j++) {
        double sum = 0;
        for (int s = 0; s <= eot; s++) {
          sum += h[s][j];
        }
        x[j] = h[eot][j] + (float) (sum / (eot + 1));
      }
      double mean = 0;
      for (final float v : x) {
        mean += v;
      }
      mean /= d;
      double var = 0;
      for (final float v : x) {
        var += (v - mean) * (v - mean);
      }
      var /= d;
      final float[] ln = new float[d];
      for (int j = 0; j < d; j++) {
        ln[j] = (float) ((x[j] - mean) / Math.sqrt(var + 1e-5)) * w.gamma[j] + w.beta[j];
      }
      final float[] out = new float[w.embedDim];
      for (int e = 0; e < w.embedDim; e++) {
        double acc = 0;
        for (int j = 0; j < d; j++) {
          acc += ln[j] * w.projection[j * w.embedDim + e];
        }
        out[e] = (float) acc;
      }
      return out;
    }
  }
}
