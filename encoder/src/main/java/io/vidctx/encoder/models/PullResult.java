package io.vidctx.encoder.models;

import java.nio.file.Path;
import java.util.List;

/**
 * A model folder after {@link ModelDownloader#pull}.
 *
 * @param model catalog name
 * @param dir the model folder
 * @param manifest its {@code vidctx-model.json}
 * @param checksums its {@code checksums.json}
 * @param files every file, in catalog order
 */
public record PullResult(String model, Path dir, Path manifest, Path checksums, List<DownloadedFile> files) {
  public PullResult {
    files = List.copyOf(files);
  }

  /** Files whose checksum the publisher does not list: computed and recorded, not verified. */
  public List<DownloadedFile> unpublished() {
    return files.stream().filter(f -> !f.published()).toList();
  }

  public long totalBytes() {
    return files.stream().mapToLong(DownloadedFile::bytes).sum();
  }
}
