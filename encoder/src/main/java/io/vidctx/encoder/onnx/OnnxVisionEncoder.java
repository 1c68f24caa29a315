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
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.encoder.manifest.Manifests;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.VisionSpec;
import io.vidctx.encoder.postprocess.VisionPostprocessor;
import io.vidctx.encoder.preprocess.ImagePreprocessor;
import io.vidctx.ingest.VideoFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: one OrtSession serves every thread (OrtSession.run is thread-safe). Each batch borrows
 * a direct, native-order input buffer from a lock-free pool and returns it afterwards, so buffers
 * are reused across calls and there are never more of them than batches in flight at once. close()
 * takes the write side of a read-write lock that every encode() holds for reading, so the native
 * session is never freed under a running inference, and a second close() is a no-op.
 *
 * Per batch: preprocess each frame into its block of the buffer (pure Java, no copy besides the one
 * into the buffer), wrap the filled prefix as an OnnxTensor (ONNX Runtime uses a direct buffer in
 * place), run with only the outputs the manifest names, copy those outputs to float[] while the
 * Result is open, then postprocess per frame after the native memory is released.
 *
 * Checks at open: the input exists, is float32 [N, 3, H, W] with H and W equal to the manifest's
 * where fixed; outputs exist with ranks 3 (patches) and 2 (pooled), float32, T = grid (+1 with CLS)
 * where fixed. When a needed size is symbolic (Hugging Face exports leave the token count dynamic),
 * one probe inference on a blank image settles it at open, so mistakes surface there, not on the
 * first real batch.
 */

/**
 * A {@link VisionEncoder} running any ONNX image model that a {@code vidctx-model.json} describes
 * (CLIP, OpenCLIP, SigLIP and DINOv2 exports, the built-in encoder) through ONNX Runtime, on the
 * CPU or with CUDA.
 *
 * <pre>{@code
 * try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(Path.of("models/clip"), RuntimeOptions.DEFAULTS)) {
 *   List<FrameTokens> tokens = enc.encode(frames);
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may call {@link #encode} at once.
 */
