package io.vidctx.tokencompress;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.tokencompress.memory.MemoryStats;
import io.vidctx.tokencompress.memory.TieredMemory;
import io.vidctx.tokencompress.text.TextMemory;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/*
 * Stages 1-4 (StreamingCompressor) feed stage 5 (TieredMemory) unit by unit. The memory is sized
 * when the first frame fixes the patch count (a unit holds at most chunkFrames x min(P,
 * tokensPerFrame) tokens); its budget is checked against that at construction for the default case
 * (P >= tokensPerFrame) and again at the first frame.
 *
 * State for restore = the compressor's state + the memory's, each versioned; a snapshot is built
 * from the memory's tiers plus the compressor's unit in progress (previewTail), so a live query sees
 * the newest frames without waiting for a chunk to close.
 */

/**
 * The whole compression pipeline of one stream: temporal filter, segmentation, spatial reduction,
 * clip merge and the bounded video memory, with snapshots, a batch form and exact resume.
 *
 * <p>Invariants after {@link #flush()}: the snapshot's token weights add up to frames accepted ×
 * patches per frame; every accepted frame's time lies in some token's span; tokens are in time
 * order; at every moment the snapshot holds at most {@code memory.tokenBudget} tokens (when the
 * memory is enabled). Deterministic: the same frames give byte-identical snapshots, also across
 * {@link #writeState} / {@link #restore}. Not thread-safe: one stream, one thread.
 */
public final class HierarchicalCompressor implements TokenCompressor {
  /** Version 2 added the text memory; version 1 states (no text) are still restored. */
  private static final byte STATE_VERSION = 2;

  private final CompressorConfig config;
  private final StreamingCompressor stages;
  private @Nullable TieredMemory memory;
  private @Nullable String streamId;
  private TextMemory texts;

  /**
   * A compressor for a new stream.
   *
   * @throws IllegalArgumentException when the memory budget cannot hold the recent window and the
   *     unit in progress (see {@link io.vidctx.tokencompress.memory.MemoryConfig#requireFits})
   */
  public HierarchicalCompressor(final CompressorConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.stages = new StreamingCompressor(config, this::toMemory);
    this.texts = new TextMemory(config.text());
    config.memory().requireFits(stages.maxUnitTokens());
  }

  private HierarchicalCompressor(final CompressorConfig config, final DataInput in, final byte version)
      throws IOException {
    this.config = config;
    this.stages = StreamingCompressor.restore(config, this::toMemory, in);
    if (in.readBoolean()) {
      this.streamId = in.readUTF();
    }
    if (in.readBoolean()) {
      this.memory = TieredMemory.readFrom(config.memory(), in);
    }
    this.texts = version >= 2 ? TextMemory.readFrom(config.text(), in) : new TextMemory(config.text());
  }

  /** Compresses a whole video's frames at once (the batch form). */
  public static VideoMemory compressAll(final Iterable<FrameTokens> frames, final CompressorConfig config) {
    final HierarchicalCompressor c = new HierarchicalCompressor(config);
    for (final FrameTokens f : frames) {
      c.accept(f);
    }
    c.flush();
    return c.snapshot();
  }

  @Override
  public void accept(final FrameTokens frame) {
    if (streamId != null && !streamId.equals(frame.streamId())) {
      throw new IllegalArgumentException("frame " + frame.index() + " belongs to stream '" + frame.streamId()
          + "', this compressor holds stream '" + streamId + "': use one compressor per stream");
    }
    if (memory == null) {
      memory = new TieredMemory(config.memory(), StreamingCompressor.unitTokens(config, frame.patchCount()));
      try {
        stages.accept(frame);
      } catch (final RuntimeException e) {
        memory = null;
        throw e;
      }
    } else {
      stages.accept(frame);
    }
    streamId = frame.streamId();
  }

  /**
   * Takes a text token of the stream (on-screen text read by OCR, its span already closed); it lives in
   * the bounded text memory beside the visual tokens and appears in every later snapshot.
   */
  @Override
  public void acceptText(final TextToken token) {
    texts.add(token);
  }

  @Override
  public void flush() {
    stages.flush();
  }

  @Override
  public VideoMemory snapshot() {
    final List<StageStats> stats = stats();
    if (memory == null) {
      return VideoMemory.of(streamId == null ? "" : streamId, config.memory().tokenBudget(), 0, 0, 1, 1, 1, List.of(),
          stats, new MemoryStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), texts.tokens());
    }
    return VideoMemory.of(Objects.requireNonNull(streamId), config.memory().tokenBudget(), stages.framesIn(),
        stages.framesPending(), stages.dim(), stages.gridH(), stages.gridW(), memory.groups(stages.previewTail()), stats,
        memory.stats(), texts.tokens());
  }

  /** Filter, segment, spatial and merge as {@link StreamingCompressor#stats()}, then memory and total. */
  @Override
  public List<StageStats> stats() {
    final List<StageStats> s = new ArrayList<>(stages.stats());
    final StageStats total = s.remove(s.size() - 1);
    final MemoryStats m = memory == null ? null : memory.stats();
    if (m == null) {
      s.add(new StageStats("memory", 0, 0, 0, 0, 0));
      s.add(total);
      return s;
    }
    s.add(new StageStats("memory", m.unitsIn(), m.recentUnits() + m.detailUnits(), m.tokensIn(), m.tokens(),
        m.nanos()));
    s.add(new StageStats("total", total.framesIn(), total.framesOut(), total.tokensIn(), m.tokens(),
        total.nanos() + m.nanos()));
    return s;
  }

  /** Tokens in the memory now (the unit in progress not included); never above the budget minus one unit. */
  public int memoryTokens() {
    return memory == null ? 0 : memory.tokenCount();
  }

  public CompressorConfig config() {
    return config;
  }

  /**
   * Writes everything needed to resume this stream exactly, versioned; not timings. A compressor
   * {@link #restore restored} from it and fed the rest of the stream ends with the same memory, byte
   * for byte, as one never interrupted.
   */
  public void writeState(final DataOutput out) throws IOException {
    out.writeByte(STATE_VERSION);
    stages.writeState(out);
    out.writeBoolean(streamId != null);
    if (streamId != null) {
      out.writeUTF(streamId);
    }
    out.writeBoolean(memory != null);
    if (memory != null) {
      memory.writeTo(out);
    }
    texts.writeTo(out);
  }

  /**
   * Resumes a stream from {@link #writeState}.
   *
   * @throws IOException on a truncated or corrupt state or an unknown version
   * @throws IllegalArgumentException when {@code config} is not the one the state was written with
   */
  public static HierarchicalCompressor restore(final CompressorConfig config, final DataInput in) throws IOException {
    Objects.requireNonNull(config, "config");
    final byte version = in.readByte();
    if (version != STATE_VERSION && version != 1) {
      throw new IOException("compressor state version " + version + " is not supported (this build reads 1 to "
          + STATE_VERSION + ")");
    }
    return new HierarchicalCompressor(config, in, version);
  }

  private void toMemory(final CompressedUnit unit) {
    if (memory == null) {
      throw new IllegalStateException("a unit before the first frame");
    }
    memory.add(unit);
  }
}
