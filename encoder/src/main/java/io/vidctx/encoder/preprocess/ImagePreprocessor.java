package io.vidctx.encoder.preprocess;

import io.vidctx.encoder.manifest.ChannelOrder;
import io.vidctx.encoder.manifest.ResizeMode;
import io.vidctx.encoder.manifest.VisionSpec;
import io.vidctx.ingest.VideoFrame;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/*
 * Design: the three classic steps (resize, crop or pad, normalise) are fused into one pass pair
 * instead of a pipeline of whole-image transforms, because each separate step would read and write
 * the full image again and this code runs once per frame next to the model:
 *
 *   1. Geometry (per source size, cached): each axis becomes an Axis plan - source taps and weights
 *      for every output position inside the content range, padding outside it.
 *   2. Normalisation is affine per channel, so it commutes with the (weights sum to 1) resampling:
 *      a 256-entry lookup table per model channel maps a byte straight to (v / 255 - mean) / std,
 *      with the channel order folded into which byte feeds which table. Padding is 0, which is
 *      exactly the mean colour after normalisation.
 *   3. Horizontal pass over the source rows the vertical plan touches, into a small planar float
 *      scratch; vertical pass into one CHW image; one bulk copy into the batch buffer.
 *
 * Fast path: a frame that already has the model size (FFmpeg scaled it while decoding, the usual
 * case) is a table lookup per byte, whatever the resize mode, since every mode is the identity then.
 *
 * Thread-safety: immutable apart from the cached plan, which is an immutable object published
 * through a volatile field (a race costs a recomputation, never a wrong plan).
 */

/**
 * Fits RGB24 frames to a vision model's input: resize mode, scaling to [0, 1], mean/std and channel
 * order, written as NCHW float32. Thread-safe; one instance serves every thread of an encoder.
 */
public final class ImagePreprocessor {
  private final int width;
  private final int height;
  private final ResizeMode mode;
  /** lut[c][v]: normalised value of byte v for model channel c. */
  private final float[][] lut;
  /** Byte offset (0 = R, 1 = G, 2 = B) within a pixel that feeds model channel c. */
  private final int[] sourceChannel;
  private volatile @Nullable Plan plan;

