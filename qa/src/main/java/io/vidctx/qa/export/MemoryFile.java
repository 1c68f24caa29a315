package io.vidctx.qa.export;

import io.vidctx.tokencompress.VideoMemory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * A compressed video memory on disk ({@code vidctx compress --out}), so that many questions about one
 * long video are asked without decoding and encoding it again. Besides the memory it records which
 * model encoded the video (a query must be embedded by the same model), the video, the sampling rate
 * and the compression settings.
 *
 * <p>Layout: the 8 bytes {@code VIDCTXM\0}, a format version (int, big-endian), then model name, model
 * dim, video, fps, compressor settings, and the memory's own versioned form ({@link
 * VideoMemory#writeTo}).
 *
 * @param model name of the encoder model ("builtin", or a manifest's name)
 * @param video the video location the memory was built from
 * @param fps the sampling rate the video was decoded at
 * @param settings the compressor settings, as {@code CompressorConfig.toString()}
 * @param memory the compressed memory
 */
public record MemoryFile(String model, String video, double fps, String settings, VideoMemory memory) {
  /** The format this build writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private static final byte[] MAGIC = "VIDCTXM\0".getBytes(StandardCharsets.US_ASCII);

  /** Writes the file atomically (a temporary file beside it, then a rename). */
  public void write(final Path file) throws IOException {
    final Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    final Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    try {
      try (OutputStream os = Files.newOutputStream(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
        out.write(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(model);
        out.writeInt(memory.dim());
        out.writeUTF(video);
        out.writeDouble(fps);
        out.writeUTF(settings);
        memory.writeTo(out);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (final AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads a memory file.
   *
   * @throws IOException naming the file when it is missing, not a memory file, of another format
   *     version, truncated or inconsistent; the message says what to do
   */
  public static MemoryFile read(final Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("memory file " + file + " does not exist (make one with 'vidctx compress VIDEO --out "
          + file + "')");
    }
    try (InputStream is = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
      final byte[] magic = new byte[MAGIC.length];
      final int got = in.readNBytes(magic, 0, magic.length);
      if (got < magic.length || !Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + " is not a vidctx memory file (they are made by 'vidctx compress VIDEO --out"
            + " FILE')");
      }
      final int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException("memory file " + file + " has format version " + version + " but this vidctx reads"
            + " version " + FORMAT_VERSION + ": run 'vidctx compress' again with this version");
      }
      final String model = in.readUTF();
      final int dim = in.readInt();
      final String video = in.readUTF();
      final double fps = in.readDouble();
      final String settings = in.readUTF();
      final VideoMemory memory;
      try {
        memory = VideoMemory.readFrom(in);
      } catch (final EOFException e) {
        throw e;
      } catch (final IOException e) {
        throw new IOException("memory file " + file + ": " + e.getMessage()
            + " (run 'vidctx compress' again with this version)", e);
      }
      if (memory.dim() != dim && memory.tokenCount() > 0) {
        throw new IOException("memory file " + file + " is inconsistent: header says dim " + dim + ", tokens have "
            + memory.dim());
      }
      if (in.read() != -1) {
        throw new IOException("memory file " + file + " has trailing bytes after the memory: it is corrupt");
      }
      return new MemoryFile(model, video, fps, settings, memory);
    } catch (final EOFException e) {
      throw new IOException("memory file " + file + " is truncated: run 'vidctx compress' again", e);
    }
  }
}
