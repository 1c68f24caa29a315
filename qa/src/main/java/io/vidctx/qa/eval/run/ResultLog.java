package io.vidctx.qa.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.NeedleRecall;
import io.vidctx.qa.eval.Outcome;
import io.vidctx.qa.eval.SpanRun;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/*
 * Crash safety: one JSON line per result, written with a single write and forced to disk before the
 * next item starts, so a killed run loses at most the item it was working on. A kill in the middle of
 * a write leaves a torn last line; opening the log cuts it off (and says so), and that item runs again.
 */

/**
 * The append-only result log of an evaluation ({@code results.jsonl}): one {@link ItemResult} per line.
 * Opening an existing log reads what is done, so a rerun skips finished item x method pairs. Not
 * thread-safe.
 */
public final class ResultLog implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final FileChannel channel;
  private final Map<String, ItemResult> done;
  private final @Nullable String repaired;

  private ResultLog(final Path file, final FileChannel channel, final Map<String, ItemResult> done,
      final @Nullable String repaired) {
    this.file = file;
    this.channel = channel;
    this.done = done;
    this.repaired = repaired;
  }

  /**
   * Opens (or creates) the log, reading the results already in it; a torn last line (a run killed in
   * the middle of a write) is cut off.
   *
   * @throws IOException an unreadable file, or a damaged line that is not the last one (naming the line)
   */
  public static ResultLog open(final Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    final Parsed parsed = parse(file);
    final FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    try {
      // Two runs appending to one log would interleave their lines: the second is refused.
      if (ch.tryLock() == null) {
        throw new IOException(file + " is in use by another evaluation run: wait for it, or use another --out");
      }
    } catch (final java.nio.channels.OverlappingFileLockException e) {
      ch.close();
      throw new IOException(file + " is already open in this process: close the other ResultLog first", e);
    } catch (final IOException e) {
      ch.close();
      throw e;
    }
    ch.truncate(parsed.keep);
    ch.position(parsed.keep);
    if (parsed.keep > 0 && needsNewline(ch, parsed.keep)) {
      ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
    }
    return new ResultLog(file, ch, parsed.done, parsed.repaired);
  }

  /** What a log file holds: its results, how many bytes are whole lines, and what was cut off. */
  private record Parsed(Map<String, ItemResult> done, long keep, @Nullable String repaired) {}

  private static Parsed parse(final Path file) throws IOException {
    final Map<String, ItemResult> done = new LinkedHashMap<>();
    String repaired = null;
    long keep = 0;
    if (Files.exists(file)) {
      final byte[] bytes = Files.readAllBytes(file);
      int lineStart = 0;
      int lineNo = 0;
      while (lineStart < bytes.length) {
        int end = lineStart;
        while (end < bytes.length && bytes[end] != '\n') {
          end++;
        }
        lineNo++;
        final String line = new String(bytes, lineStart, end - lineStart, StandardCharsets.UTF_8);
        final boolean complete = end < bytes.length;
        if (!line.isBlank()) {
          try {
            final ItemResult r = fromJson(JSON.readTree(line));
            done.put(r.key(), r);
          } catch (final IOException | RuntimeException e) {
            if (complete) {
              throw new IOException(file + " line " + lineNo + " is not a result (" + e.getMessage()
                  + "): fix or delete the line, or start a new --out folder", e);
            }
            repaired = "cut off a torn last line (" + line.length() + " characters) of " + file
                + ": a run was stopped while writing it; that item runs again";
            break;
          }
        }
        if (!complete) {
          // A whole result without its newline (killed between the two): keep it, add the newline.
          keep = bytes.length;
          break;
        }
        lineStart = end + 1;
        keep = lineStart;
      }
    }
    return new Parsed(done, keep, repaired);
  }

  private static boolean needsNewline(final FileChannel ch, final long size) throws IOException {
    final ByteBuffer last = ByteBuffer.allocate(1);
    ch.read(last, size - 1);
    return last.get(0) != '\n';
  }

  /**
   * Reads every result of a log without writing to it (for reports; a run may be appending at the
   * same time): a torn last line is skipped, not cut off.
   */
  public static List<ItemResult> readAll(final Path file) throws IOException {
    return List.copyOf(parse(file).done.values());
  }

  public Path file() {
    return file;
  }

  /** What opening had to repair, or null. */
  public @Nullable String repaired() {
    return repaired;
  }

  /** Whether the item was already answered by this method; a failed attempt (ERROR) is not done. */
  public boolean isDone(final String itemId, final Method method) {
    final ItemResult r = done.get(itemId + "\u0000" + method.id());
    return r != null && r.outcome() != Outcome.ERROR;
  }

  /** The result recorded for the item and method, or null. */
  public @Nullable ItemResult get(final String itemId, final Method method) {
    return done.get(itemId + "\u0000" + method.id());
  }

  /** Every result in the log, in first-written order (a rerun's result replaces an earlier failed one). */
  public List<ItemResult> results() {
    return List.copyOf(done.values());
  }

  /**
   * Appends a result and forces it to disk. A write that fails part-way (a full disk) is cut back off,
   * so the log never holds half a line in its middle.
   */
  public void append(final ItemResult r) throws IOException {
    final byte[] line = (JSON.writeValueAsString(toJson(r)) + "\n").getBytes(StandardCharsets.UTF_8);
    final ByteBuffer buf = ByteBuffer.wrap(line);
    final long before = channel.position();
    try {
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      channel.force(false);
    } catch (final IOException e) {
      try {
        channel.truncate(before);
        channel.position(before);
      } catch (final IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    done.put(r.key(), r);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  static ObjectNode toJson(final ItemResult r) {
    final ObjectNode o = JSON.createObjectNode();
    o.put("item", r.itemId());
    o.put("method", r.method().id());
    o.put("outcome", r.outcome().name());
    o.put("answer", r.answer());
    o.put("choice", r.choice());
    if (Double.isNaN(r.confidence())) {
      o.putNull("confidence");
    } else {
      o.put("confidence", r.confidence());
    }
    o.put("atMicros", r.atMicros());
    if (r.grounded() == null) {
      o.putNull("grounded");
    } else {
      o.put("grounded", r.grounded());
    }
    final NeedleRecall rec = r.recall();
    if (rec == null) {
      o.putNull("recall");
    } else {
      final ObjectNode n = o.putObject("recall");
      n.put("hit", rec.hit());
      n.put("coverage", rec.coverage());
      n.put("purity", rec.purity());
      n.put("tokens", rec.tokens());
    }
    o.put("frames", r.frames());
    o.put("videoMicros", r.videoMicros());
    o.put("patchTokens", r.patchTokens());
    o.put("memoryTokens", r.memoryTokens());
    o.put("keptTokens", r.keptTokens());
    o.put("reduction", r.reduction());
    final ObjectNode st = o.putObject("stageNanos");
    for (final Map.Entry<String, Long> e : r.stageNanos().entrySet()) {
      st.put(e.getKey(), e.getValue());
    }
    final ArrayNode cached = o.putArray("cached");
    r.cached().forEach(cached::add);
    o.put("peakHeapBytes", r.peakHeapBytes());
    final ArrayNode runs = o.putArray("runs");
    for (final SpanRun s : r.runs()) {
      runs.addArray().add(s.startMicros()).add(s.endMicros()).add(s.tokens());
    }
    o.put("error", r.error());
    return o;
  }

  static ItemResult fromJson(final JsonNode o) {
    if (!o.isObject() || !o.path("item").isTextual() || !o.path("method").isTextual()
        || !o.path("outcome").isTextual()) {
      throw new IllegalArgumentException("needs \"item\", \"method\" and \"outcome\"");
    }
    final JsonNode rec = o.path("recall");
    final NeedleRecall recall = rec.isObject() ? new NeedleRecall(rec.path("hit").asBoolean(),
        rec.path("coverage").asDouble(), rec.path("purity").asDouble(), rec.path("tokens").asInt()) : null;
    final Map<String, Long> stages = Caches.nanos(o.path("stageNanos"));
    final List<String> cached = new ArrayList<>();
    o.path("cached").forEach(n -> cached.add(n.asText()));
    final List<SpanRun> runs = new ArrayList<>();
    o.path("runs").forEach(n -> runs.add(new SpanRun(n.get(0).asLong(), n.get(1).asLong(), n.get(2).asInt())));
    return new ItemResult(o.get("item").asText(), Method.parse(o.get("method").asText()),
        Outcome.valueOf(o.get("outcome").asText()), text(o, "answer"), o.path("choice").asInt(-1),
        o.path("confidence").isNumber() ? o.path("confidence").asDouble() : Double.NaN, o.path("atMicros").asLong(-1),
        o.path("grounded").isBoolean() ? o.path("grounded").asBoolean() : null, recall, o.path("frames").asLong(),
        o.path("videoMicros").asLong(), o.path("patchTokens").asLong(), o.path("memoryTokens").asInt(),
        o.path("keptTokens").asInt(), o.path("reduction").asDouble(), stages, cached, o.path("peakHeapBytes").asLong(),
        runs, text(o, "error"));
  }

  private static @Nullable String text(final JsonNode o, final String field) {
    final JsonNode n = o.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
