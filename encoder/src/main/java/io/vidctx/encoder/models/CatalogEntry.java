package io.vidctx.encoder.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vidctx.encoder.manifest.ModelManifest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A known ONNX export: where its files come from and the {@code vidctx-model.json} to write once
 * they are in place.
 *
 * @param name the name {@code vidctx models pull} takes
 * @param family model family (OpenAI CLIP, MobileCLIP, SigLIP, DINOv2)
 * @param description one line for listings
 * @param license the licence as the publisher states it
 * @param page the publisher's model page
 * @param revision the repository revision the URLs are pinned to ("main" when unpinned)
 * @param notes caveats (what is left out, preprocessing differences)
 * @param files the files to download
 * @param manifest the manifest written after download (its sha256 map is filled in by the pull)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record CatalogEntry(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty("family") @Nullable String family,
    @JsonProperty("description") @Nullable String description,
    @JsonProperty("license") @Nullable String license,
    @JsonProperty("page") @Nullable String page,
    @JsonProperty("revision") @Nullable String revision,
    @JsonProperty("notes") @Nullable String notes,
    @JsonProperty(value = "files", required = true) List<CatalogFile> files,
    @JsonProperty(value = "manifest", required = true) ModelManifest manifest) {

  public CatalogEntry {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("model name must be letters, digits, '.', '_' or '-', was '" + name + "'");
    }
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("catalog entry " + name + " lists no files");
    }
    family = family == null ? "" : family;
    description = description == null ? "" : description;
    license = license == null ? "" : license;
    page = page == null ? "" : page;
    revision = revision == null ? "" : revision;
    notes = notes == null ? "" : notes;
  }

  /** Total size in bytes when every file's exact size is known, else -1. */
  public long totalBytes() {
    long total = 0;
    for (final CatalogFile f : files) {
      if (f.sizeBytes() == null) {
        return -1;
      }
      total += f.sizeBytes();
    }
    return total;
  }

  /** Whether the publisher lists a checksum for every file. */
  public boolean allPublished() {
    return files.stream().allMatch(CatalogFile::published);
  }
}