  /**
   * @param width model input width
   * @param height model input height
   * @param mode how frames of another size are fitted
   * @param mean per model channel, subtracted from values in [0, 1]
   * @param std per model channel, divisor after the mean; non-zero
   * @param order the model's channel order (frames are RGB)
   */
  public ImagePreprocessor(
      final int width, final int height, final ResizeMode mode, final float[] mean, final float[] std,
      final ChannelOrder order) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("input size must be positive, was " + width + "x" + height);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values each, had " + mean.length + " and " + std.length);
    }
    this.width = width;
    this.height = height;
    this.mode = Objects.requireNonNull(mode, "mode");
    this.lut = new float[3][256];
    this.sourceChannel = new int[3];
    for (int c = 0; c < 3; c++) {
      if (std[c] == 0f || !Float.isFinite(std[c])) {
        throw new IllegalArgumentException("std[" + c + "] must be finite and non-zero, was " + std[c]);
      }
      sourceChannel[c] = order == ChannelOrder.BGR ? 2 - c : c;
      for (int v = 0; v < 256; v++) {
        lut[c][v] = (v / 255f - mean[c]) / std[c];
      }
    }
  }

  /** The preprocessing a manifest's vision side describes. */
  public static ImagePreprocessor of(final VisionSpec spec) {
    return new ImagePreprocessor(spec.width(), spec.height(), spec.resize(), floats(spec.mean()), floats(spec.std()),
        spec.channels());
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public ResizeMode mode() {
    return mode;
  }

  /** Floats one image takes: 3 × height × width. */
  public int floatsPerImage() {
    return 3 * width * height;
  }

  /**
   * Writes {@code frame} as a {@code [3, height, width]} block into {@code dst} at absolute float
   * index {@code offset}; the buffer's position and limit are not changed, so several threads may
   * fill different blocks of one batch buffer.
   */
  public void write(final VideoFrame frame, final FloatBuffer dst, final int offset) {
    if (offset < 0 || offset > dst.capacity() - floatsPerImage()) {
      throw new IndexOutOfBoundsException(
          "image block [" + offset + ", " + (offset + floatsPerImage()) + ") outside buffer of " + dst.capacity());
    }
    dst.put(offset, toArray(frame));
  }

  /** The frame as a fresh {@code float[3 * height * width]} in CHW order. */
  public float[] toArray(final VideoFrame frame) {
    final float[] out = new float[floatsPerImage()];
    if (frame.width() == width && frame.height() == height) {
      copySameSize(frame.rgb(), out);
    } else {
      resample(frame, planFor(frame.width(), frame.height()), out);
    }
    return out;
  }

  private void copySameSize(final byte[] rgb, final float[] out) {
    final int hw = width * height;
    for (int c = 0; c < 3; c++) {
      final float[] table = lut[c];
      final int base = c * hw;
      int p = sourceChannel[c];
      for (int i = 0; i < hw; i++, p += 3) {
        out[base + i] = table[rgb[p] & 0xff];
      }
    }
  }

  private void resample(final VideoFrame frame, final Plan p, final float[] out) {
    final Axis ax = p.x();
    final Axis ay = p.y();
    final byte[] rgb = frame.rgb();
    final int srcW = frame.width();
    final int rows = ay.srcHi() - ay.srcLo() + 1;
    final int cw = ax.contentLen();
    final int xt = ax.taps();
    final int[] xi = ax.index();
    final float[] xw = ax.weight();
    // Horizontal pass: only the source rows the vertical plan reads (a centre crop skips the rest).
    final float[] tmp = new float[3 * rows * cw];
    for (int c = 0; c < 3; c++) {
      final float[] table = lut[c];
      final int sc = sourceChannel[c];
      final int plane = c * rows * cw;
      for (int r = 0; r < rows; r++) {
        final int rowBase = (ay.srcLo() + r) * srcW * 3 + sc;
        final int o = plane + r * cw;
        for (int x = 0; x < cw; x++) {
          float acc = 0f;
          final int t0 = x * xt;
          for (int k = 0; k < xt; k++) {
            acc += xw[t0 + k] * table[rgb[rowBase + xi[t0 + k] * 3] & 0xff];
          }
          tmp[o + x] = acc;
        }
      }
    }
    // Vertical pass into the content rectangle; padding stays 0 (the mean colour).
    final int yt = ay.taps();
    final int[] yi = ay.index();
    final float[] yw = ay.weight();
    final int hw = width * height;
    for (int c = 0; c < 3; c++) {
      final int plane = c * rows * cw;
      for (int y = 0; y < ay.contentLen(); y++) {
        final int o = c * hw + (ay.padStart() + y) * width + ax.padStart();
        final int t0 = y * yt;
        for (int x = 0; x < cw; x++) {
          float acc = 0f;
          for (int k = 0; k < yt; k++) {
            acc += yw[t0 + k] * tmp[plane + (yi[t0 + k] - ay.srcLo()) * cw + x];
          }
          out[o + x] = acc;
        }
      }
    }
  }

  private Plan planFor(final int srcW, final int srcH) {
    final Plan cached = plan;
    if (cached != null && cached.srcW() == srcW && cached.srcH() == srcH) {
      return cached;
    }
    final Plan fresh = Plan.of(srcW, srcH, width, height, mode);
    plan = fresh;
    return fresh;
  }

  /** Immutable geometry for one source size. */
  record Plan(int srcW, int srcH, Axis x, Axis y) {

    static Plan of(final int srcW, final int srcH, final int w, final int h, final ResizeMode mode) {
      switch (mode) {
        case STRETCH:
          return new Plan(srcW, srcH, Axis.plan(srcW, w, w, 0, 0), Axis.plan(srcH, h, h, 0, 0));
        case SHORTER_SIDE_CENTER_CROP: {
          // torchvision Resize(shorter side) + CenterCrop: the binding axis becomes exactly the
          // target, the other is truncated like int(size * long / short); the crop offset is
          // rounded half-to-even like Python's round().
          final boolean byWidth = (double) w / srcW >= (double) h / srcH;
          final int rw = byWidth ? w : Math.max(w, (int) ((double) srcW * h / srcH));
          final int rh = byWidth ? Math.max(h, (int) ((double) srcH * w / srcW)) : h;
          final int cropX = (int) Math.rint((rw - w) / 2.0);
          final int cropY = (int) Math.rint((rh - h) / 2.0);
          return new Plan(srcW, srcH, Axis.plan(srcW, w, rw, cropX, 0), Axis.plan(srcH, h, rh, cropY, 0));
        }
        case LETTERBOX: {
          // Scale so the longer side fits; the other side is rounded and centred (extra pixel of
          // padding at the end when the remainder is odd).
          final boolean byWidth = (double) w / srcW <= (double) h / srcH;
          final int rw = byWidth ? w : Math.max(1, Math.min(w, (int) Math.round((double) srcW * h / srcH)));
          final int rh = byWidth ? Math.max(1, Math.min(h, (int) Math.round((double) srcH * w / srcW))) : h;
          return new Plan(srcW, srcH, Axis.plan(srcW, w, rw, 0, (w - rw) / 2), Axis.plan(srcH, h, rh, 0, (h - rh) / 2));
        }
        default:
          throw new IllegalStateException("unhandled resize mode " + mode);
      }
    }
  }

  private static float[] floats(final List<Float> values) {
    final float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = values.get(i);
    }
    return f;
  }
}
