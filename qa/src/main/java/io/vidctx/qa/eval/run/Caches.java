package io.vidctx.qa.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vidctx.encoder.EncodedBatches;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.encoder.io.TokenFile;
import io.vidctx.encoder.io.TokenFileReader;
import io.vidctx.encoder.io.TokenFileWriter;
import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.qa.eval.EvalFiles;
import io.vidctx.qa.eval.niah.HaystackFile;
import io.vidctx.qa.export.MemoryFile;
import io.vidctx.qa.haystack.HaystackSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/*
 * Cache layout under out/cache:
 *   memories/<key>.vmem + <key>.json   a video's compressed memory (MemoryFile) and what it cost to
 *                                      make (decode, encode, compress nanoseconds)
 *   tokens/<key>.vtok + <key>.json     a haystack's encoded frames (no needle) and their cost
 * Keys hash everything that decides the content: the input's identity (absolute path, size, mtime),
 * the model's identity (its name and its files' identities, so two exports with one name do not
 * share), fps and compressor settings. A changed input or setting misses instead of returning stale
 * data. Cost sidecars are written before the artefact, each atomically: a kill leaves no artefact
 * that looks complete. An entry that cannot be read is rebuilt, with a note.
 */

/** The evaluation's on-disk caches of encoded haystacks and compressed memories. */
final class Caches {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final String model;
  private final String modelKey;
  private final EvalRunner.Listener listener;
  private @Nullable Key lastTokensKey;
  private @Nullable Tokens lastTokens;
  private @Nullable Key lastTextsKey;
  private @Nullable List<FrameTexts.FrameText> lastTexts;

  /**
   * @param model the model's name (stored in memory files, checked on reading)
   * @param modelKey what identifies the model's weights (name plus file identities)
   */
  Caches(final Path dir, final String model, final String modelKey, final EvalRunner.Listener listener) {
    this.dir = dir;
    this.model = model;
    this.modelKey = modelKey;
    this.listener = listener;
  }

  /** A cache key: a hash, and the text it hashes (kept in the sidecar for people). */
  record Key(String hash, String text) {
    static Key of(final String text) {
      return new Key(EvalFiles.hash(text), text);
    }
  }

  /** A memory read from the cache with its recorded cost. */
  record Stored(MemoryFile file, Map<String, Long> sourceNanos, long compressNanos) {}

  /** A haystack's frame tokens, whether they came from the cache, and what making them cost. */
  record Tokens(List<FrameTokens> frames, boolean reused, Map<String, Long> sourceNanos) {}

  Key memoryKey(final String identity, final double fps, final String settings) {
    return Key.of(identity + "|model " + modelKey + "|fps " + fps + "|" + settings);
  }

  @Nullable Stored readMemory(final Key key) {
    final Path vmem = dir.resolve("memories").resolve(key.hash() + ".vmem");
    final Path json = dir.resolve("memories").resolve(key.hash() + ".json");
    if (!Files.isRegularFile(vmem) || !Files.isRegularFile(json)) {
      return null;
    }
    try {
      final MemoryFile f = MemoryFile.read(vmem);
      if (!f.model().equals(model)) {
        listener.note("memory cache " + vmem + " holds model '" + f.model() + "', not '" + model + "': building again");
        return null;
      }
      final JsonNode cost = JSON.readTree(json.toFile());
      return new Stored(f, nanos(cost.path("sourceNanos")), cost.path("compressNanos").asLong());
    } catch (final IOException e) {
      listener.note("memory cache " + vmem + " unreadable (" + e.getMessage() + "): building again");
      return null;
    }
  }

  void writeMemory(final Key key, final MemoryFile file, final Map<String, Long> sourceNanos, final long compressNanos)
      throws IOException {
    final Path memories = dir.resolve("memories");
    writeCost(memories.resolve(key.hash() + ".json"), key, sourceNanos, compressNanos);
    file.write(memories.resolve(key.hash() + ".vmem"));
  }

  /** The cost sidecar of a cached artefact: its key's text, the source stages' times, the compression time. */
  private static void writeCost(final Path json, final Key key, final Map<String, Long> sourceNanos,
      final @Nullable Long compressNanos) throws IOException {
    final ObjectNode cost = JSON.createObjectNode();
    cost.put("key", key.text());
    final ObjectNode src = cost.putObject("sourceNanos");
    sourceNanos.forEach(src::put);
    if (compressNanos != null) {
      cost.put("compressNanos", compressNanos);
    }
    EvalFiles.writeAtomically(json, JSON.writeValueAsString(cost));
  }

  /**
   * The encoded frames of a haystack without needles: read from the cache, or decoded, encoded and
   * written to it.
   */
  Tokens haystackTokens(final HaystackFile hay, final VisionEncoder encoder, final int batchSize) throws IOException {
    final Key key = Key.of("haystack " + hay.contentHash() + " model " + modelKey);
    if (key.equals(lastTokensKey)) {
      return Objects.requireNonNull(lastTokens);
    }
    lastTokens = null;
    lastTokensKey = null;
    final Tokens made = readOrEncode(key, hay, encoder, batchSize);
    // Every needle and depth on a haystack is its own video, and the items of one haystack come
    // together: keep the last one so they share one read of a file of hundreds of megabytes.
    lastTokensKey = key;
    lastTokens = new Tokens(made.frames(), true, made.sourceNanos());
    return made;
  }

