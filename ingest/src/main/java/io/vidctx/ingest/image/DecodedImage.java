package io.vidctx.ingest.image;

/**
 * A decoded picture as packed RGB24 (row-major), not yet tied to a stream or a time. Invariant:
 * width and height are positive and {@code rgb} holds exactly width × height × 3 bytes. The array is
 * not copied: whoever creates the record hands it over.
 */
public record DecodedImage(int width, int height, byte[] rgb) {
  public DecodedImage {
    java.util.Objects.requireNonNull(rgb, "rgb");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("picture size must be positive, was " + width + "x" + height);
    }
    if ((long) width * height * 3 != rgb.length) {
      throw new IllegalArgumentException(
          "rgb holds " + rgb.length + " bytes, " + width + "x" + height + " RGB24 needs " + ((long) width * height * 3));
    }
  }
}
