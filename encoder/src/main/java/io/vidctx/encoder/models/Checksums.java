package io.vidctx.encoder.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vidctx.encoder.EncoderException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A pulled folder's {@code checksums.json}: the sha256 computed for every file and whether the
 * publisher lists it (verified) or not (recorded on first download, trusted on first use).
 *
 * @param model catalog name
 * @param files one record per file
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Checksums(
    @JsonProperty("model") String model,
    @JsonProperty("files") List<Checksums.Entry> files) {

  /** The file name in a model folder. */
  public static final String FILE_NAME = "checksums.json";

  public Checksums {
    files = List.copyOf(files);
  }

  /**
   * One file.
   *
   * @param published true when {@code sha256} was verified against the publisher's; false when it was
   *     only computed here
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(
      @JsonProperty("name") String name,
      @JsonProperty("url") String url,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("sha256") String sha256,
      @JsonProperty("published") boolean published,
      @JsonProperty("source") @Nullable String source) {}

  public Optional<Entry> find(final String name) {
    return files.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** Reads {@code dir/checksums.json}, empty when absent or unreadable (then nothing is reused). */
  static Optional<Checksums> read(final Path dir) {
    final Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ObjectMapper().readValue(file.toFile(), Checksums.class));
    } catch (final IOException e) {
      return Optional.empty();
    }
  }

  void write(final Path dir) {
    try {
      final byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(this);
      ModelDownloader.writeAtomically(dir.resolve(FILE_NAME), json);
    } catch (final IOException e) {
      throw new EncoderException("cannot write " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
    }
  }

  /** The sha256 of a file, lower-case hex. */
  public static String sha256(final Path file) {
    final MessageDigest md = newDigest();
    final byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    } catch (final IOException e) {
      throw new EncoderException("cannot read " + file + " to compute its sha256: " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
