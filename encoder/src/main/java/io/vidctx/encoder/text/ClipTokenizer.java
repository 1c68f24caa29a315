package io.vidctx.encoder.text;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.manifest.PadMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;

/**
 * CLIP's byte-level BPE tokenizer (OpenAI CLIP, OpenCLIP, MobileCLIP, TinyCLIP share it), reading
 * the merges file {@code bpe_simple_vocab_16e6.txt.gz}. Pure Java; immutable after loading and
 * thread-safe (the per-word cache is synchronized).
 *
 * <p>Ids: 0..255 are the 256 byte symbols (printable bytes first, then the other 68), 256..511 the
 * same with the end-of-word mark {@code </w>}, 512..49405 one per merge rule in file order, 49406
 * {@value #SOT} and 49407 {@value #EOT} the start and end of text.
 */
public final class ClipTokenizer {
  /*
   * Design: symbols are ids from the start. A pre-split piece becomes its UTF-8 bytes, each byte its
   * symbol id (the last one the </w> variant), and the merge loop works on an int[]: a pair's rank
   * comes from a LongIntMap keyed by (first << 32 | second) and the merged symbol's id from
   * mergeResult[rank], so no strings are built while merging. The loop repeats "find the
   * lowest-ranked adjacent pair, merge all its non-overlapping occurrences left to right", exactly as
   * OpenAI's bpe(); O(n^2) in the piece length, which is short. Finished pieces go into a bounded LRU
   * map keyed by the piece text, so the common words of a query stream are merged once.
   */

