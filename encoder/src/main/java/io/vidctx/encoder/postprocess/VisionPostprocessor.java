package io.vidctx.encoder.postprocess;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.ingest.VideoFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Turns one image's rows of a model's output batch into {@link FrameTokens}.
 *
 * <p>Steps, in order: drop the leading CLS token; project patch tokens with the optional {@code [D,
 * E]} matrix; take the global embedding from the pooled output (projected too when it is D wide) or,
 * without one, the mean of the (projected) patch tokens; L2-normalise patches and global when
 * asked. A model with only a pooled output yields a 1×1 grid whose single patch is the global
 * embedding, so downstream code that wants patches still gets one token per frame.
 *
 * <p>Immutable and thread-safe. Inputs are never modified; outputs are fresh arrays.
 */
public final class VisionPostprocessor {
  private final int gridH;
  private final int gridW;
  private final boolean cls;
  private final int modelDim;
  private final float @Nullable [] projection;
  private final int dim;
  private final boolean hasPatches;
  private final int pooledDim;
  private final boolean normalize;
  private final boolean patchesProjected;

  /** As {@link #VisionPostprocessor(int, int, boolean, boolean, int, float[], int, boolean, boolean)}, projecting here. */
  public VisionPostprocessor(
      final int gridH, final int gridW, final boolean cls, final boolean hasPatches, final int modelDim,
      final float @Nullable [] projection, final int pooledDim, final boolean normalize) {
    this(gridH, gridW, cls, hasPatches, modelDim, projection, pooledDim, normalize, false);
  }

  /**
   * @param gridH patch rows (ignored without patch output)
   * @param gridW patch columns (ignored without patch output)
   * @param cls whether the patch output leads with a CLS token
   * @param hasPatches whether the model has a patch output {@code [N, T, modelDim]}
   * @param modelDim D, the width of patch tokens (or of the pooled output when there are no patches)
   * @param projection row-major {@code [modelDim, E]} matrix, or null
   * @param pooledDim width of the pooled output, or 0 when the model has none
   * @param normalize L2-normalise outputs
   * @param patchesProjected the caller projects the patch output itself (the encoder runs that matrix
   *     product in ONNX Runtime), so patch rows arrive E wide; the matrix still applies to a D-wide
   *     pooled output
   * @throws EncoderException when the widths cannot be reconciled (named in the message)
   */
  public VisionPostprocessor(
      final int gridH, final int gridW, final boolean cls, final boolean hasPatches, final int modelDim,
      final float @Nullable [] projection, final int pooledDim, final boolean normalize,
      final boolean patchesProjected) {
    if (modelDim <= 0) {
      throw new IllegalArgumentException("model width must be positive, was " + modelDim);
    }
    if (!hasPatches && pooledDim <= 0) {
      throw new IllegalArgumentException("a model needs patch tokens or a pooled output");
    }
    if (projection != null && (projection.length == 0 || projection.length % modelDim != 0)) {
      throw new EncoderException("projection matrix holds " + projection.length + " floats, which is not a [" + modelDim
          + ", E] matrix for tokens " + modelDim + " wide");
    }
    this.gridH = hasPatches ? gridH : 1;
    this.gridW = hasPatches ? gridW : 1;
    this.cls = cls;
    this.hasPatches = hasPatches;
    this.modelDim = modelDim;
    this.projection = projection == null ? null : projection.clone();
    this.dim = projection == null ? modelDim : projection.length / modelDim;
    this.pooledDim = pooledDim;
    this.normalize = normalize;
    this.patchesProjected = patchesProjected && projection != null;
    if (pooledDim > 0 && pooledDim != dim && !(projection != null && pooledDim == modelDim)) {
      throw new EncoderException("the pooled output is " + pooledDim + " wide but tokens are " + dim + " wide"
          + (projection == null
              ? "; give the manifest a \"projection\" file holding the [" + modelDim + ", " + pooledDim
                  + "] matrix that maps patch tokens into the pooled space (CLIP's visual projection), or drop"
                  + " \"pooled_output\" to use the mean of the patch tokens"
              : " after the [" + modelDim + ", " + dim + "] projection, and it is not " + modelDim
                  + " wide either, so the projection cannot apply to it"));
    }
  }

  /** Width of the produced patch and global embeddings. */
  public int dim() {
    return dim;
  }

