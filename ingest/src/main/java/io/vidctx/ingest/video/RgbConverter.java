package io.vidctx.ingest.video;

import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;

/*
 * One conversion per delivered frame: decoded picture (any pixel format, any size) -> packed RGB24 at
 * the output size, scaled by libswscale, then a single bulk copy into a fresh Java byte[] that the
 * VideoFrame owns. Frames the sampler skips never get here.
 *
 * We use the frame-based swscale API (sws_scale_frame): it reads the colour matrix and range from each
 * decoded frame, so BT.709 HD and full-range ("yuvj") sources come out with the right colours, and it
 * reconfigures itself when a stream changes resolution mid-way.
 *
 * Memory: one native AVFrame for the RGB output, allocated for the output size with a row length of
 * exactly width*3 (alignment 1), so the copy is one memcpy instead of one per row.
 */

/** Converts decoded FFmpeg pictures to packed RGB24 byte arrays; owns its native scaler and buffer. */
final class RgbConverter implements AutoCloseable {

  private final int width;
  private final int height;
  private final int rowBytes;
  private SwsContext sws;
  private AVFrame rgb;

  /**
   * @param width output width (after scaling), positive
   * @param height output height, positive
   * @param flags swscale flags, e.g. {@code SWS_BILINEAR}
   */
  RgbConverter(final int width, final int height, final int flags) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("output size must be positive, was " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.rowBytes = width * 3;
    this.sws = swscale.sws_alloc_context();
    this.rgb = avutil.av_frame_alloc();
    if (sws == null || sws.isNull() || rgb == null || rgb.isNull()) {
      close();
      throw new OutOfMemoryError("FFmpeg could not allocate a scaler for " + width + "x" + height);
    }
    sws.flags(flags);
    // One thread: the decoder already runs frame threads on every core, and a per-frame thread pool
    // handoff costs more than it gains at the sizes we convert to.
    sws.threads(1);
    rgb.format(avutil.AV_PIX_FMT_RGB24);
    rgb.width(width);
    rgb.height(height);
    final int ret = avutil.av_frame_get_buffer(rgb, 1);
    if (ret < 0) {
      close();
      throw new OutOfMemoryError("FFmpeg could not allocate a " + width + "x" + height + " RGB buffer: " + Ffmpeg.describe(ret));
    }
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /**
   * Converts one decoded picture.
   *
   * @return a new array of {@code width*height*3} bytes, row-major RGB
   * @throws IllegalStateException when swscale rejects the picture (reported by the caller as a bad
   *     frame, not a broken stream)
   */
  byte[] convert(final AVFrame src) {
    if (sws == null) {
      throw new IllegalStateException("converter is closed");
    }
    final int ret = swscale.sws_scale_frame(sws, rgb, src);
    if (ret < 0) {
      throw new IllegalStateException(
          "cannot convert a " + src.width() + "x" + src.height() + " "
              + pixelFormatName(src.format()) + " picture to RGB: " + Ffmpeg.describe(ret));
    }
    final byte[] out = new byte[rowBytes * height];
    final int stride = rgb.linesize(0);
    final BytePointer data = rgb.data(0);
    if (stride == rowBytes) {
      data.capacity(out.length).get(out, 0, out.length);
    } else {
      // Not expected with alignment 1, but swscale may reallocate the buffer; copy row by row then.
      final ByteBuffer buf = data.capacity((long) stride * height).asByteBuffer();
      for (int y = 0; y < height; y++) {
        buf.get(y * stride, out, y * rowBytes, rowBytes);
      }
    }
    return out;
  }

  static String pixelFormatName(final int format) {
    final BytePointer name = avutil.av_get_pix_fmt_name(format);
    return name == null || name.isNull() ? "unknown" : name.getString();
  }

  /** Frees the scaler and the buffer; idempotent. */
  @Override
  public void close() {
    if (sws != null) {
      swscale.sws_free_context(sws);
      sws = null;
    }
    if (rgb != null) {
      avutil.av_frame_free(rgb);
      rgb = null;
    }
  }
}
