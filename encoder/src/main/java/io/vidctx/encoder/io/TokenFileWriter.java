package io.vidctx.encoder.io;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.FrameTokens;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a {@link TokenFile} to {@code <file>.part}; {@link #finish} fills in the frame count and
 * renames it onto {@code file}. Closing without finishing deletes the part, so a failed run leaves
 * no file that looks complete. Not thread-safe.
 */
public final class TokenFileWriter implements AutoCloseable {
  private final Path target;
  private final Path part;
  private final TokenFile.Header header;
  private final FileChannel channel;
  private final ByteBuffer record;
  private long frames;
  private boolean finished;
  private boolean closed;

  private TokenFileWriter(final Path target, final Path part, final TokenFile.Header header, final FileChannel channel) {
    this.target = target;
    this.part = part;
    this.header = header;
    this.channel = channel;
    this.record = ByteBuffer.allocate(Math.toIntExact(header.recordBytes())).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Starts a file; {@code header.frameCount()} is ignored (counted as frames are written). */
  public static TokenFileWriter create(final Path file, final TokenFile.Header header) {
    final Path part = file.resolveSibling(file.getFileName() + ".part");
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      final FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      final TokenFileWriter w = new TokenFileWriter(file, part, header.withFrameCount(-1), ch);
      w.writeHeader(-1);
      return w;
    } catch (final IOException e) {
      throw new EncoderException("cannot create token file " + part + ": " + e.getMessage(), e);
    }
  }

  private void writeHeader(final long count) throws IOException {
    final byte[] model = header.model().getBytes(StandardCharsets.UTF_8);
    final byte[] stream = header.streamId().getBytes(StandardCharsets.UTF_8);
    final ByteBuffer b = ByteBuffer.allocate(header.headerBytes()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(TokenFile.MAGIC).putInt(TokenFile.VERSION).putInt(header.headerBytes())
        .putInt(header.gridH()).putInt(header.gridW()).putInt(header.dim()).putInt(0).putLong(count)
        .putShort((short) model.length).put(model).putShort((short) stream.length).put(stream);
    b.position(0).limit(b.capacity());
    channel.write(b, 0);
  }

  /** Appends one frame; its grid and dim must match the header. */
  public void write(final FrameTokens t) {
    if (finished || closed) {
      throw new IllegalStateException("token file " + target + " is already finished or closed");
    }
    if (t.gridH() != header.gridH() || t.gridW() != header.gridW() || t.dim() != header.dim()) {
      throw new EncoderException("frame " + t.index() + " has a " + t.gridH() + "x" + t.gridW() + "x" + t.dim()
          + " grid, the token file " + target + " holds " + header.gridH() + "x" + header.gridW() + "x" + header.dim());
    }
    record.clear();
    record.putLong(t.index()).putLong(t.ptsMicros());
    record.asFloatBuffer().put(t.global()).put(t.patches());
    record.position(0).limit(record.capacity());
    try {
      final long at = header.headerBytes() + frames * header.recordBytes();
      while (record.hasRemaining()) {
        channel.write(record, at + record.position());
      }
    } catch (final IOException e) {
      throw new EncoderException("cannot write to token file " + part + ": " + e.getMessage(), e);
    }
    frames++;
  }

  /** Frames written so far. */
  public long frames() {
    return frames;
  }

  /** Writes the frame count, syncs and renames the part onto the target; returns the final header. */
  public TokenFile.Header finish() {
    try {
      writeHeader(frames);
      channel.force(true);
      channel.close();
      closed = true;
      try {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (final AtomicMoveNotSupportedException e) {
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
      }
      finished = true;
      return header.withFrameCount(frames);
    } catch (final IOException e) {
      throw new EncoderException("cannot finish token file " + target + ": " + e.getMessage(), e);
    }
  }

  /** Without {@link #finish}: discards the partial file. */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    try {
      if (!closed) {
        channel.close();
        closed = true;
      }
      Files.deleteIfExists(part);
    } catch (final IOException e) {
      throw new EncoderException("cannot remove unfinished token file " + part + ": " + e.getMessage(), e);
    }
  }
}
