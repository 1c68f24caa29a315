package io.vidctx.ingest.kafka;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.IngestException.MalformedRecordException;
import io.vidctx.ingest.image.ImageFormat;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Pictures too large for a record, kept in files that the record names (the claim-check pattern;
 * {@link FrameWireFormat#HEADER_REF}). Layout: {@code <dir>/<stream folder>/<index>.<jpg|png|rgb>},
 * where the stream folder is the stream id itself when it is a plain name ({@code [A-Za-z0-9_-]}
 * then {@code [A-Za-z0-9._-]}, at most 100 characters), else the id with every other character as
 * {@code _}, cut to 64 characters, plus {@code -} and 8 hex digits of its SHA-256 (so two ids never
 * share a folder).
 *
 * <p>Writing is atomic: the bytes go to a hidden temporary file in the stream folder, are forced
 * to the device, and the file is renamed to its final name; a reader sees the whole picture or no
 * file. A frame published again (same stream and index) replaces its file.
 */
final class ClaimCheck {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
  private static final long MIB = 1024 * 1024;

  private ClaimCheck() {}

  /**
   * Writes {@code frame}'s picture under {@code dir}.
   *
   * @return the file's absolute {@code file:} URI
   * @throws IngestException when the folder or the file cannot be written
   */
  static URI write(final Path dir, final EncodedFrame frame) {
    final Path folder = dir.resolve(folderName(frame.streamId()));
    final Path target = folder.resolve(frame.index() + "." + extension(frame.format()));
    Path tmp = null;
    try {
      Files.createDirectories(folder);
      tmp = Files.createTempFile(folder, "." + frame.index() + "-", ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        final ByteBuffer b = ByteBuffer.wrap(frame.data());
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return target.toUri();
    } catch (final IOException | UnsupportedOperationException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (final IOException ignored) {
          // The write already failed; that error is the one to report.
        }
      }
      throw new IngestException("frame " + frame.streamId() + " #" + frame.index() + ": cannot write its picture ("
          + frame.data().length + " bytes) to claim-check file " + target + ": " + e
          + "; check that the claim-check folder is writable and has room", e);
    }
  }

  /**
   * The picture bytes a reference names.
   *
   * @param where the record, as messages name it
   * @throws MalformedRecordException when the reference is not a {@code file:} URI, or the file is
   *     missing, not a regular file, larger than a {@code width x height} picture can be, or unreadable;
   *     the message names the record and the URI
   */
  static byte[] read(final String where, final String reference, final int width, final int height) {
    final URI uri;
    try {
      uri = new URI(reference.trim());
    } catch (final URISyntaxException e) {
      throw new MalformedRecordException(where + " has header " + FrameWireFormat.HEADER_REF + " = '"
          + abbreviate(reference) + "', not a URI (" + e.getReason() + ")");
    }
    final String refers = where + " refers to its picture by " + FrameWireFormat.HEADER_REF + " = " + uri;
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new MalformedRecordException(refers + ", which is not a file: URI; only file: URIs are supported");
    }
    final Path path;
    try {
      path = Path.of(uri);
    } catch (final IllegalArgumentException | FileSystemNotFoundException e) {
      throw new MalformedRecordException(refers + ", which is not a local file URI (" + e.getMessage()
          + "); use file:///absolute/path");
    }
    final BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (final NoSuchFileException e) {
      throw new MalformedRecordException(refers + ", but file " + path + " does not exist; claim-check files must"
          + " be kept as long as the records that name them, and be visible to consumers under the same path", e);
    } catch (final IOException e) {
      throw new MalformedRecordException(refers + ", but file " + path + " cannot be read: " + e, e);
    }
    if (!attributes.isRegularFile()) {
      throw new MalformedRecordException(refers + ", but " + path + " is not a regular file");
    }
    // The worst case of PNG, and far above JPEG and raw (3 bytes a pixel); keeps a bad reference
    // from filling the heap.
    final long limit = Math.min(Integer.MAX_VALUE - 8L, 4L * width * height + MIB);
    if (attributes.size() > limit) {
      throw new MalformedRecordException(refers + ", but file " + path + " holds " + attributes.size()
          + " bytes, more than a " + width + "x" + height + " picture can take (" + limit + ")");
    }
    try {
      return Files.readAllBytes(path);
    } catch (final NoSuchFileException e) {
      throw new MalformedRecordException(refers + ", but file " + path + " does not exist (it was removed while"
          + " being read)", e);
    } catch (final IOException e) {
      throw new MalformedRecordException(refers + ", but file " + path + " cannot be read: " + e, e);
    }
  }

  /** The folder of a stream's files: the id when it is a plain name, else a sanitised id plus a hash. */
  static String folderName(final String streamId) {
    if (PLAIN.matcher(streamId).matches()) {
      return streamId;
    }
    String s = UNSAFE.matcher(streamId).replaceAll("_");
    if (s.length() > 64) {
      s = s.substring(0, 64);
    }
    try {
      final byte[] digest = MessageDigest.getInstance("SHA-256").digest(streamId.getBytes(StandardCharsets.UTF_8));
      return s + "-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static String extension(final ImageFormat format) {
    return switch (format) {
      case JPEG -> "jpg";
      case PNG -> "png";
      case RAW -> "rgb";
    };
  }

  private static String abbreviate(final String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
