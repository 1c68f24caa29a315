package io.vidctx.ingest.image;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;

/*
 * Why a structural check before imdecode: libjpeg (inside OpenCV) treats a truncated or damaged
 * JPEG as a warning, prints "Premature end of JPEG file" to stderr and returns a picture whose
 * missing part is grey. A frame like that would flow on silently. Walking the marker structure
 * (segments, entropy-coded scan data, the end-of-image marker) catches truncation and most byte
 * garbage in microseconds, and yields the stored size for the header check before any pixels are
 * allocated. Damage that keeps the structure valid (bytes flipped inside scan data) cannot be
 * detected: JPEG has no checksum. PNG has CRCs on every chunk, so there the check is exact.
 */

/** Structural checks of JPEG and PNG byte streams; the stored picture size when they pass. */
final class PictureStructure {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private PictureStructure() {}

  /** The stored width and height of a structurally sound picture. */
  record Size(int width, int height) {}

  /** The bytes are not a well-formed picture of the claimed format; the message says why. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(final String message) {
      super(message, null, false, false);
    }
  }

  static boolean looksLikeJpeg(final byte[] d) {
    return d.length >= 3 && (d[0] & 0xff) == 0xff && (d[1] & 0xff) == 0xd8 && (d[2] & 0xff) == 0xff;
  }

  static boolean looksLikePng(final byte[] d) {
    if (d.length < PNG_SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < PNG_SIGNATURE.length; i++) {
      if (d[i] != PNG_SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Walks a JPEG from start-of-image to end-of-image: every segment fits, a frame header comes
   * before the first scan, scan data holds only stuffed bytes, restart markers or valid markers,
   * and the end-of-image marker is present (bytes after it are ignored).
   */
  static Size jpeg(final byte[] d) throws Invalid {
    if (!looksLikeJpeg(d)) {
      throw new Invalid("it does not start with the JPEG start-of-image marker FF D8");
    }
    int width = -1;
    int height = -1;
    int pos = 2;
    while (true) {
      if (pos >= d.length) {
        throw new Invalid("it ends at byte " + d.length + " before the end-of-image marker (truncated)");
      }
      if ((d[pos] & 0xff) != 0xff) {
        throw new Invalid(String.format(Locale.ROOT,
            "expected a marker at byte %d, found 0x%02X (corrupt header)", pos, d[pos] & 0xff));
      }
      while (pos < d.length && (d[pos] & 0xff) == 0xff) {
        pos++; // fill bytes
      }
      if (pos >= d.length) {
        throw new Invalid("it ends inside a marker at byte " + d.length + " (truncated)");
      }
      final int marker = d[pos] & 0xff;
      pos++;
      if (marker == 0xd9) {
        throw new Invalid("it reaches the end-of-image marker before any image data");
      }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        continue; // standalone markers carry no length
      }
      if (!isSegmentMarker(marker)) {
        throw new Invalid(String.format(Locale.ROOT,
            "invalid marker 0x%02X at byte %d (corrupt header)", marker, pos - 1));
      }
      if (pos + 2 > d.length) {
        throw new Invalid("it ends inside the length of segment " + hex(marker) + " (truncated)");
      }
      final int length = (d[pos] & 0xff) << 8 | (d[pos + 1] & 0xff);
      if (length < 2) {
        throw new Invalid("segment " + hex(marker) + " at byte " + pos + " has an impossible length " + length);
      }
      if (pos + length > d.length) {
        throw new Invalid("segment " + hex(marker) + " at byte " + pos + " runs past the end of the data (truncated)");
      }
      if (isFrameHeader(marker)) {
        if (length < 8) {
          throw new Invalid("frame header at byte " + pos + " is too short");
        }
        height = (d[pos + 3] & 0xff) << 8 | (d[pos + 4] & 0xff);
        width = (d[pos + 5] & 0xff) << 8 | (d[pos + 6] & 0xff);
        if (width == 0 || height == 0) {
          throw new Invalid("frame header says " + width + "x" + height);
        }
      }
      pos += length;
      if (marker == 0xda) {
        if (width < 0) {
          throw new Invalid("image data starts before any frame header");
        }
        final int next = skipScan(d, pos);
        if (next < 0) {
          return new Size(width, height);
        }
        pos = next;
      }
    }
  }

  /** Returns the position of the marker that ends the scan, or -1 when it is end-of-image. */
  private static int skipScan(final byte[] d, final int start) throws Invalid {
    int i = start;
    while (i < d.length) {
      if ((d[i] & 0xff) != 0xff) {
        i++;
        continue;
      }
      if (i + 1 >= d.length) {
        break;
      }
      final int m = d[i + 1] & 0xff;
      if (m == 0x00 || (m >= 0xd0 && m <= 0xd7)) {
        i += 2; // stuffed 0xFF or restart marker
      } else if (m == 0xff) {
        i++; // fill byte before a marker
      } else if (m == 0xd9) {
        return -1;
      } else if (isSegmentMarker(m)) {
        return i; // next table or scan of a progressive JPEG
      } else {
        throw new Invalid(String.format(Locale.ROOT,
            "invalid marker 0x%02X inside the image data at byte %d (corrupt data)", m, i + 1));
      }
    }
    throw new Invalid("it ends at byte " + d.length + " inside the image data, with no end-of-image marker (truncated)");
  }

  private static boolean isSegmentMarker(final int m) {
    return m >= 0xc0 && m <= 0xfe && !(m >= 0xd0 && m <= 0xd9);
  }

  private static boolean isFrameHeader(final int m) {
    return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
  }

  /**
   * Walks a PNG: the signature, an IHDR chunk first, every chunk complete with a matching CRC, at
   * least one IDAT, and IEND.
   */
  static Size png(final byte[] d) throws Invalid {
    if (!looksLikePng(d)) {
      throw new Invalid("it does not start with the PNG signature 89 50 4E 47 0D 0A 1A 0A");
    }
    int pos = PNG_SIGNATURE.length;
    int width = -1;
    int height = -1;
    boolean sawData = false;
    final CRC32 crc = new CRC32();
    while (true) {
      if (pos + 8 > d.length) {
        throw new Invalid("it ends at byte " + d.length + " before the IEND chunk (truncated)");
      }
      final long length = readInt(d, pos) & 0xffffffffL;
      final String type = new String(d, pos + 4, 4, StandardCharsets.ISO_8859_1);
      if (pos + 12 + length > d.length) {
        throw new Invalid("chunk '" + printable(type) + "' at byte " + pos + " runs past the end of the data (truncated)");
      }
      crc.reset();
      crc.update(d, pos + 4, (int) length + 4);
      final int stored = readInt(d, pos + 8 + (int) length);
      if ((int) crc.getValue() != stored) {
        throw new Invalid("chunk '" + printable(type) + "' at byte " + pos + " fails its CRC check (corrupt data)");
      }
      if (width < 0 && !"IHDR".equals(type)) {
        throw new Invalid("the first chunk is '" + printable(type) + "', not IHDR");
      }
      switch (type) {
        case "IHDR" -> {
          if (length < 8) {
            throw new Invalid("IHDR chunk is too short");
          }
          width = readInt(d, pos + 8);
          height = readInt(d, pos + 12);
          if (width <= 0 || height <= 0) {
            throw new Invalid("IHDR says " + width + "x" + height);
          }
        }
        case "IDAT" -> sawData = true;
        case "IEND" -> {
          if (!sawData) {
            throw new Invalid("it has no IDAT chunk (no image data)");
          }
          return new Size(width, height);
        }
        default -> { }
      }
      pos += 12 + (int) length;
    }
  }

  private static int readInt(final byte[] d, final int p) {
    return (d[p] & 0xff) << 24 | (d[p + 1] & 0xff) << 16 | (d[p + 2] & 0xff) << 8 | (d[p + 3] & 0xff);
  }

  private static String printable(final String type) {
    return type.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? type : "?";
  }

  private static String hex(final int marker) {
    return String.format(Locale.ROOT, "0x%02X", marker);
  }
}
