package io.vidctx.qa.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.encoder.io.TokenFile;
import io.vidctx.encoder.io.TokenFileReader;
import io.vidctx.encoder.io.TokenFileWriter;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.qa.eval.niah.HaystackFile;
import io.vidctx.qa.export.MemoryFile;
import io.vidctx.qa.haystack.HaystackSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/*
 * Cache layout under out/cache:
 *   memories/<key>.vmem + <key>.json   a video's compressed memory (MemoryFile) and what it cost to
 *                                      make (decode, encode, compress nanoseconds)
 *   tokens/<key>.vtok + <key>.json     a haystack's encoded frames (no needle) and their cost
 * Keys hash everything that decides the content (file identity = absolute path, size, mtime; model;
 * fps; compressor settings), so a changed input or setting misses instead of returning stale data.
 * Both files are written to a temporary name and renamed, cost sidecar first: a kill leaves no
 * artefact that looks complete. A cache file that cannot be read is rebuilt, with a note.
 */

/** The evaluation's on-disk caches of encoded haystacks and compressed memories. */
final class Caches {
  private Caches() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A cache key: a hash, and the text it hashes (kept in the sidecar for people). */
  record Key(String hash, String text) {}

  /** A memory read from the cache with its recorded cost. */
  record Stored(MemoryFile file, Map<String, Long> sourceNanos, long compressNanos) {}

  /** A haystack's frame tokens, whether they came from the cache, and what making them cost. */
  record Tokens(List<FrameTokens> frames, boolean reused, Map<String, Long> sourceNanos) {}

  static Key memoryKey(final String identity, final String model, final double fps, final String settings) {
    final String text = identity + "|model " + model + "|fps " + fps + "|" + settings;
    return new Key(hash(text), text);
  }

  static String fileIdentity(final Path file) throws IOException {
    final Path p = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw new IOException("not found: " + file);
    }
    return p + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis();
  }

  static @Nullable Stored readMemory(final Path cacheDir, final Key key, final String model) {
    final Path vmem = cacheDir.resolve("memories").resolve(key.hash() + ".vmem");
    final Path json = cacheDir.resolve("memories").resolve(key.hash() + ".json");
    if (!Files.isRegularFile(vmem) || !Files.isRegularFile(json)) {
      return null;
    }
    try {
      final MemoryFile f = MemoryFile.read(vmem);
      if (!f.model().equals(model)) {
        return null;
      }
      final JsonNode cost = JSON.readTree(json.toFile());
      return new Stored(f, nanos(cost.path("sourceNanos")), cost.path("compressNanos").asLong());
    } catch (final IOException e) {
      // Rebuilt below; a damaged cache entry must not fail the item.
      return null;
    }
  }

  static void writeMemory(final Path cacheDir, final Key key, final MemoryFile file, final Map<String, Long> sourceNanos,
      final long compressNanos) throws IOException {
    final Path dir = cacheDir.resolve("memories");
    Files.createDirectories(dir);
    final ObjectNode cost = JSON.createObjectNode();
    cost.put("key", key.text());
    final ObjectNode src = cost.putObject("sourceNanos");
    sourceNanos.forEach(src::put);
    cost.put("compressNanos", compressNanos);
    writeJson(dir.resolve(key.hash() + ".json"), cost);
    file.write(dir.resolve(key.hash() + ".vmem"));
  }

  /**
   * The encoded frames of a haystack without needles: read from the cache, or decoded, encoded and
   * written to it.
   */
  static Tokens haystackTokens(final Path cacheDir, final HaystackFile hay, final String model,
      final VisionEncoder encoder, final int batchSize, final EvalRunner.Listener listener) throws IOException {
    final Key key = new Key(hash(hay.contentHash() + "|model " + model), "haystack " + hay.contentHash() + " model "
        + model);
    final Path dir = cacheDir.resolve("tokens");
    final Path vtok = dir.resolve(key.hash() + TokenFile.EXTENSION);
    final Path json = dir.resolve(key.hash() + ".json");
    if (Files.isRegularFile(vtok) && Files.isRegularFile(json)) {
      try (TokenFileReader r = TokenFileReader.open(vtok)) {
        if (r.header().model().equals(model) && r.frameCount() == hay.frames()) {
          return new Tokens(r.readAll(), true, nanos(JSON.readTree(json.toFile()).path("sourceNanos")));
        }
      } catch (final EncoderException | IOException e) {
        listener.note("haystack token cache " + vtok + " unreadable (" + e.getMessage() + "): encoding again");
      }
    }
    listener.note(String.format(java.util.Locale.ROOT, "encoding haystack %s once: %d frames (%.1f min), cached in %s",
        hay.spec().streamId(), hay.frames(), hay.durationMicros() / 60e6, vtok));
    final List<FrameTokens> out = new ArrayList<>((int) hay.frames());
    long decodeNanos = 0;
    long encodeNanos = 0;
    Files.createDirectories(dir);
    TokenFileWriter writer = null;
    try (HaystackSource source = hay.open(hay.spec())) {
      final List<VideoFrame> batch = new ArrayList<>(batchSize);
      boolean more = true;
      while (more) {
        final long td = System.nanoTime();
        final Optional<VideoFrame> f = source.next();
        decodeNanos += System.nanoTime() - td;
        f.ifPresent(batch::add);
        more = f.isPresent();
        if (batch.size() == batchSize || (!more && !batch.isEmpty())) {
          final long te = System.nanoTime();
          final List<FrameTokens> enc = encoder.encode(batch);
          encodeNanos += System.nanoTime() - te;
          if (writer == null) {
            final FrameTokens t0 = enc.get(0);
            writer = TokenFileWriter.create(vtok, new TokenFile.Header(model, hay.spec().streamId(), t0.gridH(),
                t0.gridW(), t0.dim(), 0));
          }
          for (final FrameTokens t : enc) {
            writer.write(t);
          }
          out.addAll(enc);
          batch.clear();
          listener.frames(out.size(), hay.frames());
        }
      }
      final Map<String, Long> cost = EvalRunner.stages(decodeNanos, encodeNanos);
      final ObjectNode side = JSON.createObjectNode();
      side.put("key", key.text());
      final ObjectNode src = side.putObject("sourceNanos");
      cost.forEach(src::put);
      writeJson(json, side);
      if (writer != null) {
        writer.finish();
      }
      return new Tokens(out, false, cost);
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
  }

  private static Map<String, Long> nanos(final JsonNode n) {
    final Map<String, Long> m = new LinkedHashMap<>();
    for (final Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      final Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asLong());
    }
    return m;
  }

  private static void writeJson(final Path file, final ObjectNode node) throws IOException {
    final Path tmp = file.resolveSibling(file.getFileName() + ".part");
    Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  static String hash(final String text) {
    try {
      final byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
