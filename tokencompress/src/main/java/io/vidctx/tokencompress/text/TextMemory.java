package io.vidctx.tokencompress.text;

import io.vidctx.encoder.ocr.TextBox;
import io.vidctx.encoder.ocr.TextNormalizer;
import io.vidctx.encoder.ocr.TextToken;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/*
 * Bounded like the visual memory: O(capacity) whatever the stream's length. When full, the token
 * least worth keeping goes: the lowest confidence x ln(1 + readings), i.e. a line read once, unsure
 * (OCR noise on textures: foliage read as "llll") before a title seen in many frames; ties to the
 * oldest. The same text read again shortly after a token ends extends it (a title flickering out
 * for one OCR'd frame stays one token). Deterministic: the same tokens in the same order give the
 * same memory, also across writeTo / readFrom.
 */
/**
 * The text tokens of one stream (on-screen text with its time span, box, confidence and number of
 * readings: its provenance), bounded by {@link TextMemoryConfig#capacity()}. Not thread-safe: one
 * stream, one thread.
 */
public final class TextMemory {
  private static final byte FORMAT_VERSION = 1;

  private final TextMemoryConfig config;
  private final List<TextToken> tokens = new ArrayList<>();
  private final List<String> keys = new ArrayList<>();
  private long added;
  private long evicted;

  public TextMemory(final TextMemoryConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Adds a token (tokens arrive roughly in time order, as a timeline closes them); a token whose text
   * has no letters or digits is ignored.
   */
  public void add(final TextToken token) {
    Objects.requireNonNull(token, "token");
    final String key = TextNormalizer.compact(token.text());
    if (key.isEmpty()) {
      return;
    }
    added++;
    for (int i = tokens.size() - 1; i >= 0; i--) {
      final TextToken t = tokens.get(i);
      if (keys.get(i).equals(key) && token.startMicros() <= t.endMicros() + config.mergeGapMicros()
          && t.startMicros() <= token.endMicros() + config.mergeGapMicros()) {
        tokens.set(i, merge(t, token));
        return;
      }
    }
    int at = tokens.size();
    while (at > 0 && tokens.get(at - 1).startMicros() > token.startMicros()) {
      at--;
    }
    tokens.add(at, token);
    keys.add(at, key);
    if (tokens.size() > config.capacity()) {
      int worst = 0;
      for (int i = 1; i < tokens.size(); i++) {
        if (value(tokens.get(i)) < value(tokens.get(worst))) {
          worst = i;
        }
      }
      tokens.remove(worst);
      keys.remove(worst);
      evicted++;
    }
  }

  private static double value(final TextToken t) {
    return t.confidence() * Math.log1p(t.readings());
  }

  private static TextToken merge(final TextToken a, final TextToken b) {
    final TextToken best = b.confidence() > a.confidence() ? b : a;
    return new TextToken(best.text(), Math.min(a.startMicros(), b.startMicros()),
        Math.max(a.endMicros(), b.endMicros()), best.box(), best.confidence(), a.readings() + b.readings());
  }

  /** The tokens, by start time (a copy). */
  public List<TextToken> tokens() {
    final List<TextToken> out = new ArrayList<>(tokens);
    out.sort(Comparator.comparingLong(TextToken::startMicros));
    return out;
  }

  public int size() {
    return tokens.size();
  }

  /** Tokens offered (merged ones included, empty texts not). */
  public long added() {
    return added;
  }

  /** Tokens dropped because the memory was full. */
  public long evicted() {
    return evicted;
  }

  public TextMemoryConfig config() {
    return config;
  }

  /** Writes the memory (versioned) for an exact resume. */
  public void writeTo(final DataOutput out) throws IOException {
    out.writeByte(FORMAT_VERSION);
    out.writeLong(added);
    out.writeLong(evicted);
    writeTokens(out, tokens);
  }

  /**
   * Reads a memory written by {@link #writeTo}.
   *
   * @throws IOException on a truncated or corrupt stream, an unknown version, or more tokens than
   *     {@code config} allows
   */
  public static TextMemory readFrom(final TextMemoryConfig config, final DataInput in) throws IOException {
    final byte version = in.readByte();
    if (version != FORMAT_VERSION) {
      throw new IOException("text memory format version " + version + " is not supported (this build reads "
          + FORMAT_VERSION + ")");
    }
    final TextMemory m = new TextMemory(config);
    m.added = in.readLong();
    m.evicted = in.readLong();
    final List<TextToken> read = readTokens(in);
    if (read.size() > config.capacity()) {
      throw new IOException("text memory holds " + read.size() + " tokens but its capacity is " + config.capacity()
          + ": restore with the configuration it was written with");
    }
    for (final TextToken t : read) {
      m.tokens.add(t);
      m.keys.add(TextNormalizer.compact(t.text()));
    }
    return m;
  }

  /** Writes a token list: count, then per token text, span, box, confidence and readings. */
  public static void writeTokens(final DataOutput out, final List<TextToken> list) throws IOException {
    out.writeInt(list.size());
    for (final TextToken t : list) {
      out.writeUTF(t.text());
      out.writeLong(t.startMicros());
      out.writeLong(t.endMicros());
      final TextBox b = t.box();
      out.writeInt(b.x0());
      out.writeInt(b.y0());
      out.writeInt(b.x1());
      out.writeInt(b.y1());
      out.writeFloat(b.score());
      out.writeFloat(t.confidence());
      out.writeInt(t.readings());
    }
  }

  /**
   * Reads a token list written by {@link #writeTokens}.
   *
   * @throws IOException on a truncated stream or an inconsistent token
   */
  public static List<TextToken> readTokens(final DataInput in) throws IOException {
    final int count = in.readInt();
    if (count < 0 || count > 1 << 24) {
      throw new IOException("corrupt text tokens: count " + count);
    }
    final List<TextToken> out = new ArrayList<>(Math.min(count, 4096));
    try {
      for (int i = 0; i < count; i++) {
        final String text = in.readUTF();
        final long start = in.readLong();
        final long end = in.readLong();
        final TextBox box = new TextBox(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readFloat());
        out.add(new TextToken(text, start, end, box, in.readFloat(), in.readInt()));
      }
    } catch (final IllegalArgumentException e) {
      throw new IOException("corrupt text tokens: " + e.getMessage(), e);
    }
    return out;
  }
}
