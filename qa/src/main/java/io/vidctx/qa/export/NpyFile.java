package io.vidctx.qa.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/*
 * The format (numpy/lib/format.py, NEP 1): the magic "\x93NUMPY", a major and a minor version byte,
 * the header length (little-endian uint16 in 1.0, uint32 in 2.0 and 3.0), then the header: a Python
 * dict literal with exactly the keys descr, fortran_order and shape, latin-1 (UTF-8 in 3.0), padded
 * with spaces and ended by '\n' so that the data starts at a multiple of 64 bytes; then the values.
 *
 * We write 1.0 (a header longer than 65535 bytes would need thousands of dimensions) with the minimal
 * padding. numpy itself leaves ~21 extra spaces so a file can grow along its first axis in place; no
 * reader depends on that. We read what numpy.load reads for our three types, parsing the header as
 * the Python literal it is rather than matching numpy's current spelling of it.
 */

/**
 * Writes and reads NumPy {@code .npy} files holding float32, int32 or int64 arrays, so that token
 * embeddings, token spans and indices can be loaded with {@code numpy.load} and the other way round.
 *
 * <p>Writing produces format version 1.0, C order, little-endian. Reading accepts versions 1.0, 2.0
 * and 3.0, little- or big-endian data (big-endian is converted, so an {@link NpyArray} is always
 * little-endian), and refuses with an {@link IOException} naming the file and the problem: a file
 * that is not {@code .npy}, an unknown version, a malformed header, column-major ({@code
 * fortran_order: True}) data, another dtype, or fewer data bytes than the shape needs. Bytes after
 * the data are ignored, as {@code numpy.load} ignores them. Stateless and thread-safe.
 */
public final class NpyFile {

  /** The descrs this class reads and writes, for messages. */
  static final String SUPPORTED = "'<f4' (float32), '<i4' (int32) or '<i8' (int64), or their '>' big-endian forms";

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private static final int ALIGNMENT = 64;

  /** numpy.load refuses headers over 10 000 bytes by default; we allow more but not a huge allocation. */
  private static final int MAX_HEADER_BYTES = 1 << 20;

  /** Java arrays (and byte buffers) end here. */
  private static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

  /** Values are written through a buffer this big, so a large array is never copied whole. */
  private static final int CHUNK_BYTES = 1 << 16;

  private NpyFile() {}

  /**
   * Writes a float32 array ({@code '<f4'}), replacing the file if it exists.
   *
   * @param data the values in C order (row-major)
   * @param shape the dimensions, at least one, each {@code >= 0}; e.g. {@code n, d} for n vectors
   * @throws IllegalArgumentException when {@code data.length} is not the product of {@code shape}
   */
  public static void writeFloat32(final Path file, final float[] data, final int... shape) throws IOException {
    Objects.requireNonNull(data, "data");
    write(file, "<f4", shape, data.length, (buf, from, n) -> buf.asFloatBuffer().put(data, from, n));
  }

  /** Writes an int32 array ({@code '<i4'}); same rules as {@link #writeFloat32}. */
  public static void writeInt32(final Path file, final int[] data, final int... shape) throws IOException {
    Objects.requireNonNull(data, "data");
    write(file, "<i4", shape, data.length, (buf, from, n) -> buf.asIntBuffer().put(data, from, n));
  }

  /** Writes an int64 array ({@code '<i8'}), e.g. token spans in microseconds; same rules as {@link #writeFloat32}. */
  public static void writeInt64(final Path file, final long[] data, final int... shape) throws IOException {
    Objects.requireNonNull(data, "data");
    write(file, "<i8", shape, data.length, (buf, from, n) -> buf.asLongBuffer().put(data, from, n));
  }