public final class OnnxVisionEncoder implements VisionEncoder {
  private final Path manifestFile;
  private final Path modelFile;
  private final VisionSpec spec;
  private final OrtSessions.Opened opened;
  private final ImagePreprocessor preprocessor;
  private final VisionPostprocessor postprocessor;
  private final @Nullable ProjectionSession projector;
  private final Set<String> outputs;
  private final int batchSize;
  private final boolean fixedBatch;
  private final int tokens;
  private final int modelDim;
  private final int pooledDim;
  private final ConcurrentLinkedDeque<FloatBuffer> buffers = new ConcurrentLinkedDeque<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private OnnxVisionEncoder(final Manifests.Located located, final RuntimeOptions options) {
    this.manifestFile = located.file().toAbsolutePath();
    this.spec = located.vision();
    this.modelFile = located.resolve(spec.file());
    this.preprocessor = ImagePreprocessor.of(spec);
    this.opened = OrtSessions.open(modelFile, options);
    try {
      final OrtSession session = opened.session();
      final long batchDim = checkInput(session);
      this.fixedBatch = batchDim > 0;
      this.batchSize = fixedBatch ? (int) batchDim : options.batchSize();
      this.tokens = spec.gridH() * spec.gridW() + (spec.clsToken() ? 1 : 0);
      final Set<String> wanted = new LinkedHashSet<>();
      long[] patchShape = null;
      long[] pooledShape = null;
      if (spec.patchOutput() != null) {
        patchShape = checkOutput(session, spec.patchOutput(), 3, "patch_output", "[N, T, D]");
        wanted.add(spec.patchOutput());
      }
      if (spec.pooledOutput() != null) {
        pooledShape = checkOutput(session, spec.pooledOutput(), 2, "pooled_output", "[N, E]");
        wanted.add(spec.pooledOutput());
      }
      this.outputs = Set.copyOf(wanted);
      final boolean symbolic = patchShape != null && (patchShape[1] < 0 || patchShape[2] < 0)
          || pooledShape != null && pooledShape[1] < 0;
      if (symbolic) {
        final Map<String, long[]> probed = probe();
        patchShape = spec.patchOutput() == null ? null : probed.get(spec.patchOutput());
        pooledShape = spec.pooledOutput() == null ? null : probed.get(spec.pooledOutput());
      }
      if (patchShape != null && patchShape[1] >= 0 && patchShape[1] != tokens) {
        throw mismatch("patch output \"" + spec.patchOutput() + "\" has " + patchShape[1] + " tokens per image, but the"
            + " manifest's grid " + spec.gridH() + "x" + spec.gridW() + (spec.clsToken() ? " plus a CLS token" : "")
            + " means " + tokens + tokenHint(patchShape[1]));
      }
      this.modelDim = (int) (patchShape != null ? patchShape[2] : Objects.requireNonNull(pooledShape)[1]);
      this.pooledDim = pooledShape == null ? 0 : (int) pooledShape[1];
      final float[] projection;
      try {
        projection = spec.projection() == null ? null
            : VisionPostprocessor.readMatrix(located.resolve(spec.projection()), modelDim);
      } catch (final EncoderException e) {
        throw mismatch(e.getMessage());
      }
      final boolean projectPatches = projection != null && spec.patchOutput() != null;
      try {
        this.postprocessor = new VisionPostprocessor(spec.gridH(), spec.gridW(), spec.clsToken(),
            spec.patchOutput() != null, modelDim, projection, pooledDim, spec.normalize(), projectPatches);
      } catch (final EncoderException e) {
        throw mismatch(e.getMessage());
      }
      // Last, so nothing after it can fail and leak it.
      this.projector = projectPatches
          ? new ProjectionSession(projection, modelDim, postprocessor.dim())
          : null;
    } catch (final RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  /**
   * Opens the model a manifest describes.
   *
   * @param modelDirOrManifest a model folder holding {@value ModelManifest#FILE_NAME}, or the manifest
   *     file itself
   * @param options device, intra-op threads and batch size
   * @throws EncoderException when the manifest is invalid, the model cannot be loaded, a strict CUDA
   *     device is unavailable, or the model's inputs and outputs disagree with the manifest
   */
  public static OnnxVisionEncoder open(final Path modelDirOrManifest, final RuntimeOptions options) {
    Objects.requireNonNull(options, "options");
    return new OnnxVisionEncoder(Manifests.locate(modelDirOrManifest), options);
  }

  @Override
  public List<FrameTokens> encode(final List<VideoFrame> frames) {
    Objects.requireNonNull(frames, "frames");
    final ReentrantReadWriteLock.ReadLock read = lock.readLock();
    read.lock();
    try {
      if (closed) {
        throw new IllegalStateException("encoder for " + modelFile + " is closed");
      }
      final List<FrameTokens> out = new ArrayList<>(frames.size());
      for (int from = 0; from < frames.size(); from += batchSize) {
        runBatch(frames.subList(from, Math.min(frames.size(), from + batchSize)), out);
      }
      return out;
    } finally {
      read.unlock();
    }
  }

  /** Width of patch and global embeddings (after projection). */
  @Override
  public int dim() {
    return postprocessor.dim();
  }

  /** Where the model actually runs: CPU after a CUDA fallback. */
  public Device device() {
    return opened.device();
  }

  /** The manifest's vision side (input size, so that callers can let FFmpeg scale frames to it). */
  public VisionSpec spec() {
    return spec;
  }

  /** The ONNX file in use. */
  public Path modelFile() {
    return modelFile;
  }

  /** Frames per inference call (the model's fixed batch size, if it has one). */
  public int batchSize() {
    return batchSize;
  }

  @Override
  public void close() {
    final ReentrantReadWriteLock.WriteLock write = lock.writeLock();
    write.lock();
    try {
      if (!closed) {
        closed = true;
        buffers.clear();
        try {
          if (projector != null) {
            projector.close();
          }
        } finally {
          opened.close();
        }
      }
    } finally {
      write.unlock();
    }
  }

  @Override
  public String toString() {
    return "OnnxVisionEncoder[" + modelFile + " on " + device() + ", dim " + dim() + "]";
  }

  private void runBatch(final List<VideoFrame> frames, final List<FrameTokens> out) {
    final int n = frames.size();
    final int rows = fixedBatch ? batchSize : n;
    final int chw = preprocessor.floatsPerImage();
    final FloatBuffer buffer = borrow();
    final float[] patches;
    final float[] pooled;
    try {
      for (int i = 0; i < n; i++) {
        preprocessor.write(frames.get(i), buffer, i * chw);
      }
      if (rows > n) {
        // A fixed-batch model gets blank images in the unused slots; their outputs are ignored.
        buffer.put(n * chw, new float[(rows - n) * chw]);
      }
      final Map<String, float[]> result = run(buffer.slice(0, rows * chw), rows);
      patches = spec.patchOutput() == null ? null : result.get(spec.patchOutput());
      pooled = spec.pooledOutput() == null ? null : result.get(spec.pooledOutput());
    } finally {
      buffers.push(buffer);
    }
    for (int i = 0; i < n; i++) {
      out.add(postprocessor.tokens(frames.get(i), patches, pooled, i));
    }
  }

  /** Runs one filled batch and copies the wanted outputs out, checking their shapes. */
  private Map<String, float[]> run(final FloatBuffer input, final int rows) {
    final OrtEnvironment env = OrtSessions.environment();
    final long[] shape = {rows, 3, spec.height(), spec.width()};
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
        OrtSession.Result result = opened.session().run(Map.of(spec.input(), tensor), outputs)) {
      final Map<String, float[]> copied = new HashMap<>();
      if (spec.patchOutput() != null) {
        final OnnxTensor patches = checked(result, spec.patchOutput(), new long[] {rows, tokens, modelDim});
        // The projection reads the model's output in place; only the projected tokens reach Java.
        copied.put(spec.patchOutput(), projector != null ? projector.project(patches) : floats(patches));
      }
      if (spec.pooledOutput() != null) {
        copied.put(spec.pooledOutput(), floats(checked(result, spec.pooledOutput(), new long[] {rows, pooledDim})));
      }
      return copied;
    } catch (final OrtException e) {
      throw new EncoderException("inference failed for model " + modelFile + " (manifest " + manifestFile + "): "
          + e.getMessage(), e);
    }
  }

  private OnnxTensor checked(final OrtSession.Result result, final String name, final long[] expected) {
    final OnnxValue value = result.get(name).orElseThrow(
        () -> new EncoderException("model " + modelFile + " returned no output \"" + name + "\""));
    if (!(value instanceof OnnxTensor)) {
      throw mismatch("output \"" + name + "\" is a " + value.getType() + ", expected a float32 tensor");
    }
    final OnnxTensor t = (OnnxTensor) value;
    final long[] actual = t.getInfo().getShape();
    if (!Arrays.equals(actual, expected)) {
      throw mismatch("output \"" + name + "\" came back shaped " + Arrays.toString(actual) + ", expected "
          + Arrays.toString(expected) + " from the manifest and the model's declared shapes");
    }
    return t;
  }

  private static float[] floats(final OnnxTensor t) {
    final FloatBuffer fb = t.getFloatBuffer();
    final float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }

  private FloatBuffer borrow() {
    final FloatBuffer b = buffers.poll();
    if (b != null) {
      return b;
    }
    final long bytes = 4L * batchSize * preprocessor.floatsPerImage();
    if (bytes > Integer.MAX_VALUE) {
      throw new EncoderException("a batch of " + batchSize + " images of " + spec.width() + "x" + spec.height()
          + " needs " + bytes + " bytes, more than one buffer can hold; use a smaller batch size");
    }
    return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Learns symbolic output sizes from one inference on blank images. */
  private Map<String, long[]> probe() {
    final int rows = fixedBatch ? batchSize : 1;
    final FloatBuffer input = ByteBuffer.allocateDirect(4 * rows * preprocessor.floatsPerImage())
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    final long[] shape = {rows, 3, spec.height(), spec.width()};
    try (OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.environment(), input, shape);
        OrtSession.Result result = opened.session().run(Map.of(spec.input(), tensor), outputs)) {
      final Map<String, long[]> shapes = new HashMap<>();
      for (final Map.Entry<String, OnnxValue> e : result) {
        final OnnxValue v = e.getValue();
        if (v instanceof OnnxTensor) {
          shapes.put(e.getKey(), ((OnnxTensor) v).getInfo().getShape());
        }
      }
      return shapes;
    } catch (final OrtException e) {
      throw mismatch("a test inference on a blank " + spec.width() + "x" + spec.height() + " image failed: "
          + e.getMessage());
    }
  }

  /** Checks the image input; returns its batch dimension (-1 when symbolic). */
  private long checkInput(final OrtSession session) {
    final Map<String, NodeInfo> inputs = infos(session, true);
    final NodeInfo info = inputs.get(spec.input());
    if (info == null) {
      throw mismatch("no input named \"" + spec.input() + "\" (vision.input); the model's inputs are: "
          + OrtSignatures.describe(inputs));
    }
    if (inputs.size() > 1) {
      throw mismatch("the model has more inputs than the image input \"" + spec.input() + "\", and vidctx can only feed"
          + " that one: " + OrtSignatures.describe(inputs));
    }
    final String expected = "float32 [N, 3, " + spec.height() + ", " + spec.width() + "]";
    final TensorInfo t = tensorInfo(info, "input", expected);
    final long[] s = t.getShape();
    if (t.type != OnnxJavaType.FLOAT) {
      throw mismatch("input \"" + spec.input() + "\" is " + OrtSignatures.describe(t) + ", expected " + expected
          + " (vidctx feeds float32 pixels)");
    }
    if (s.length != 4 || !fits(s[1], 3) || !fits(s[2], spec.height()) || !fits(s[3], spec.width())) {
      throw mismatch("input \"" + spec.input() + "\" is " + OrtSignatures.describe(t) + ", but the manifest (width " + spec.width()
          + ", height " + spec.height() + ", RGB) means " + expected);
    }
    return s[0];
  }

  /** Checks an output's presence, type and rank; returns its declared shape (-1 where symbolic). */
  private long[] checkOutput(final OrtSession session, final String name, final int rank, final String key,
      final String layout) {
    final Map<String, NodeInfo> outs = infos(session, false);
    final NodeInfo info = outs.get(name);
    if (info == null) {
      throw mismatch("no output named \"" + name + "\" (vision." + key + "); the model's outputs are: "
          + OrtSignatures.describe(outs));
    }
    final String expected = "float32 " + layout;
    final TensorInfo t = tensorInfo(info, "output", expected);
    if (t.type != OnnxJavaType.FLOAT || t.getShape().length != rank) {
      throw mismatch("output \"" + name + "\" (vision." + key + ") is " + OrtSignatures.describe(t) + ", expected " + expected);
    }
    return t.getShape();
  }

  private TensorInfo tensorInfo(final NodeInfo info, final String what, final String expected) {
    final ValueInfo v = info.getInfo();
    if (!(v instanceof TensorInfo)) {
      throw mismatch(what + " \"" + info.getName() + "\" is not a tensor (" + v + "), expected " + expected);
    }
    return (TensorInfo) v;
  }

  private Map<String, NodeInfo> infos(final OrtSession session, final boolean inputs) {
    try {
      return inputs ? session.getInputInfo() : session.getOutputInfo();
    } catch (final OrtException e) {
      throw mismatch("cannot read the model's " + (inputs ? "inputs" : "outputs") + ": " + e.getMessage());
    }
  }

  private EncoderException mismatch(final String what) {
    return new EncoderException("model " + modelFile + " does not match its manifest " + manifestFile + ": " + what);
  }

  private String tokenHint(final long actual) {
    final long cells = actual - (spec.clsToken() ? 1 : 0);
    final long side = Math.round(Math.sqrt(cells));
    if (side * side == cells) {
      return " (a square " + side + "x" + side + " grid" + (spec.clsToken() ? " plus CLS" : "") + " would fit)";
    }
    if (!spec.clsToken()) {
      final long s2 = Math.round(Math.sqrt(actual - 1));
      if (s2 * s2 == actual - 1) {
        return " (" + s2 + "x" + s2 + " plus a CLS token would fit: set \"cls_token\": true)";
      }
    }
    return "";
  }

  private static boolean fits(final long declared, final long wanted) {
    return declared < 0 || declared == wanted;
  }
}
