package io.vidctx.ingest.image;

import io.vidctx.ingest.IngestException;
import java.util.Locale;

/** How a frame's pixels travel: the value of the {@code vidctx.format} record header. */
public enum ImageFormat {
  JPEG("jpeg"),
  PNG("png"),
  /** Packed RGB24, row-major, exactly width × height × 3 bytes. */
  RAW("raw");

  private final String wireName;

  ImageFormat(final String wireName) {
    this.wireName = wireName;
  }

  /** The lower-case name used in record headers and on the command line. */
  public String wireName() {
    return wireName;
  }

  /** Parses a wire or command-line name, case-insensitively ("jpeg", "jpg", "png", "raw", "rgb24"). */
  public static ImageFormat parse(final String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "jpeg":
      case "jpg":
        return JPEG;
      case "png":
        return PNG;
      case "raw":
      case "rgb24":
        return RAW;
      default:
        throw new IngestException.UnsupportedSourceException(
            "unknown image format '" + name + "': use jpeg, png or raw");
    }
  }
}