  /**
   * Reads a {@code .npy} file whole.
   *
   * @throws IOException when the file cannot be read, or is not a {@code .npy} file of a supported
   *     version, layout and type, or is truncated; the message names the file and the problem
   */
  public static NpyArray read(final Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      final ByteBuffer prelude = readExactly(ch, MAGIC.length + 2, file, "the magic string and version");
      final byte[] magic = new byte[MAGIC.length];
      prelude.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + ": not a .npy file (it does not start with the magic string \\x93NUMPY)");
      }
      final int major = prelude.get() & 0xff;
      final int minor = prelude.get() & 0xff;
      if (major < 1 || major > 3 || minor != 0) {
        throw new IOException(file + ": unsupported .npy format version " + major + "." + minor
            + " (this reader knows 1.0, 2.0 and 3.0)");
      }
      final ByteBuffer lengthField =
          readExactly(ch, major == 1 ? 2 : 4, file, "the header length").order(ByteOrder.LITTLE_ENDIAN);
      final long headerLength = major == 1 ? lengthField.getShort() & 0xffff : lengthField.getInt() & 0xffffffffL;
      if (headerLength > MAX_HEADER_BYTES) {
        throw new IOException(file + ": .npy header length " + headerLength + " bytes is implausible (limit "
            + MAX_HEADER_BYTES + "); the file is damaged");
      }
      final ByteBuffer headerBytes = readExactly(ch, (int) headerLength, file, "the header");
      final String text = new String(headerBytes.array(), 0, (int) headerLength,
          major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      final NpyHeader header = NpyHeader.parse(text, file.toString());
      final int itemSize = itemSize(header.descr());
      final long bytes = header.elements() * itemSize;
      if (bytes > MAX_DATA_BYTES) {
        throw new IOException(file + ": shape " + tuple(header.shape()) + " of " + header.descr() + " is " + bytes
            + " bytes, more than one Java array holds");
      }
      final long available = ch.size() - ch.position();
      if (available < bytes) {
        throw new IOException(file + ": truncated: shape " + tuple(header.shape()) + " of " + header.descr()
            + " needs " + bytes + " data bytes after the header, but only " + available + " follow");
      }
      final ByteBuffer data = readExactly(ch, (int) bytes, file, "the data");
      if (header.descr().charAt(0) == '>') {
        swapBytes(data.array(), itemSize);
      }
      return new NpyArray("<" + header.descr().substring(1), false, header.shape(), data);
    }
  }

  /** Bytes per value of a supported descr (either byte order), or -1. */
  static int itemSize(final String descr) {
    if (descr.length() != 3 || (descr.charAt(0) != '<' && descr.charAt(0) != '>')) {
      return -1;
    }
    switch (descr.substring(1)) {
      case "f4":
      case "i4":
        return 4;
      case "i8":
        return 8;
      default:
        return -1;
    }
  }

  /**
   * The product of the dimensions, 1 for none.
   *
   * @throws IllegalArgumentException for a negative dimension or a product beyond {@code long}
   */
  static long elementCount(final int[] shape) {
    long n = 1;
    for (final int dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("dimensions must be >= 0, shape was " + tuple(shape));
      }
      n = Math.multiplyExact(n, dim);
    }
    return n;
  }

  /** A shape as Python writes a tuple: {@code ()}, {@code (n,)}, {@code (n, d)}. */
  static String tuple(final int[] shape) {
    final StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }

  /** Magic, version 1.0, length and the padded header dict: the bytes before the data. */
  static byte[] header(final String descr, final int[] shape) {
    final String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple(shape) + ", }";
    final int prefix = MAGIC.length + 2 + 2;
    final int unpadded = prefix + dict.length() + 1;
    final String text = dict + " ".repeat((ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT) + "\n";
    if (text.length() > 0xffff) {
      throw new IllegalArgumentException("a header for shape " + tuple(shape) + " does not fit format 1.0");
    }
    final ByteBuffer out = ByteBuffer.allocate(prefix + text.length()).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
    out.put(text.getBytes(StandardCharsets.ISO_8859_1));
    return out.array();
  }

  /** Puts {@code count} values starting at {@code from} at the start of a little-endian buffer. */
  @FunctionalInterface
  private interface Chunk {
    void put(ByteBuffer target, int from, int count);
  }

  private static void write(final Path file, final String descr, final int[] shape, final int length, final Chunk chunk)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(shape, "shape");
    if (shape.length == 0) {
      throw new IllegalArgumentException("give at least one dimension, e.g. (" + length + ") for a 1-D array");
    }
    final long count;
    try {
      count = elementCount(shape);
    } catch (final ArithmeticException e) {
      throw new IllegalArgumentException("shape " + tuple(shape) + " has more values than a long counts", e);
    }
    if (count != length) {
      throw new IllegalArgumentException(
          "data holds " + length + " values but shape " + tuple(shape) + " needs " + count);
    }
    final int itemSize = itemSize(descr);
    final int perChunk = CHUNK_BYTES / itemSize;
    final ByteBuffer buf = ByteBuffer.allocate(perChunk * itemSize).order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header(descr, shape));
      for (int from = 0; from < length; from += perChunk) {
        final int n = Math.min(perChunk, length - from);
        chunk.put(buf, from, n);
        out.write(buf.array(), 0, n * itemSize);
      }
    }
  }

  private static ByteBuffer readExactly(final FileChannel ch, final int n, final Path file, final String what)
      throws IOException {
    final ByteBuffer buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        throw new IOException(file + ": truncated: the file ends inside " + what + " (" + buf.position() + " of "
            + n + " bytes)");
      }
    }
    return buf.flip();
  }

  private static void swapBytes(final byte[] data, final int itemSize) {
    for (int i = 0; i < data.length; i += itemSize) {
      for (int lo = i, hi = i + itemSize - 1; lo < hi; lo++, hi--) {
        final byte b = data[lo];
        data[lo] = data[hi];
        data[hi] = b;
      }
    }
  }
}