  private Tokens readOrEncode(final Key key, final HaystackFile hay, final VisionEncoder encoder,
      final int batchSize) throws IOException {
    final Path tokens = dir.resolve("tokens");
    final Path vtok = tokens.resolve(key.hash() + TokenFile.EXTENSION);
    final Path json = tokens.resolve(key.hash() + ".json");
    if (Files.isRegularFile(vtok) && Files.isRegularFile(json)) {
      try (TokenFileReader r = TokenFileReader.open(vtok)) {
        if (r.header().model().equals(model) && r.frameCount() == hay.frames()) {
          return new Tokens(r.readAll(), true, nanos(JSON.readTree(json.toFile()).path("sourceNanos")));
        }
        listener.note("haystack token cache " + vtok + " holds " + r.frameCount() + " frames of model '"
            + r.header().model() + "', not " + hay.frames() + " of '" + model + "': encoding again");
      } catch (final EncoderException | IOException e) {
        listener.note("haystack token cache " + vtok + " unreadable (" + e.getMessage() + "): encoding again");
      }
    }
    listener.note(String.format(Locale.ROOT, "encoding haystack %s once: %d frames (%.1f min), cached in %s",
        hay.spec().streamId(), hay.frames(), hay.durationMicros() / 60e6, vtok));
    final List<FrameTokens> out = new ArrayList<>((int) hay.frames());
    final TokenFileWriter[] writer = new TokenFileWriter[1];
    try (HaystackSource source = hay.open(hay.spec())) {
      final EncodedBatches.Timings t = EncodedBatches.run(source, encoder, batchSize, (frames, enc) -> {
        if (writer[0] == null) {
          final FrameTokens t0 = enc.get(0);
          writer[0] = TokenFileWriter.create(vtok, new TokenFile.Header(model, hay.spec().streamId(), t0.gridH(),
              t0.gridW(), t0.dim(), 0));
        }
        enc.forEach(writer[0]::write);
        out.addAll(enc);
        listener.frames(out.size(), hay.frames());
      });
      if (t.error() != null) {
        // A haystack is exact by construction: a clip that breaks off would shift every needle.
        throw new IngestException("haystack " + hay.spec().streamId() + ": " + t.error());
      }
      final Map<String, Long> cost = EvalRunner.stages(t.decodeNanos(), t.encodeNanos());
      writeCost(json, key, cost, null);
      if (writer[0] != null) {
        writer[0].finish();
      }
      return new Tokens(out, false, cost);
    } finally {
      if (writer[0] != null) {
        writer[0].close();
      }
    }
  }

  /**
   * What OCR reads in every frame of a haystack without needles (thumbnail, lines, time): read from the
   * cache, or read now and written to it.
   *
   * @param ocrKey what identifies the OCR models (their file identities)
   */
  List<FrameTexts.FrameText> haystackTexts(final HaystackFile hay, final OcrEngine engine, final String ocrKey)
      throws IOException {
    final Key key = Key.of("haystack " + hay.contentHash() + " ocr " + ocrKey);
    if (key.equals(lastTextsKey)) {
      return Objects.requireNonNull(lastTexts);
    }
    lastTexts = null;
    lastTextsKey = null;
    final List<FrameTexts.FrameText> made = readOrOcr(key, hay, engine);
    lastTextsKey = key;
    lastTexts = made;
    return made;
  }

  private List<FrameTexts.FrameText> readOrOcr(final Key key, final HaystackFile hay, final OcrEngine engine)
      throws IOException {
    final Path file = dir.resolve("texts").resolve(key.hash() + ".vocr");
    if (Files.isRegularFile(file)) {
      try {
        final List<FrameTexts.FrameText> cached = FrameTexts.read(file);
        if (cached.size() == hay.frames()) {
          return cached;
        }
        listener.note("haystack OCR cache " + file + " holds " + cached.size() + " frames, not " + hay.frames()
            + ": reading again");
      } catch (final IOException e) {
        listener.note("haystack OCR cache " + file + " unreadable (" + e.getMessage() + "): reading again");
      }
    }
    listener.note(String.format(Locale.ROOT, "reading the on-screen text of haystack %s once: %d frames, cached in %s",
        hay.spec().streamId(), hay.frames(), file));
    final List<FrameTexts.FrameText> out = new ArrayList<>((int) hay.frames());
    try (HaystackSource source = hay.open(hay.spec())) {
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        final VideoFrame v = f.get();
        out.add(FrameTexts.FrameText.read(engine, v.width(), v.height(), v.rgb()));
        listener.frames(out.size(), hay.frames());
      }
    }
    if (out.size() != hay.frames()) {
      throw new IngestException("haystack " + hay.spec().streamId() + " played " + out.size() + " frames, not "
          + hay.frames());
    }
    FrameTexts.write(file, out);
    return out;
  }

  /** A JSON object of stage name to nanoseconds, in its order. */
  static Map<String, Long> nanos(final JsonNode n) {
    final Map<String, Long> m = new LinkedHashMap<>();
    for (final Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      final Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asLong());
    }
    return m;
  }
}
