package io.vidctx.encoder.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.encoder.EncoderException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The known CLIP-family ONNX exports, as data: {@code catalog.json} next to this class, optionally
 * extended by a user's own catalog file (same format; an entry with a known name replaces it).
 * Immutable.
 */
public final class ModelCatalog {
  static final String RESOURCE = "catalog.json";

  private final Map<String, CatalogEntry> entries;

  private ModelCatalog(final Map<String, CatalogEntry> entries) {
    this.entries = entries;
  }

  /** The JSON document: a comment and the entries. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  record Document(
      @JsonProperty("comment") @Nullable String comment,
      @JsonProperty(value = "models", required = true) List<CatalogEntry> models) {}

  /** The catalog shipped with vidctx. */
  public static ModelCatalog builtin() {
    try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new EncoderException("model catalog resource " + RESOURCE + " missing from the vidctx-encoder jar");
      }
      return of(new ObjectMapper().readValue(in, Document.class).models(), "the built-in catalog");
    } catch (final IOException e) {
      throw new EncoderException("cannot read the built-in model catalog: " + e.getMessage(), e);
    }
  }

  /** This catalog plus the entries of {@code file} (same JSON format); those replace same-named ones. */
  public ModelCatalog with(final Path file) {
    final Document doc;
    try {
      doc = new ObjectMapper().readValue(Files.readAllBytes(file), Document.class);
    } catch (final IOException e) {
      throw new EncoderException("cannot read model catalog " + file + ": " + e.getMessage(), e);
    }
    final Map<String, CatalogEntry> merged = new LinkedHashMap<>(entries);
    for (final CatalogEntry e : of(doc.models(), file.toString()).entries()) {
      merged.put(e.name(), e);
    }
    return new ModelCatalog(merged);
  }

  private static ModelCatalog of(final List<CatalogEntry> list, final String where) {
    final Map<String, CatalogEntry> byName = new LinkedHashMap<>();
    for (final CatalogEntry e : list) {
      if (byName.put(e.name(), e) != null) {
        throw new EncoderException("model " + e.name() + " is listed twice in " + where);
      }
    }
    return new ModelCatalog(byName);
  }

  /** Every entry, in catalog order. */
  public List<CatalogEntry> entries() {
    return List.copyOf(new ArrayList<>(entries.values()));
  }

  public Optional<CatalogEntry> find(final String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** The entry, or an error that lists the known names. */
  public CatalogEntry require(final String name) {
    return find(name).orElseThrow(() -> new EncoderException("unknown model '" + name + "'; known models: "
        + entries.keySet().stream().collect(Collectors.joining(", ")) + " ('vidctx models list' shows them)"));
  }
}