  /** Start-of-text id. */
  public static final int SOT = 49406;
  /** End-of-text id. */
  public static final int EOT = 49407;
  /** Vocabulary size of CLIP's text tower. */
  public static final int VOCAB_SIZE = 49408;
  /** CLIP's context length. */
  public static final int CONTEXT_LENGTH = 77;
  /** Merge rules CLIP uses: the first 49152 - 256 - 2 lines after the header. */
  static final int MERGES = 48_894;
  private static final String HEADER_PREFIX = "\"bpe_simple_vocab_16e6.txt#version:";
  private static final String END_OF_WORD = "</w>";
  private static final int NO_RANK = Integer.MAX_VALUE;
  private static final int DEFAULT_CACHE = 10_000;
  private static final Pattern PRE_SPLIT = Pattern.compile(
      "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^\\s\\p{L}\\p{N}]+",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

  private final Path source;
  /** byteId[b & 0xff]: the id (0..255) of byte b's symbol. */
  private final int[] byteId;
  /** idByte[id] for ids 0..255: the byte that symbol stands for. */
  private final byte[] idByte;
  /** id → symbol text (byte-symbol characters, maybe ending in </w>). */
  private final String[] decoder;
  private final LongIntMap ranks;
  /** rank → id of the merged symbol. */
  private final int[] mergeResult;
  /** Byte-symbol character → id (0..255); symbols lie in U+0021..U+0143. */
  private final int[] charId;
  /** Per-piece BPE results, least recently used evicted; null when caching is off. */
  private final @Nullable Map<String, int[]> cache;

  private ClipTokenizer(final Path source, final int cacheSize, final List<String> mergeLines) {
    this.source = source;
    this.byteId = new int[256];
    this.idByte = new byte[256];
    final char[] byteSymbol = byteSymbols(byteId, idByte);
    this.decoder = new String[VOCAB_SIZE];
    final Map<String, Integer> encoder = new HashMap<>(VOCAB_SIZE * 2);
    for (int id = 0; id < 256; id++) {
      final String s = String.valueOf(byteSymbol[idByte[id] & 0xff]);
      decoder[id] = s;
      decoder[id + 256] = s + END_OF_WORD;
      encoder.put(s, id);
      encoder.put(s + END_OF_WORD, id + 256);
    }
    final String[][] pairs = new String[MERGES][];
    for (int r = 0; r < MERGES; r++) {
      final String line = mergeLines.get(r);
      final int space = line.indexOf(' ');
      if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
        throw corrupt("line " + (r + 2) + " is not a merge rule of two symbols: '" + line + "'");
      }
      pairs[r] = new String[] {line.substring(0, space), line.substring(space + 1)};
      final String merged = pairs[r][0] + pairs[r][1];
      decoder[512 + r] = merged;
      // A later duplicate overwrites the id, as Python's dict(zip(vocab, range(len(vocab)))) does.
      encoder.put(merged, 512 + r);
    }
    decoder[SOT] = "<|startoftext|>";
    decoder[EOT] = "<|endoftext|>";
    this.ranks = new LongIntMap(MERGES);
    this.mergeResult = new int[MERGES];
    for (int r = 0; r < MERGES; r++) {
      final Integer a = encoder.get(pairs[r][0]);
      final Integer b = encoder.get(pairs[r][1]);
      if (a == null || b == null) {
        throw corrupt("line " + (r + 2) + " merges a symbol no earlier rule produced: '" + mergeLines.get(r) + "'");
      }
      ranks.put(pair(a, b), r);
      mergeResult[r] = encoder.get(pairs[r][0] + pairs[r][1]);
    }
    this.charId = new int[0x144];
    Arrays.fill(charId, -1);
    for (int id = 0; id < 256; id++) {
      charId[decoder[id].charAt(0)] = id;
    }
    final int capacity = cacheSize;
    this.cache = capacity <= 0 ? null : Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(final Map.Entry<String, int[]> eldest) {
        return size() > capacity;
      }
    });
  }

  /** Loads the merges file with a per-word cache of 10,000 entries. */
  public static ClipTokenizer load(final Path mergesFile) {
    return load(mergesFile, DEFAULT_CACHE);
  }

  /**
   * Loads the gzip merges file; only the header and the first {@value #MERGES} rules are read.
   *
   * @param cacheSize words whose BPE result is kept (least recently used evicted); 0 disables
   * @throws EncoderException naming the file when it is missing, not gzip or not a CLIP merges file
   */
  public static ClipTokenizer load(final Path mergesFile, final int cacheSize) {
    final List<String> lines = new ArrayList<>(MERGES);
    try (InputStream in = new GZIPInputStream(Files.newInputStream(mergesFile), 1 << 16);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      final String header = r.readLine();
      if (header == null || !header.startsWith(HEADER_PREFIX)) {
        throw new EncoderException("not a CLIP BPE merges file: " + mergesFile.toAbsolutePath()
            + " (first line should start with " + HEADER_PREFIX + ", was '" + abbreviate(header) + "')");
      }
      String line;
      while (lines.size() < MERGES && (line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (final NoSuchFileException e) {
      throw new EncoderException("CLIP BPE vocabulary not found: " + mergesFile.toAbsolutePath()
          + " (bpe_simple_vocab_16e6.txt.gz; check the manifest's text.vocab)", e);
    } catch (final ZipException e) {
      throw new EncoderException("CLIP BPE vocabulary " + mergesFile.toAbsolutePath()
          + " is not gzip-compressed or is damaged: " + e.getMessage(), e);
    } catch (final IOException e) {
      throw new EncoderException("cannot read CLIP BPE vocabulary " + mergesFile.toAbsolutePath() + ": " + e, e);
    }
    if (lines.size() < MERGES) {
      throw new EncoderException("CLIP BPE vocabulary " + mergesFile.toAbsolutePath() + " is truncated: "
          + lines.size() + " merge rules, CLIP needs " + MERGES);
    }
    final ClipTokenizer t;
    try {
      t = new ClipTokenizer(mergesFile, cacheSize, lines);
    } catch (final IllegalStateException e) {
      throw new EncoderException("CLIP BPE vocabulary " + mergesFile.toAbsolutePath() + " is corrupt: "
          + e.getMessage(), e);
    }
    return t;
  }

  /** The merges file this tokenizer was loaded from. */
  public Path source() {
    return source;
  }

  /** Ids of {@code text}: SOT, the BPE ids of the cleaned text, EOT; not padded, not truncated. */
  public int[] encode(final String text) {
    final String cleaned = TextCleaner.clean(text);
    int[] out = new int[Math.max(16, cleaned.length() + 2)];
    int n = 0;
    out[n++] = SOT;
    final Matcher m = PRE_SPLIT.matcher(cleaned);
    while (m.find()) {
      final int[] piece = bpe(m.group());
      if (n + piece.length + 1 > out.length) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, n + piece.length + 1));
      }
      System.arraycopy(piece, 0, out, n, piece.length);
      n += piece.length;
    }
    out[n++] = EOT;
    return Arrays.copyOf(out, n);
  }

  /**
   * Ids of {@code text} in exactly {@code contextLength} slots: padded after EOT with 0 or EOT; an
   * over-long text keeps its first {@code contextLength - 1} ids and ends with EOT (OpenCLIP).
   */
  public int[] encodePadded(final String text, final int contextLength, final PadMode pad) {
    final int[] out = new int[checkContext(contextLength)];
    fill(encode(text), out, 0, contextLength, pad);
    return out;
  }

  /** {@link #encodePadded} as the int64 ids most exports take. */
  public long[] encodePaddedLongs(final String text, final int contextLength, final PadMode pad) {
    final int[] ids = encodePadded(text, contextLength, pad);
    final long[] out = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = ids[i];
    }
    return out;
  }

  /** Encodes {@code texts} into one {@code [N, contextLength]} batch with its attention mask. */
  public TokenBatch encodeBatch(final List<String> texts, final int contextLength, final PadMode pad) {
    final int ctx = checkContext(contextLength);
    final int n = texts.size();
    final int[] ids = new int[n * ctx];
    final int[] mask = new int[n * ctx];
    for (int i = 0; i < n; i++) {
      final int len = fill(encode(texts.get(i)), ids, i * ctx, ctx, pad);
      Arrays.fill(mask, i * ctx, i * ctx + len, 1);
    }
    return new TokenBatch(n, ctx, ids, mask);
  }

  /**
   * Text of {@code ids}, for debugging: a leading SOT is skipped, decoding stops at the first EOT,
   * {@code </w>} becomes a space and the result is trimmed. Ids outside the vocabulary are refused.
   */
  public String decode(final int[] ids) {
    final StringBuilder symbols = new StringBuilder();
    for (int i = 0; i < ids.length; i++) {
      final int id = ids[i];
      if (id == SOT && i == 0) {
        continue;
      }
      if (id == EOT) {
        break;
      }
      if (id < 0 || id >= VOCAB_SIZE) {
        throw new IllegalArgumentException("id " + id + " at " + i + " is outside the CLIP vocabulary [0, " + VOCAB_SIZE + ")");
      }
      symbols.append(decoder[id]);
    }
    // As OpenAI's decode: symbols back to bytes, UTF-8 with replacement, then </w> to a space.
    final byte[] bytes = new byte[symbols.length()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = idByte[charId[symbols.charAt(i)]];
    }
    return new String(bytes, StandardCharsets.UTF_8).replace(END_OF_WORD, " ").strip();
  }

  /** The symbol text of one id (e.g. {@code "photo</w>"}), for debugging. */
  public String symbol(final int id) {
    return decoder[id];
  }

  /** BPE ids of one pre-split piece (already cleaned), cached. */
  int[] bpe(final String piece) {
    if (piece.equals("<|startoftext|>")) {
      return new int[] {SOT};
    }
    if (piece.equals("<|endoftext|>")) {
      return new int[] {EOT};
    }
    if (cache == null) {
      return merge(piece);
    }
    final int[] cached = cache.get(piece);
    if (cached != null) {
      return cached;
    }
    // Two threads may merge the same new piece at once; both compute the same ids, one put wins.
    final int[] ids = merge(piece);
    cache.put(piece, ids);
    return ids;
  }

  private int[] merge(final String piece) {
    final byte[] utf8 = piece.getBytes(StandardCharsets.UTF_8);
    final int[] word = new int[utf8.length];
    for (int i = 0; i < utf8.length; i++) {
      word[i] = byteId[utf8[i] & 0xff];
    }
    word[word.length - 1] += 256;
    int n = word.length;
    while (n > 1) {
      int best = NO_RANK;
      int at = -1;
      for (int i = 0; i + 1 < n; i++) {
        final int r = ranks.get(pair(word[i], word[i + 1]), NO_RANK);
        if (r < best) {
          best = r;
          at = i;
        }
      }
      if (best == NO_RANK) {
        break;
      }
      final int first = word[at];
      final int second = word[at + 1];
      final int merged = mergeResult[best];
      int w = 0;
      int i = 0;
      while (i < n) {
        if (i + 1 < n && word[i] == first && word[i + 1] == second) {
          word[w++] = merged;
          i += 2;
        } else {
          word[w++] = word[i++];
        }
      }
      n = w;
    }
    return Arrays.copyOf(word, n);
  }

  private static long pair(final int first, final int second) {
    return ((long) first << 32) | second;
  }

  /** Writes {@code tokens} into {@code out[off, off + ctx)}; returns the slots up to and incl. EOT. */
  private static int fill(final int[] tokens, final int[] out, final int off, final int ctx, final PadMode pad) {
    if (tokens.length > ctx) {
      System.arraycopy(tokens, 0, out, off, ctx - 1);
      out[off + ctx - 1] = EOT;
      return ctx;
    }
    System.arraycopy(tokens, 0, out, off, tokens.length);
    Arrays.fill(out, off + tokens.length, off + ctx, pad == PadMode.EOT ? EOT : 0);
    return tokens.length;
  }

  private static int checkContext(final int contextLength) {
    if (contextLength < 2) {
      throw new IllegalArgumentException("context length must hold at least SOT and EOT, was " + contextLength);
    }
    return contextLength;
  }

  /**
   * GPT-2's bytes_to_unicode: printable bytes map to the same code point, the other 68 bytes in
   * increasing order to U+0100.. . Fills {@code byteId}/{@code idByte} with the id order (printable
   * bytes first) and returns the byte → symbol character table.
   */
  static char[] byteSymbols(final int[] byteId, final byte[] idByte) {
    final char[] symbol = new char[256];
    int id = 0;
    for (int b = 0; b < 256; b++) {
      if (isPrintable(b)) {
        symbol[b] = (char) b;
        byteId[b] = id;
        idByte[id++] = (byte) b;
      }
    }
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      if (!isPrintable(b)) {
        symbol[b] = (char) (256 + extra++);
        byteId[b] = id;
        idByte[id++] = (byte) b;
      }
    }
    return symbol;
  }

  private static boolean isPrintable(final int b) {
    return (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  }

  private static IllegalStateException corrupt(final String why) {
    return new IllegalStateException(why);
  }

  private static String abbreviate(final @Nullable String s) {
    if (s == null) {
      return "<empty file>";
    }
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
