package io.vidctx.encoder.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One file of a catalog entry.
 *
 * @param name file name inside the model folder (what the manifest refers to)
 * @param url where the publisher serves it
 * @param sizeBytes exact size when the publisher lists it, else null
 * @param size the size as the publisher's page shows it ("352 MB"), for listings
 * @param sha256 the publisher's checksum (lower-case hex), or null when none was found
 * @param source the page the checksum and size were read from
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record CatalogFile(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty(value = "url", required = true) String url,
    @JsonProperty("size_bytes") @Nullable Long sizeBytes,
    @JsonProperty("size") @Nullable String size,
    @JsonProperty("sha256") @Nullable String sha256,
    @JsonProperty("source") @Nullable String source) {

  public CatalogFile {
    if (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw new IllegalArgumentException("catalog file name must be a plain file name, was '" + name + "'");
    }
    if (sha256 != null) {
      sha256 = sha256.toLowerCase(Locale.ROOT);
      if (!sha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("sha256 of " + name + " is not 64 hex digits: " + sha256);
      }
    }
  }

  /** Whether the publisher lists a checksum for this file. */
  public boolean published() {
    return sha256 != null;
  }
}
