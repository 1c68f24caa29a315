package io.vidctx.encoder.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.vidctx.encoder.Device;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.TextEncoder;
import io.vidctx.encoder.manifest.IdType;
import io.vidctx.encoder.manifest.Manifests;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.TextSpec;
import io.vidctx.encoder.text.ClipTokenizer;
import io.vidctx.encoder.text.TokenBatch;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * A CLIP-family text tower run by ONNX Runtime, driven by the {@code text} section of a model
 * manifest: the {@link ClipTokenizer} turns texts into padded ids (and the attention mask when the
 * model takes one), the model maps them to {@code [N, E]} embeddings, L2-normalised when the
 * manifest says so.
 *
 * <p>The model's signature is checked when the encoder opens, so a manifest that does not match its
 * ONNX file fails at once with the model's real input and output names instead of on the first
 * query. Thread-safe: ONNX Runtime sessions accept concurrent runs, and a read-write lock lets
 * {@link #close()} wait for calls in flight.
 */
public final class OnnxTextEncoder implements TextEncoder {
  private final Path modelFile;
  private final TextSpec spec;
  private final ClipTokenizer tokenizer;
  private final OrtSessions.Opened opened;
  private final @Nullable OnnxJavaType maskType;
  private final int batchSize;
  private final int dim;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private OnnxTextEncoder(final Path modelFile, final TextSpec spec, final ClipTokenizer tokenizer,
      final OrtSessions.Opened opened, final RuntimeOptions options) {
    this.modelFile = modelFile;
    this.spec = spec;
    this.tokenizer = tokenizer;
    this.opened = opened;
    this.batchSize = options.batchSize();
    final Signature sig = checkSignature(opened.session(), spec, modelFile);
    this.maskType = sig.maskType();
    this.dim = sig.dim() > 0 ? sig.dim() : probeDim();
  }

  /**
   * Opens the text side of a model folder.
   *
   * @param modelDirOrManifest a folder holding {@code vidctx-model.json}, or that file
   * @throws EncoderException when the manifest, vocabulary or model is missing or they do not match
   */
  public static OnnxTextEncoder open(final Path modelDirOrManifest, final RuntimeOptions options) {
    return open(Manifests.locate(modelDirOrManifest), options);
  }

  /**
   * Opens the text side of an already parsed manifest.
   *
   * @param folder the folder that the manifest's relative paths are resolved against
   */
  public static OnnxTextEncoder open(final ModelManifest manifest, final Path folder, final RuntimeOptions options) {
    return open(new Manifests.Located(folder.resolve(ModelManifest.FILE_NAME), manifest), options);
  }

  private static OnnxTextEncoder open(final Manifests.Located located, final RuntimeOptions options) {
    final TextSpec spec = located.text();
    // The vocabulary first: it is cheap to load and a wrong path should not wait for the model.
    final ClipTokenizer tokenizer = ClipTokenizer.load(located.resolve(spec.vocab()));
    final Path modelFile = located.resolve(spec.file());
    final OrtSessions.Opened opened = OrtSessions.open(modelFile, options);
    try {
      return new OnnxTextEncoder(modelFile.toAbsolutePath(), spec, tokenizer, opened, options);
    } catch (final RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  @Override
  public float[][] embed(final List<String> texts) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("text encoder for " + modelFile + " is closed");
      }
      final float[][] out = new float[texts.size()][];
      for (int start = 0; start < texts.size(); start += batchSize) {
        final int end = Math.min(texts.size(), start + batchSize);
        run(texts.subList(start, end), out, start);
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public int dim() {
    return dim;
  }

  /** The tokenizer this encoder feeds the model with. */
  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  /** Where the session actually runs (CPU after a CUDA fallback). */
  public Device device() {
    return opened.device();
  }

  /** Waits for calls in flight, then releases the session and its options; idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        opened.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void run(final List<String> texts, final float[][] out, final int offset) {
    final int n = texts.size();
    final int ctx = spec.contextLength();
    final TokenBatch batch = tokenizer.encodeBatch(texts, ctx, spec.pad());
    final long[] shape = {n, ctx};
    final OrtEnvironment env = OrtSessions.environment();
    final String mask = spec.attentionMask();
    try (OnnxTensor ids = intTensor(env, batch.ids(), spec.idType() == IdType.INT32 ? OnnxJavaType.INT32 : OnnxJavaType.INT64,
            shape);
        OnnxTensor m = mask == null ? null : intTensor(env, batch.mask(), maskType, shape)) {
      final Map<String, OnnxTensor> inputs = new HashMap<>(4);
      inputs.put(spec.inputIds(), ids);
      if (mask != null) {
        inputs.put(mask, m);
      }
      try (OrtSession.Result r = opened.session().run(inputs)) {
        final OnnxValue v = r.get(spec.output()).orElseThrow(
            () -> new EncoderException("text model " + modelFile + " returned no output '" + spec.output() + "'"));
        copyRows((OnnxTensor) v, n, out, offset);
      }
    } catch (final OrtException e) {
      throw new EncoderException("text model " + modelFile + " failed on a batch of " + n + " texts: " + e.getMessage(), e);
    }
  }

  private void copyRows(final OnnxTensor t, final int n, final float[][] out, final int offset) {
    final long[] s = t.getInfo().getShape();
    if (s.length != 2 || s[0] != n || (dim > 0 && s[1] != dim)) {
      throw new EncoderException("text model " + modelFile + ": output '" + spec.output() + "' has shape "
          + Arrays.toString(s) + ", expected [" + n + ", " + (dim > 0 ? dim : "E") + "]");
    }
    final int width = (int) s[1];
    final FloatBuffer fb = t.getFloatBuffer();
    for (int i = 0; i < n; i++) {
      final float[] row = new float[width];
      fb.get(row);
      if (spec.normalize()) {
        normalize(row);
      }
      out[offset + i] = row;
    }
  }

  /** The output width when the model declares it symbolic: one run on an empty text. */
  private int probeDim() {
    final float[][] out = new float[1][];
    run(List.of(""), out, 0);
    return out[0].length;
  }

  private static OnnxTensor intTensor(final OrtEnvironment env, final int[] values, final @Nullable OnnxJavaType type,
      final long[] shape) throws OrtException {
    if (type == OnnxJavaType.INT32) {
      return OnnxTensor.createTensor(env, IntBuffer.wrap(values), shape);
    }
    final long[] wide = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return OnnxTensor.createTensor(env, LongBuffer.wrap(wide), shape);
  }

  static void normalize(final float[] v) {
    double sum = 0;
    for (final float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      final float inv = (float) (1.0 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
  }

  /** What construction learned from the model: the mask's element type and the output width (-1 symbolic). */
  record Signature(@Nullable OnnxJavaType maskType, int dim) {}

  /**
   * Checks the model against the manifest: ids input present, integer type as {@code id_type}, rank
   * 2 with {@code context_length} slots (when fixed); the attention mask present iff named; no other
   * inputs; output present, float32, rank 2.
   */
  static Signature checkSignature(final OrtSession session, final TextSpec spec, final Path modelFile) {
    final Map<String, NodeInfo> inputs;
    final Map<String, NodeInfo> outputs;
    try {
      inputs = session.getInputInfo();
      outputs = session.getOutputInfo();
    } catch (final OrtException e) {
      throw new EncoderException("cannot read the signature of text model " + modelFile + ": " + e.getMessage(), e);
    }
    final String names = " (model inputs: " + OrtSignatures.describe(inputs) + "; outputs: " + OrtSignatures.describe(outputs) + ")";
    final String where = "text model " + modelFile + ": ";

    final TensorInfo ids = tensor(inputs, spec.inputIds(), where + "no input '" + spec.inputIds()
        + "' (manifest text.input_ids)" + names, where);
    final OnnxJavaType wantIds = spec.idType() == IdType.INT32 ? OnnxJavaType.INT32 : OnnxJavaType.INT64;
    if (ids.type != wantIds) {
      throw new EncoderException(where + "input '" + spec.inputIds() + "' is " + OrtSignatures.typeName(ids) + ", the manifest's id_type is "
          + spec.idType().name().toLowerCase(Locale.ROOT) + "; set text.id_type to match" + names);
    }
    checkTokenShape(ids, spec.inputIds(), spec.contextLength(), where, names);

    OnnxJavaType maskType = null;
    final String mask = spec.attentionMask();
    if (mask != null) {
      final TensorInfo m = tensor(inputs, mask, where + "the manifest names attention mask '" + mask
          + "' but the model has no such input; remove text.attention_mask or fix the name" + names, where);
      if (m.type != OnnxJavaType.INT64 && m.type != OnnxJavaType.INT32) {
        throw new EncoderException(where + "attention mask '" + mask + "' is " + OrtSignatures.typeName(m) + ", expected int64 or int32" + names);
      }
      checkTokenShape(m, mask, spec.contextLength(), where, names);
      maskType = m.type;
    }
    final Set<String> unfed = new TreeSet<>(inputs.keySet());
    unfed.remove(spec.inputIds());
    if (mask != null) {
      unfed.remove(mask);
    }
    if (!unfed.isEmpty()) {
      throw new EncoderException(where + "inputs " + unfed + " are not named by the manifest; a text tower takes token ids"
          + " (text.input_ids) and optionally an attention mask (text.attention_mask)" + names);
    }

    final TensorInfo out = tensor(outputs, spec.output(), where + "no output '" + spec.output()
        + "' (manifest text.output)" + names, where);
    if (out.type != OnnxJavaType.FLOAT) {
      throw new EncoderException(where + "output '" + spec.output() + "' is " + OrtSignatures.typeName(out) + ", expected float32" + names);
    }
    final long[] os = out.getShape();
    if (os.length != 2) {
      throw new EncoderException(where + "output '" + spec.output() + "' has shape " + Arrays.toString(os)
          + ", expected rank 2 [batch, embedding]; name the pooled, projected output (e.g. text_embeds)" + names);
    }
    return new Signature(maskType, os[1] > 0 ? (int) os[1] : -1);
  }

  private static void checkTokenShape(final TensorInfo info, final String name, final int ctx, final String where,
      final String names) {
    final long[] s = info.getShape();
    if (s.length != 2) {
      throw new EncoderException(where + "input '" + name + "' has shape " + Arrays.toString(s)
          + ", expected rank 2 [batch, " + ctx + "]" + names);
    }
    if (s[1] > 0 && s[1] != ctx) {
      throw new EncoderException(where + "input '" + name + "' takes " + s[1] + " tokens per text, the manifest's"
          + " context_length is " + ctx + "; set text.context_length to " + s[1] + names);
    }
  }

  private static TensorInfo tensor(final Map<String, NodeInfo> infos, final String name, final String missing,
      final String where) {
    final NodeInfo node = infos.get(name);
    if (node == null) {
      throw new EncoderException(missing);
    }
    final ValueInfo v = node.getInfo();
    if (!(v instanceof TensorInfo)) {
      throw new EncoderException(where + "'" + name + "' is not a tensor: " + v);
    }
    return (TensorInfo) v;
  }

  @Override
  public String toString() {
    return "OnnxTextEncoder[" + modelFile + ", dim " + dim + ", " + spec.pad().name().toLowerCase(Locale.ROOT)
        + " padding, " + opened.device() + "]";
  }
}
