package io.vidctx.encoder.models;

import java.nio.file.Path;

/**
 * A file in place after {@link ModelDownloader#download}.
 *
 * @param path the final file
 * @param url where it came from
 * @param bytes its size
 * @param sha256 its computed checksum (lower-case hex)
 * @param published whether the checksum was checked against a published one (false: only recorded)
 * @param resumedFrom bytes reused from an earlier interrupted attempt (0 for a fresh download)
 * @param reused whether the file was already complete and nothing was fetched
 */
public record DownloadedFile(
    Path path, String url, long bytes, String sha256, boolean published, long resumedFrom, boolean reused) {

  public String name() {
    return path.getFileName().toString();
  }
}
