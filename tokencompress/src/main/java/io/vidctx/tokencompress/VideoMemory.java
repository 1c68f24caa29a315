package io.vidctx.tokencompress;

import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.tokencompress.memory.MemoryStats;
import io.vidctx.tokencompress.memory.TieredMemory;
import io.vidctx.tokencompress.memory.Tier;
import io.vidctx.tokencompress.text.TextMemory;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A snapshot of one stream's compressed memory: every token in time order with its provenance and
 * tier, the segments they belong to, and per-stage statistics. Immutable; {@link #tokens()} hands out
 * a copy.
 *
 * <p>Invariants: segments are in time order, do not overlap, and each holds at least one token;
 * tokens are in time order (span starts never decrease); the token weights add up to {@link
 * #patchTokensIn()}, the original patch tokens of the frames the memory has absorbed (all accepted
 * frames but the {@link #framesPending()} the temporal filter has not decided yet). Beside the visual
 * tokens, {@link #texts()} holds the stream's text tokens (on-screen text read by OCR), by start time.
 *
 * <p>{@link #writeTo} gives a stable, versioned binary form without timings (they differ between
 * runs of one input), so the same input gives byte-identical bytes.
 */
public final class VideoMemory {
  /** Version 2 added the text tokens; version 1 (no text) is still read. */
  private static final byte FORMAT_VERSION = 2;

  private final String streamId;
  private final int tokenBudget;
  private final long framesIn;
  private final long framesPending;
  private final TokenBlock tokens;
  private final byte[] tiers;
  private final List<MemorySegment> segments;
  private final List<StageStats> stats;
  private final MemoryStats memoryStats;
  private final List<TextToken> texts;

  private VideoMemory(final String streamId, final int tokenBudget, final long framesIn, final long framesPending,
      final TokenBlock tokens, final byte[] tiers, final List<MemorySegment> segments, final List<StageStats> stats,
      final MemoryStats memoryStats, final List<TextToken> texts) {
    this.streamId = streamId;
    this.tokenBudget = tokenBudget;
    this.framesIn = framesIn;
    this.framesPending = framesPending;
    this.tokens = tokens;
    this.tiers = tiers;
    this.segments = List.copyOf(segments);
    this.stats = List.copyOf(stats);
    this.memoryStats = memoryStats;
    final List<TextToken> sorted = new ArrayList<>(texts);
    sorted.sort(Comparator.comparingLong(TextToken::startMicros));
    this.texts = List.copyOf(sorted);
  }

  /** Assembles a snapshot from the memory's groups (each sorted by time here). */
  static VideoMemory of(final String streamId, final int tokenBudget, final long framesIn, final long framesPending,
      final int dim, final int gridH, final int gridW, final List<TieredMemory.Group> groups,
      final List<StageStats> stats, final MemoryStats memoryStats, final List<TextToken> texts) {
    int total = 0;
    for (final TieredMemory.Group g : groups) {
      for (final TokenBlock b : g.blocks()) {
        total += b.size();
      }
    }
    final TokenBlock all = new TokenBlock(dim, gridH, gridW, total);
    final byte[] tiers = new byte[total];
    final List<MemorySegment> segments = new ArrayList<>(groups.size());
    for (final TieredMemory.Group g : groups) {
      int size = 0;
      for (final TokenBlock part : g.blocks()) {
        size += part.size();
      }
      final TokenBlock block = new TokenBlock(dim, gridH, gridW, size);
      final byte[] tierOf = new byte[size];
      for (int b = 0; b < g.blocks().size(); b++) {
        final TokenBlock part = g.blocks().get(b);
        Arrays.fill(tierOf, block.size(), block.size() + part.size(), (byte) g.tiers().get(b).ordinal());
        block.appendAll(part);
      }
      if (block.size() == 0) {
        continue;
      }
      final int[] order = block.timeOrder();
      final int first = all.size();
      long start = Long.MAX_VALUE;
      long end = Long.MIN_VALUE;
      for (final int i : order) {
        tiers[all.size()] = tierOf[i];
        all.append(block, i);
        start = Math.min(start, block.startPts(i));
        end = Math.max(end, block.endPts(i));
      }
      segments.add(new MemorySegment(g.firstSegment(), g.lastSegment(), start, end, first, block.size(),
          block.totalWeight()));
    }
    return new VideoMemory(streamId, tokenBudget, framesIn, framesPending, all, tiers, segments, stats, memoryStats,
        texts);
  }

  /** This memory with other text tokens (for instance read by OCR apart from the visual pass). */
  public VideoMemory withTexts(final List<TextToken> other) {
    return new VideoMemory(streamId, tokenBudget, framesIn, framesPending, tokens, tiers, segments, stats, memoryStats,
        other);
  }

  /** The text tokens (on-screen text with its span, box and confidence), by start time; empty without OCR. */
  public List<TextToken> texts() {
    return texts;
  }

  public String streamId() {
    return streamId;
  }

  /** The most tokens the memory may hold. */
  public int tokenBudget() {
    return tokenBudget;
  }

  /** Frames the compressor accepted. */
  public long framesIn() {
    return framesIn;
  }

  /** Accepted frames the temporal filter has not decided yet, so not in this memory (window form). */
  public long framesPending() {
    return framesPending;
  }

  /** Original patch tokens the memory stands for: the sum of its token weights. */
  public long patchTokensIn() {
    return tokens.totalWeight();
  }

  public int tokenCount() {
    return tokens.size();
  }

  public int dim() {
    return tokens.dim();
  }

  /** A copy of the tokens, in time order. */
  public TokenBlock tokens() {
    return tokens.copy();
  }

  /** The tier token {@code i} lives in. */
  public Tier tier(final int i) {
    if (i < 0 || i >= tiers.length) {
      throw new IndexOutOfBoundsException("token " + i + " of a memory of " + tiers.length);
    }
    return Tier.of(tiers[i]);
  }

  /** Segments in time order. */
  public List<MemorySegment> segments() {
    return segments;
  }

  /** Per stage: filter, segment, spatial, merge, memory, then "total" (frames in, tokens in memory). */
  public List<StageStats> stats() {
    return stats;
  }

  /** The memory stage's own counters: tier sizes, evictions, coalesced segments. */
  public MemoryStats memoryStats() {
    return memoryStats;
  }

  /** The stable binary form, as {@link #writeTo} writes it. */
  public byte[] toBytes() {
    return toBytes(false);
  }

  /**
   * The stable binary form with embeddings as float32 or, with {@code float16}, as IEEE half floats
   * (the compact wire form; {@link #readFrom} reads both).
   *
   * @throws UncheckedIOException when {@code float16} and an embedding lies beyond the half range
   */
  public byte[] toBytes(final boolean float16) {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeTo(out, float16);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes the snapshot (big-endian, versioned; timings written as 0). */
  public void writeTo(final DataOutput out) throws IOException {
    writeTo(out, false);
  }

  /** {@link #writeTo(DataOutput)} with the embeddings as half floats when {@code float16}. */
  public void writeTo(final DataOutput out, final boolean float16) throws IOException {
    out.writeByte(FORMAT_VERSION);
    out.writeUTF(streamId);
    out.writeInt(tokenBudget);
    out.writeLong(framesIn);
    out.writeLong(framesPending);
    tokens.writeTo(out, float16);
    out.write(tiers);
    out.writeInt(segments.size());
    for (final MemorySegment s : segments) {
      out.writeLong(s.firstSegment());
      out.writeLong(s.lastSegment());
      out.writeLong(s.startPts());
      out.writeLong(s.endPts());
      out.writeInt(s.firstToken());
      out.writeInt(s.tokenCount());
      out.writeLong(s.weight());
    }
    out.writeInt(stats.size());
    for (final StageStats s : stats) {
      out.writeUTF(s.stage());
      out.writeLong(s.framesIn());
      out.writeLong(s.framesOut());
      out.writeLong(s.tokensIn());
      out.writeLong(s.tokensOut());
    }
    final MemoryStats m = memoryStats;
    out.writeLong(m.unitsIn());
    out.writeLong(m.keptFramesIn());
    out.writeLong(m.tokensIn());
    out.writeInt(m.recentUnits());
    out.writeInt(m.recentTokens());
    out.writeInt(m.detailUnits());
    out.writeInt(m.detailTokens());
    out.writeInt(m.segments());
    out.writeInt(m.synopsisTokens());
    out.writeLong(m.detailEvictions());
    out.writeLong(m.coalesced());
    TextMemory.writeTokens(out, texts);
  }

  /**
   * Reads a snapshot written by {@link #writeTo}; timings read as 0.
   *
   * @throws IOException on a truncated or inconsistent stream, or an unknown version
   */
  public static VideoMemory readFrom(final DataInput in) throws IOException {
    final byte version = in.readByte();
    if (version != FORMAT_VERSION && version != 1) {
      throw new IOException("video memory format version " + version + " is not supported (this build reads 1 to "
          + FORMAT_VERSION + ")");
    }
    final String streamId = in.readUTF();
    final int budget = in.readInt();
    final long framesIn = in.readLong();
    final long pending = in.readLong();
    final TokenBlock tokens = TokenBlock.readFrom(in);
    final byte[] tiers = new byte[tokens.size()];
    in.readFully(tiers);
    final int n = count(in, "segments");
    final List<MemorySegment> segments = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        segments.add(new MemorySegment(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt(),
            in.readInt(), in.readLong()));
      }
      final int s = count(in, "stages");
      final List<StageStats> stats = new ArrayList<>(s);
      for (int i = 0; i < s; i++) {
        stats.add(new StageStats(in.readUTF(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), 0));
      }
      final MemoryStats m = new MemoryStats(in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readInt(),
          in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readLong(), in.readLong(), 0);
      for (final byte t : tiers) {
        Tier.of(t);
      }
      final List<TextToken> texts = version >= 2 ? TextMemory.readTokens(in) : List.of();
      return new VideoMemory(streamId, budget, framesIn, pending, tokens, tiers, segments, stats, m, texts);
    } catch (final IllegalArgumentException e) {
      throw new IOException("corrupt video memory: " + e.getMessage(), e);
    }
  }

  private static int count(final DataInput in, final String what) throws IOException {
    final int n = in.readInt();
    if (n < 0 || n > 1 << 24) {
      throw new IOException("corrupt video memory: " + n + " " + what);
    }
    return n;
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof VideoMemory m && Arrays.equals(toBytes(), m.toBytes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "VideoMemory[" + streamId + ": " + tokens.size() + " tokens of " + tokenBudget + ", " + segments.size()
        + " segments, " + framesIn + " frames" + (texts.isEmpty() ? "" : ", " + texts.size() + " text tokens") + "]";
  }
}
