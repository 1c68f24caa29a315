package io.vidctx.ingest.image;

/** A decoded picture as packed RGB24 (row-major), not yet tied to a stream or a time. */
public record DecodedImage(int width, int height, byte[] rgb) {
  public DecodedImage {
    if ((long) width * height * 3 != rgb.length) {
      throw new IllegalArgumentException(
          "rgb holds " + rgb.length + " bytes, " + width + "x" + height + " RGB24 needs " + ((long) width * height * 3));
    }
  }
}
