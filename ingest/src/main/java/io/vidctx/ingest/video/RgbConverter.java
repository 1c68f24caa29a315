package io.vidctx.ingest.video;

import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/*
 * One conversion per delivered frame: decoded picture (any pixel format, any size) -> packed RGB24 at
 * the output size, scaled and colour-converted by libswscale in one pass, then one copy into a fresh
 * Java byte[] that the VideoFrame owns. Frames the sampler skips never get here.
 *
 * Cropping: decoders hand over the whole coded picture plus crop fields (apply_cropping=0, see
 * Ffmpeg.start). When the output is the visible size we convert the whole coded picture, whose planes
 * are aligned, and copy the visible window out of the RGB rows. When scaling, swscale reads the
 * visible window directly (plane pointers moved by the crop offsets); its scaled path handles
 * unaligned input correctly, its unscaled path does not (it garbled the last columns of a 214-wide
 * Theora picture). Both modes are pixel-identical to the ffmpeg command (FfmpegCommandParityTest).
 *
 * Colour: swscale's classic API assumes BT.601 limited range unless told otherwise. We pass the
 * matrix and range each decoded frame carries (BT.709 for most HD, full range for JPEG-style
 * streams), as the ffmpeg command's scale filter does; unspecified stays BT.601, as there.
 *
 * Why the classic sws_scale and not FFmpeg 8's sws_scale_frame, which does the colour bookkeeping
 * itself: on highway_traffic_60fps.mp4 (960x540 H.264), thread CPU time per frame, the frame API cost
 * 0.62 vs 0.53 ms at 224x224 bilinear and 0.31-0.62 vs 0.25 ms at native size, and its output was
 * not bit-identical to the ffmpeg command on 5 of the 12 shared clips.
 */

/** Converts decoded FFmpeg pictures to packed RGB24 byte arrays; owns its native scaler and buffer. */
final class RgbConverter implements AutoCloseable {

  private static final int PLANES = 8;

  private final int width;
  private final int height;
  private final int flags;
  private SwsContext sws;
  private BytePointer buffer;
  private long bufferBytes;
  private final PointerPointer<BytePointer> srcPlanes = new PointerPointer<>(PLANES);
  private final IntPointer srcStrides = new IntPointer(PLANES);
  private final PointerPointer<BytePointer> dstPlanes = new PointerPointer<>(1);
  private final IntPointer dstStrides = new IntPointer(1);
  private boolean closed;
  // What the scaler is set up for: input geometry, format and colour, and the scaler's output size.
  private int srcWidth = -1;
  private int srcHeight = -1;
  private int srcFormat = -1;
  private int srcColorspace = -1;
  private int srcRange = -1;
  private int dstWidth = -1;
  private int dstHeight = -1;

