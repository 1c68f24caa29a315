package io.vidctx.ingest.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.IngestException.MalformedRecordException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * JPEG/PNG/raw encoding and decoding of RGB24 pictures with a native codec (OpenCV's {@code
 * imencode}/{@code imdecode}), never {@code javax.imageio}.
 *
 * <p>Invariants: output pictures are always packed RGB24 (grayscale is expanded, alpha dropped,
 * 16-bit samples reduced to 8); every native buffer is released before a method returns; a picture
 * that is truncated, not of the claimed format, or (for raw) of the wrong length is refused with a
 * {@link MalformedRecordException}, never returned half grey. Immutable and thread-safe.
 */
public final class ImageCodec {

  /** JPEG quality 0..100 used when none is given. */
  public static final int DEFAULT_JPEG_QUALITY = 90;

  // zlib level 1: frames are transient, and level 1 is several times faster than the default 3
  // for a few percent more bytes.
  private static final int PNG_COMPRESSION = 1;

  // Wire frames are stored in pixel order: an EXIF orientation tag (from a camera JPEG published
  // as-is) must not swap the size the headers announce.
  private static final int WIRE_READ_FLAGS =
      opencv_imgcodecs.IMREAD_COLOR_RGB | opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
  // Photos read from disk are shown the way the camera meant them: orientation applied.
  private static final int FILE_READ_FLAGS = opencv_imgcodecs.IMREAD_COLOR_RGB;

  private final int jpegQuality;

