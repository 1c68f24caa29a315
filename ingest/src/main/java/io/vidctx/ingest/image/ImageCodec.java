package io.vidctx.ingest.image;

/**
 * JPEG/PNG/raw encoding and decoding of RGB24 pictures with a native codec (OpenCV's {@code
 * imencode}/{@code imdecode}), never {@code javax.imageio}. Thread-safe. SKELETON: the
 * ingest-kafka work fills this in.
 */
public final class ImageCodec {

  /** JPEG quality 0..100 used when none is given. */
  public static final int DEFAULT_JPEG_QUALITY = 90;

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

  /** Encodes packed RGB24 pixels. */
  public byte[] encode(final byte[] rgb, final int width, final int height, final ImageFormat format) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /**
   * Decodes an encoded picture to RGB24. For {@link ImageFormat#RAW} the size must be given.
   *
   * @throws io.vidctx.ingest.IngestException.MalformedRecordException when the bytes are not a
   *     decodable picture of that format (or, for raw, do not match width × height × 3)
   */
  public DecodedImage decode(final byte[] data, final ImageFormat format, final int width, final int height) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Reads an image file (JPEG, PNG, ...) to RGB24, e.g. a needle photo or an example-image query. */
  public DecodedImage read(final java.nio.file.Path file) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