  /** Tokens per image in the patch output: grid plus the CLS token. */
  public int tokensPerImage() {
    return gridH * gridW + (cls ? 1 : 0);
  }

  /**
   * The tokens of item {@code item} of a batch.
   *
   * @param patchBatch the patch output {@code [N, T, D]} flattened ({@code [N, T, E]} when the caller
   *     projected it), or null without one
   * @param pooledBatch the pooled output {@code [N, P]} flattened, or null without one
   */
  public FrameTokens tokens(
      final VideoFrame frame, final float @Nullable [] patchBatch, final float @Nullable [] pooledBatch, final int item) {
    final int cells = gridH * gridW;
    final float[] patches;
    float[] global = null;
    if (hasPatches) {
      if (patchBatch == null) {
        throw new IllegalArgumentException("this model has a patch output but none was given");
      }
      if (patchesProjected) {
        patches = copy(patchBatch, (item * tokensPerImage() + (cls ? 1 : 0)) * dim, cells * dim);
      } else {
        patches = project(patchBatch, (item * tokensPerImage() + (cls ? 1 : 0)) * modelDim, cells);
      }
    } else {
      patches = null;
    }
    if (pooledDim > 0) {
      if (pooledBatch == null) {
        throw new IllegalArgumentException("this model has a pooled output but none was given");
      }
      global = pooledDim == dim
          ? copy(pooledBatch, item * pooledDim, pooledDim)
          : project(pooledBatch, item * pooledDim, 1);
    }
    if (global == null) {
      global = mean(patches, cells);
    }
    final float[] grid = patches == null ? global.clone() : patches;
    if (normalize) {
      for (int t = 0; t < cells; t++) {
        l2normalize(grid, t * dim, dim);
      }
      if (grid != global) {
        l2normalize(global, 0, dim);
      }
    }
    return new FrameTokens(frame.streamId(), frame.index(), frame.ptsMicros(), gridH, gridW, dim, grid, global);
  }

  private float[] project(final float[] src, final int start, final int rows) {
    final float[] p = projection;
    if (p == null) {
      return copy(src, start, rows * modelDim);
    }
    final float[] out = new float[rows * dim];
    for (int r = 0; r < rows; r++) {
      final int in = start + r * modelDim;
      final int o = r * dim;
      for (int k = 0; k < modelDim; k++) {
        final float a = src[in + k];
        final int pk = k * dim;
        for (int j = 0; j < dim; j++) {
          out[o + j] += a * p[pk + j];
        }
      }
    }
    return out;
  }

  private float[] mean(final float @Nullable [] patches, final int cells) {
    if (patches == null) {
      throw new IllegalStateException("no patches to pool");
    }
    final float[] g = new float[dim];
    for (int t = 0; t < cells; t++) {
      for (int j = 0; j < dim; j++) {
        g[j] += patches[t * dim + j];
      }
    }
    for (int j = 0; j < dim; j++) {
      g[j] /= cells;
    }
    return g;
  }

  private static float[] copy(final float[] src, final int start, final int n) {
    final float[] out = new float[n];
    System.arraycopy(src, start, out, 0, n);
    return out;
  }

  /** Scales {@code v[start, start + n)} to unit length; an all-zero vector stays zero. */
  static void l2normalize(final float[] v, final int start, final int n) {
    double sum = 0;
    for (int i = start; i < start + n; i++) {
      sum += (double) v[i] * v[i];
    }
    if (sum > 0) {
      final float inv = (float) (1.0 / Math.sqrt(sum));
      for (int i = start; i < start + n; i++) {
        v[i] *= inv;
      }
    }
  }

  /**
   * Reads a float32 little-endian {@code [rows, E]} matrix file (numpy's {@code
   * weights.astype('<f4').tofile(path)}).
   *
   * @throws EncoderException when the file cannot be read or its size is not a multiple of rows × 4
   *     bytes
   */
  public static float[] readMatrix(final Path file, final int rows) {
    final byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (final IOException e) {
      throw new EncoderException("cannot read projection matrix " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    if (bytes.length == 0 || bytes.length % (4L * rows) != 0) {
      throw new EncoderException("projection matrix " + file.toAbsolutePath() + " holds " + bytes.length
          + " bytes, which is not a float32 [" + rows + ", E] matrix (a multiple of " + (4L * rows) + " bytes)");
    }
    final float[] m = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(m);
    return m;
  }
}
