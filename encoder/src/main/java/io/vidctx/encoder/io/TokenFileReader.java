package io.vidctx.encoder.io;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.FrameTokens;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reads a {@link TokenFile}: header checks on open, then any frame by position. Not thread-safe. */
public final class TokenFileReader implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final TokenFile.Header header;
  private final int headerBytes;

  private TokenFileReader(final Path file, final FileChannel channel, final TokenFile.Header header, final int headerBytes) {
    this.file = file;
    this.channel = channel;
    this.header = header;
    this.headerBytes = headerBytes;
  }

  /** Opens and checks a token file (magic, version, sizes, length against the frame count). */
  public static TokenFileReader open(final Path file) {
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
      final long length = ch.size();
      final ByteBuffer fixed = readFully(ch, 0, TokenFile.FIXED_HEADER, file);
      final byte[] magic = new byte[8];
      fixed.get(magic);
      if (!Arrays.equals(magic, TokenFile.MAGIC)) {
        throw new EncoderException(file + " is not a vidctx token file (no VIDCTXTK magic)");
      }
      final int version = fixed.getInt();
      if (version != TokenFile.VERSION) {
        throw new EncoderException(file + " is token file version " + version + "; this vidctx reads version "
            + TokenFile.VERSION);
      }
      final int headerBytes = fixed.getInt();
      final int gridH = fixed.getInt();
      final int gridW = fixed.getInt();
      final int dim = fixed.getInt();
      fixed.getInt();
      final long count = fixed.getLong();
      if (headerBytes < TokenFile.FIXED_HEADER + 4 || headerBytes > length || gridH <= 0 || gridW <= 0 || dim <= 0) {
        throw new EncoderException(file + ": corrupt token file header (header " + headerBytes + " bytes, grid "
            + gridH + "x" + gridW + ", dim " + dim + ")");
      }
      final ByteBuffer names = readFully(ch, TokenFile.FIXED_HEADER, headerBytes - TokenFile.FIXED_HEADER, file);
      final String model = readString(names, file);
      final String stream = readString(names, file);
      if (count < 0) {
        throw new EncoderException(file + " is unfinished (its writer did not complete); encode the video again");
      }
      final TokenFile.Header h = new TokenFile.Header(model, stream, gridH, gridW, dim, count);
      final long expected = headerBytes + count * h.recordBytes();
      if (length != expected) {
        throw new EncoderException(file + " is " + length + " bytes but its header promises " + count + " frames ("
            + expected + " bytes): truncated or corrupt");
      }
      return new TokenFileReader(file, ch, h, headerBytes);
    } catch (final IOException e) {
      closeQuietly(ch);
      throw new EncoderException("cannot read token file " + file + ": " + e.getMessage(), e);
    } catch (final RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  public TokenFile.Header header() {
    return header;
  }

  public long frameCount() {
    return header.frameCount();
  }

  /** Frame {@code i} (0-based position in the file, not the frame's own index). */
  public FrameTokens read(final long i) {
    if (i < 0 || i >= header.frameCount()) {
      throw new IndexOutOfBoundsException("frame " + i + " of " + header.frameCount() + " in " + file);
    }
    try {
      final ByteBuffer b = readFully(channel, headerBytes + i * header.recordBytes(),
          Math.toIntExact(header.recordBytes()), file);
      final long index = b.getLong();
      final long pts = b.getLong();
      final float[] global = new float[header.dim()];
      final float[] patches = new float[header.gridH() * header.gridW() * header.dim()];
      b.asFloatBuffer().get(global).get(patches);
      return new FrameTokens(header.streamId(), index, pts, header.gridH(), header.gridW(), header.dim(), patches, global);
    } catch (final IOException e) {
      throw new EncoderException("cannot read frame " + i + " of " + file + ": " + e.getMessage(), e);
    }
  }

  /** Every frame, in file order. */
  public List<FrameTokens> readAll() {
    final List<FrameTokens> all = new ArrayList<>();
    for (long i = 0; i < header.frameCount(); i++) {
      all.add(read(i));
    }
    return all;
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static ByteBuffer readFully(final FileChannel ch, final long at, final int n, final Path file) throws IOException {
    final ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        throw new EncoderException(file + " ends early: wanted " + n + " bytes at offset " + at);
      }
    }
    b.flip();
    return b;
  }

  private static String readString(final ByteBuffer b, final Path file) {
    if (b.remaining() < 2) {
      throw new EncoderException(file + ": corrupt token file header (names cut short)");
    }
    final int len = Short.toUnsignedInt(b.getShort());
    if (len > b.remaining()) {
      throw new EncoderException(file + ": corrupt token file header (name of " + len + " bytes overruns the header)");
    }
    final byte[] s = new byte[len];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private static void closeQuietly(final @Nullable FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (final IOException e) {
        // Nothing to save on a read-only channel.
      }
    }
  }
}