  public ImageCodec(final int jpegQuality) {
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new IllegalArgumentException("JPEG quality must be in 1..100, was " + jpegQuality);
    }
    this.jpegQuality = jpegQuality;
  }

  public ImageCodec() {
    this(DEFAULT_JPEG_QUALITY);
  }

  public int jpegQuality() {
    return jpegQuality;
  }

  /**
   * Encodes packed RGB24 pixels. For {@link ImageFormat#RAW} the result is {@code rgb} itself (no
   * copy; frames are immutable by contract).
   *
   * @throws IllegalArgumentException when {@code rgb} does not hold width × height × 3 bytes
   * @throws IngestException when the native encoder fails
   */
  public byte[] encode(final byte[] rgb, final int width, final int height, final ImageFormat format) {
    Objects.requireNonNull(rgb, "rgb");
    Objects.requireNonNull(format, "format");
    if (width <= 0 || height <= 0 || (long) width * height * 3 != rgb.length) {
      throw new IllegalArgumentException(
          "cannot encode " + rgb.length + " bytes as a " + width + "x" + height + " RGB24 picture (needs "
              + Math.max(0L, (long) width * height * 3) + ")");
    }
    if (format == ImageFormat.RAW) {
      return rgb;
    }
    final String ext = format == ImageFormat.JPEG ? ".jpg" : ".png";
    final int[] params = format == ImageFormat.JPEG
        ? new int[] {opencv_imgcodecs.IMWRITE_JPEG_QUALITY, jpegQuality}
        : new int[] {opencv_imgcodecs.IMWRITE_PNG_COMPRESSION, PNG_COMPRESSION};
    try (Mat rgbMat = new Mat(height, width, CV_8UC3);
        Mat bgr = new Mat();
        BytePointer out = new BytePointer();
        IntPointer p = new IntPointer(params)) {
      rgbMat.data().put(rgb, 0, rgb.length);
      // OpenCV's encoders take BGR.
      opencv_imgproc.cvtColor(rgbMat, bgr, opencv_imgproc.COLOR_RGB2BGR);
      final boolean ok;
      try {
        ok = opencv_imgcodecs.imencode(ext, bgr, out, p);
      } catch (final RuntimeException e) {
        throw new IngestException("OpenCV could not encode a " + width + "x" + height + " " + name(format)
            + " picture: " + e.getMessage(), e);
      }
      if (!ok) {
        throw new IngestException("OpenCV could not encode a " + width + "x" + height + " " + name(format) + " picture");
      }
      final byte[] bytes = new byte[Math.toIntExact(out.limit() - out.position())];
      out.get(bytes);
      return bytes;
    }
  }

  /**
   * Decodes an encoded picture to RGB24 and checks its size: for {@link ImageFormat#RAW} width and
   * height are required; for JPEG and PNG positive values are compared with the stored size, and
   * zero or negative values skip that check.
   *
   * @throws MalformedRecordException when the bytes are not a decodable picture of that format
   *     (or, for raw, do not match width × height × 3), or the picture is not of the given size
   */
  public DecodedImage decode(final byte[] data, final ImageFormat format, final int width, final int height) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(format, "format");
    if (format == ImageFormat.RAW) {
      if (width <= 0 || height <= 0) {
        throw new IllegalArgumentException("decoding raw RGB24 needs the picture size, got " + width + "x" + height);
      }
      final long needed = (long) width * height * 3;
      if (data.length != needed) {
        throw new MalformedRecordException("raw RGB24 picture of " + data.length + " bytes is not a decodable "
            + width + "x" + height + " picture: that size needs exactly " + needed + " bytes (width x height x 3)");
      }
      return new DecodedImage(width, height, data);
    }
    final PictureStructure.Size stored = checkStructure(data, format);
    if (width > 0 && height > 0 && (stored.width() != width || stored.height() != height)) {
      throw new MalformedRecordException(sizeMismatch(format, data.length, width, height, stored.width(), stored.height()));
    }
    final DecodedImage image = imdecode(data, WIRE_READ_FLAGS, name(format), data.length);
    if (width > 0 && height > 0 && (image.width() != width || image.height() != height)) {
      throw new MalformedRecordException(sizeMismatch(format, data.length, width, height, image.width(), image.height()));
    }
    return image;
  }

  /** Decodes a JPEG or PNG of unknown size. */
  public DecodedImage decode(final byte[] data, final ImageFormat format) {
    if (format == ImageFormat.RAW) {
      throw new IllegalArgumentException("decoding raw RGB24 needs the picture size: use decode(data, RAW, w, h)");
    }
    return decode(data, format, 0, 0);
  }

  /**
   * Reads an image file (JPEG, PNG, or any other format OpenCV reads: BMP, WebP, TIFF...) to RGB24,
   * e.g. a needle photo or an example-image query. EXIF orientation is applied.
   *
   * @throws IngestException.SourceNotFoundException when the file is missing or unreadable
   * @throws IngestException.UnsupportedSourceException when it is not a readable picture
   */
  public DecodedImage read(final Path file) {
    Objects.requireNonNull(file, "file");
    final byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (final NoSuchFileException e) {
      throw new IngestException.SourceNotFoundException("image file not found: " + file, e);
    } catch (final AccessDeniedException e) {
      throw new IngestException.SourceNotFoundException("image file not readable (permissions): " + file, e);
    } catch (final IOException e) {
      throw new IngestException.SourceNotFoundException("cannot read image file " + file + ": " + e.getMessage(), e);
    }
    try {
      if (PictureStructure.looksLikeJpeg(data)) {
        checkStructure(data, ImageFormat.JPEG);
      } else if (PictureStructure.looksLikePng(data)) {
        checkStructure(data, ImageFormat.PNG);
      }
      return imdecode(data, FILE_READ_FLAGS, formatGuess(data), data.length);
    } catch (final MalformedRecordException e) {
      throw new IngestException.UnsupportedSourceException(
          file + " is not a readable picture: " + e.getMessage() + ". Re-export it as JPEG or PNG.", e);
    }
  }

  private static PictureStructure.Size checkStructure(final byte[] data, final ImageFormat format) {
    try {
      return format == ImageFormat.JPEG ? PictureStructure.jpeg(data) : PictureStructure.png(data);
    } catch (final PictureStructure.Invalid e) {
      throw new MalformedRecordException(
          name(format) + " picture of " + data.length + " bytes is not a decodable picture: " + e.getMessage());
    }
  }

  private static DecodedImage imdecode(final byte[] data, final int flags, final String what, final int size) {
    if (data.length == 0) {
      throw new MalformedRecordException(what + " picture of 0 bytes is not a decodable picture: it is empty");
    }
    try (BytePointer in = new BytePointer(data);
        Mat buf = new Mat(1, data.length, CV_8UC1, in)) {
      final Mat decoded;
      try {
        decoded = opencv_imgcodecs.imdecode(buf, flags);
      } catch (final RuntimeException e) {
        throw new MalformedRecordException(
            what + " picture of " + size + " bytes is not a decodable picture: OpenCV failed: " + e.getMessage(), e);
      }
      try (Mat rgb = decoded) {
        if (rgb == null || rgb.empty()) {
          throw new MalformedRecordException(
              what + " picture of " + size + " bytes is not a decodable picture: OpenCV could not decode it");
        }
        if (rgb.type() != CV_8UC3 || !rgb.isContinuous()) {
          throw new MalformedRecordException(what + " picture of " + size
              + " bytes decoded to an unexpected pixel layout (OpenCV type " + rgb.type() + ")");
        }
        final int w = rgb.cols();
        final int h = rgb.rows();
        final byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        rgb.data().get(pixels);
        return new DecodedImage(w, h, pixels);
      }
    }
  }

  private static String sizeMismatch(
      final ImageFormat format, final int bytes, final int w, final int h, final int actualW, final int actualH) {
    return name(format) + " picture of " + bytes + " bytes is " + actualW + "x" + actualH + ", but its headers say "
        + w + "x" + h + "; the producer wrote inconsistent width/height headers";
  }

  private static String name(final ImageFormat format) {
    return format.wireName().toUpperCase(Locale.ROOT);
  }

  private static String formatGuess(final byte[] data) {
    return PictureStructure.looksLikeJpeg(data) ? "JPEG" : PictureStructure.looksLikePng(data) ? "PNG" : "image";
  }
}
