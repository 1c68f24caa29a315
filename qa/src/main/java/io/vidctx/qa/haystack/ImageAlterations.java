package io.vidctx.qa.haystack;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import java.util.Objects;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Altered copies of a needle photo, used as queries ("find this picture") that are not byte-equal to
 * what was inserted: smaller, recompressed, cropped, darker or brighter.
 *
 * <p>Every method returns a new picture and leaves its input untouched. Resizing uses OpenCV: area
 * averaging when shrinking (no aliasing), bilinear when enlarging.
 */
public final class ImageAlterations {

  /** Resizing never goes below this many pixels per side (a smaller query says nothing). */
  public static final int MIN_SIDE = 16;

  private ImageAlterations() {}

  /**
   * Scales both sides by {@code scale} (rounded), keeping each side at least {@value #MIN_SIDE}.
   *
   * @throws IllegalArgumentException {@code scale} not positive and finite
   */
  public static DecodedImage resize(final DecodedImage image, final double scale) {
    Objects.requireNonNull(image, "image");
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("scale must be positive and finite, was " + scale);
    }
    final int w = (int) Math.max(MIN_SIDE, Math.round(image.width() * scale));
    final int h = (int) Math.max(MIN_SIDE, Math.round(image.height() * scale));
    return resizeTo(image, w, h);
  }

  /**
   * Fits the picture inside {@code width} x {@code height} keeping its aspect ratio, centred on black
   * (letterbox or pillarbox): how a photo is usually shown in a video, and how needles are fitted to a
   * haystack's frame size, so the picture keeps its geometry and a query with the photo itself can
   * match it.
   */
  public static DecodedImage letterbox(final DecodedImage image, final int width, final int height) {
    Objects.requireNonNull(image, "image");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("target size must be positive, was " + width + "x" + height);
    }
    final double scale = Math.min((double) width / image.width(), (double) height / image.height());
    final int w = Math.max(1, Math.min(width, (int) Math.round(image.width() * scale)));
    final int h = Math.max(1, Math.min(height, (int) Math.round(image.height() * scale)));
    final DecodedImage fitted = resizeTo(image, w, h);
    final byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
    final int x0 = (width - w) / 2;
    final int y0 = (height - h) / 2;
    for (int y = 0; y < h; y++) {
      System.arraycopy(fitted.rgb(), y * w * 3, out, ((y0 + y) * width + x0) * 3, w * 3);
    }
    return new DecodedImage(width, height, out);
  }

  /**
   * Stretches the picture to exactly {@code width} x {@code height}, ignoring its aspect ratio.
   */
  public static DecodedImage resizeTo(final DecodedImage image, final int width, final int height) {
    Objects.requireNonNull(image, "image");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("target size must be positive, was " + width + "x" + height);
    }
    if (width == image.width() && height == image.height()) {
      return new DecodedImage(width, height, image.rgb().clone());
    }
    final boolean shrink = width <= image.width() && height <= image.height();
    try (Mat src = new Mat(image.height(), image.width(), CV_8UC3);
        Mat dst = new Mat();
        Size size = new Size(width, height)) {
      src.data().put(image.rgb(), 0, image.rgb().length);
      opencv_imgproc.resize(src, dst, size, 0, 0, shrink ? opencv_imgproc.INTER_AREA : opencv_imgproc.INTER_LINEAR);
      final byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
      dst.data().get(out);
      return new DecodedImage(width, height, out);
    }
  }

  /**
   * Encodes as JPEG at {@code quality} and decodes it again: the picture a query would carry after a
   * lossy upload.
   *
   * @throws IllegalArgumentException {@code quality} outside 1..100
   */
  public static DecodedImage jpegRecompress(final DecodedImage image, final int quality) {
    Objects.requireNonNull(image, "image");
    final ImageCodec codec = new ImageCodec(quality);
    final byte[] jpeg = codec.encode(image.rgb(), image.width(), image.height(), ImageFormat.JPEG);
    return codec.decode(jpeg, ImageFormat.JPEG, image.width(), image.height());
  }

  /**
   * The centred part keeping {@code fraction} of each side (0.5 keeps the middle quarter of the area),
   * at least 1 pixel per side; when the sides differ by an odd number of pixels the extra one is cut
   * on the right or bottom.
   *
   * @throws IllegalArgumentException {@code fraction} outside (0, 1]
   */
  public static DecodedImage crop(final DecodedImage image, final double fraction) {
    Objects.requireNonNull(image, "image");
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("crop fraction must be in (0, 1], was " + fraction);
    }
    final int w = (int) Math.max(1, Math.round(image.width() * fraction));
    final int h = (int) Math.max(1, Math.round(image.height() * fraction));
    final int x0 = (image.width() - w) / 2;
    final int y0 = (image.height() - h) / 2;
    final byte[] src = image.rgb();
    final byte[] out = new byte[w * h * 3];
    final int row = w * 3;
    for (int y = 0; y < h; y++) {
      System.arraycopy(src, ((y0 + y) * image.width() + x0) * 3, out, y * row, row);
    }
    return new DecodedImage(w, h, out);
  }

  /**
   * Multiplies every sample by {@code gain}, rounded and clamped to 0..255 (1 keeps the picture, 0
   * makes it black).
   *
   * @throws IllegalArgumentException {@code gain} negative or not finite
   */
  public static DecodedImage brightness(final DecodedImage image, final double gain) {
    Objects.requireNonNull(image, "image");
    if (!(gain >= 0) || Double.isInfinite(gain)) {
      throw new IllegalArgumentException("brightness gain must be >= 0 and finite, was " + gain);
    }
    // 256 possible inputs: a table keeps the per-pixel loop to one lookup.
    final byte[] table = new byte[256];
    for (int v = 0; v < 256; v++) {
      table[v] = (byte) Math.min(255, Math.round(v * gain));
    }
    final byte[] src = image.rgb();
    final byte[] out = new byte[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = table[src[i] & 0xff];
    }
    return new DecodedImage(image.width(), image.height(), out);
  }
}