  /**
   * @param width output width (after cropping and scaling), positive
   * @param height output height, positive
   * @param flags swscale flags, e.g. {@code SWS_BILINEAR}
   */
  RgbConverter(final int width, final int height, final int flags) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("output size must be positive, was " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.flags = flags;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** The visible width of a decoded picture: coded width less the crop on both sides. */
  static int visibleWidth(final AVFrame src) {
    return (int) (src.width() - src.crop_left() - src.crop_right());
  }

  /** The visible height of a decoded picture. */
  static int visibleHeight(final AVFrame src) {
    return (int) (src.height() - src.crop_top() - src.crop_bottom());
  }

  /**
   * Converts one decoded picture (its visible window).
   *
   * @return a new array of {@code width*height*3} bytes, row-major RGB
   * @throws IllegalStateException when swscale cannot handle the picture (the caller skips it and
   *     goes on), or after {@link #close()}
   */
  byte[] convert(final AVFrame src) {
    if (closed) {
      throw new IllegalStateException("converter is closed");
    }
    final int left = (int) src.crop_left();
    final int top = (int) src.crop_top();
    final boolean window = visibleWidth(src) == width && visibleHeight(src) == height;
    final int outW = window ? src.width() : width;
    final int outH = window ? src.height() : height;
    if (window || (left == 0 && top == 0)) {
      for (int i = 0; i < PLANES; i++) {
        srcPlanes.put(i, src.data(i));
        srcStrides.put(i, src.linesize(i));
      }
    } else {
      cropPlanes(src);
    }
    // Scaling reads only the visible window: with no left/top crop that is the coded picture's
    // first rows and columns, so the plane pointers stay as they are.
    final int inW = window ? src.width() : visibleWidth(src);
    final int inH = window ? src.height() : visibleHeight(src);
    prepare(src, inW, inH, outW, outH);
    scale(src, inH, outW, outH);
    final byte[] out = new byte[width * height * 3];
    final int stride = outW * 3;
    final int rowBytes = width * 3;
    if (!window || (left == 0 && stride == rowBytes)) {
      buffer.position((long) (window ? top : 0) * stride).get(out, 0, out.length);
      buffer.position(0);
    } else {
      final ByteBuffer rgb = buffer.position(0).asByteBuffer();
      for (int y = 0; y < height; y++) {
        rgb.get((top + y) * stride + left * 3, out, y * rowBytes, rowBytes);
      }
    }
    return out;
  }

  private void scale(final AVFrame src, final int rows, final int outW, final int outH) {
    final long need = (long) outW * outH * 3 + 64; // slack: SIMD paths may write past the last pixel
    if (buffer == null || bufferBytes < need) {
      if (buffer != null) {
        avutil.av_free(buffer.position(0));
      }
      buffer = new BytePointer(avutil.av_malloc(need)).capacity(need);
      if (buffer.isNull()) {
        buffer = null;
        throw new IllegalStateException("FFmpeg could not allocate " + need + " bytes for an RGB picture");
      }
      bufferBytes = need;
    }
    dstPlanes.put(0, buffer.position(0));
    dstStrides.put(0, outW * 3);
    final int done = swscale.sws_scale(sws, srcPlanes, srcStrides, 0, rows, dstPlanes, dstStrides);
    if (done <= 0) {
      throw new IllegalStateException("cannot convert a " + src.width() + "x" + src.height() + " "
          + pixelFormatName(src.format()) + " picture to RGB" + (done < 0 ? ": " + Ffmpeg.describe(done) : ""));
    }
  }

  /** Plane pointers moved to the visible window, as av_frame_apply_cropping would, without touching the frame. */
  private void cropPlanes(final AVFrame src) {
    final org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor desc = avutil.av_pix_fmt_desc_get(src.format());
    if (desc == null || desc.isNull() || (desc.flags() & (avutil.AV_PIX_FMT_FLAG_HWACCEL | avutil.AV_PIX_FMT_FLAG_BITSTREAM)) != 0) {
      throw new IllegalStateException("cannot crop a " + pixelFormatName(src.format()) + " picture");
    }
    final int left = (int) src.crop_left();
    final int top = (int) src.crop_top();
    for (int i = 0; i < PLANES; i++) {
      final BytePointer data = src.data(i);
      if (data == null || data.isNull()) {
        srcPlanes.put(i, (BytePointer) null);
        srcStrides.put(i, 0);
        continue;
      }
      // Planes 1 and 2 of a planar YUV format are the subsampled chroma planes.
      final boolean chroma = i == 1 || i == 2;
      final int shiftX = chroma ? desc.log2_chroma_w() : 0;
      final int shiftY = chroma ? desc.log2_chroma_h() : 0;
      int step = 0;
      for (int c = 0; c < desc.nb_components(); c++) {
        if (desc.comp(c).plane() == i) {
          step = Math.max(step, desc.comp(c).step());
        }
      }
      final long offset = (long) (top >> shiftY) * src.linesize(i) + (long) (left >> shiftX) * step;
      srcPlanes.put(i, new BytePointer(data).position(offset));
      srcStrides.put(i, src.linesize(i));
    }
  }

  /** (Re)builds the scaler when input or output changes; a no-op for every frame of a steady stream. */
  private void prepare(final AVFrame src, final int inW, final int inH, final int outW, final int outH) {
    final int colorspace = src.colorspace();
    final int range = src.color_range();
    if (sws != null && inW == srcWidth && inH == srcHeight && src.format() == srcFormat && colorspace == srcColorspace
        && range == srcRange && outW == dstWidth && outH == dstHeight) {
      return;
    }
    sws = swscale.sws_getCachedContext(sws, inW, inH, src.format(), outW, outH, avutil.AV_PIX_FMT_RGB24, flags,
        null, null, (DoublePointer) null);
    if (sws == null || sws.isNull()) {
      sws = null;
      throw new IllegalStateException("swscale cannot convert " + inW + "x" + inH + " " + pixelFormatName(src.format())
          + " to " + outW + "x" + outH + " RGB");
    }
    final int matrix = switch (colorspace) {
      case avutil.AVCOL_SPC_BT709, avutil.AVCOL_SPC_FCC, avutil.AVCOL_SPC_BT470BG, avutil.AVCOL_SPC_SMPTE170M,
          avutil.AVCOL_SPC_SMPTE240M, avutil.AVCOL_SPC_BT2020_NCL, avutil.AVCOL_SPC_BT2020_CL -> colorspace;
      default -> swscale.SWS_CS_DEFAULT;
    };
    // Deprecated "yuvj" formats are full range by definition; swscale already knows, leave them be.
    if (!isJpegFormat(src.format())) {
      swscale.sws_setColorspaceDetails(sws, swscale.sws_getCoefficients(matrix), range == avutil.AVCOL_RANGE_JPEG ? 1 : 0,
          swscale.sws_getCoefficients(swscale.SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
    }
    srcWidth = inW;
    srcHeight = inH;
    srcFormat = src.format();
    srcColorspace = colorspace;
    srcRange = range;
    dstWidth = outW;
    dstHeight = outH;
  }

  private static boolean isJpegFormat(final int format) {
    return format == avutil.AV_PIX_FMT_YUVJ420P || format == avutil.AV_PIX_FMT_YUVJ422P
        || format == avutil.AV_PIX_FMT_YUVJ444P || format == avutil.AV_PIX_FMT_YUVJ440P
        || format == avutil.AV_PIX_FMT_YUVJ411P;
  }

  static String pixelFormatName(final int format) {
    final BytePointer name = avutil.av_get_pix_fmt_name(format);
    return name == null || name.isNull() ? "unknown" : name.getString();
  }

  /** Frees the scaler and the buffer; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (sws != null) {
      swscale.sws_freeContext(sws);
      sws = null;
    }
    if (buffer != null) {
      avutil.av_free(buffer.position(0));
      buffer = null;
    }
    srcPlanes.close();
    srcStrides.close();
    dstPlanes.close();
    dstStrides.close();
  }
}
