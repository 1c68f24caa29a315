package io.vidctx.encoder.models;

import java.net.URI;

/** Hears about a download's progress; called on the downloading thread. */
public interface DownloadListener {
  /** Does nothing. */
  DownloadListener NONE = (file, done, total) -> { };

  /**
   * A file's transfer begins.
   *
   * @param offset bytes already on disk from an earlier, interrupted attempt (resumed from here)
   * @param total expected size in bytes, or -1 when unknown
   */
  default void started(final String file, final URI url, final long offset, final long total) {}

  /** Bytes of {@code file} on disk so far, out of {@code total} (-1 when unknown). */
  void progress(String file, long done, long total);

  /** A file was already complete in the target folder and its checksum matched; nothing was fetched. */
  default void reused(final String file, final long bytes) {}
}
