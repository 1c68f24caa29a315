package io.vidctx.qa.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** File habits the evaluation shares: atomic writes, content hashes for cache keys, file identities. */
public final class EvalFiles {
  private EvalFiles() {}

  /**
   * Writes {@code text} to a temporary file beside {@code file}, then renames it over {@code file}:
   * readers see the old content or the new, never half of it, and two writers never share a temporary
   * name (process id and clock in it). Not {@code Files.createTempFile}: its owner-only permissions
   * would stay on the file after the rename. Where the file system cannot rename atomically, a plain
   * rename.
   */
  public static void writeAtomically(final Path file, final String text) throws IOException {
    writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #writeAtomically(Path, String)} for bytes. */
  public static void writeAtomically(final Path file, final byte[] bytes) throws IOException {
    final Path target = file.toAbsolutePath();
    final Path dir = target.getParent();
    Files.createDirectories(dir);
    final Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
        + System.nanoTime() + ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (final AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The first 12 bytes of the SHA-256 of {@code text}, in hex: a cache key. */
  public static String hash(final String text) {
    try {
      final byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /**
   * What identifies a file's content cheaply: absolute path, size and modification time. A file that
   * is missing or unreadable gets "missing", so keys still differ from a present file's.
   */
  public static String identity(final Path file) {
    final Path p = file.toAbsolutePath().normalize();
    try {
      return p + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis();
    } catch (final IOException e) {
      return p + ":missing";
    }
  }
}
