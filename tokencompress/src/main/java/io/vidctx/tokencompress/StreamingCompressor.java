package io.vidctx.tokencompress;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.tokencompress.merge.BipartiteMerger;
import io.vidctx.tokencompress.merge.MergeOutput;
import io.vidctx.tokencompress.merge.SpatialReducer;
import io.vidctx.tokencompress.segment.SceneSegmenter;
import io.vidctx.tokencompress.segment.SegmentStats;
import io.vidctx.tokencompress.temporal.FrameDecision;
import io.vidctx.tokencompress.temporal.FrameInputGuard;
import io.vidctx.tokencompress.temporal.TemporalFilter;
import io.vidctx.tokencompress.temporal.TemporalStats;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/*
 * Stages 1-4 of DESIGN.md "tokencompress", per stream, streaming:
 *
 *   accept(frame) -> guard -> segmenter (every frame: its previous-frame test is calibrated on the
 *   sampled rate) -> temporal filter -> decisions
 *   kept frame    -> a TokenBlock of its patches, "open" until a later frame is kept, because the
 *                    filter may still drop later frames into it (last-kept form) or earlier ones
 *                    of the same window (window form)
 *   dropped frame -> its patch at cell p folds into the open kept frame's token at cell p: weight
 *                    +1, span and frame range widened. Exact accounting, no embedding change.
 *   closed frame  -> the chunk of its segment; a chunk closes at spatial.chunkFrames kept frames
 *                    or at a segment boundary
 *   closed chunk  -> spatial reduction against the chunk's first frame (stage 3), then bipartite
 *                    soft matching down to merge.tokensPerFrame tokens per kept frame (stage 4),
 *                    both applied to the TokenBlock by assignment so provenance stays exact
 *                    -> one CompressedUnit to the sink
 *
 * The clip merge runs per spatial chunk (8 kept frames by default) rather than per 4-frame clip:
 * after spatial reduction the anchor's tokens stand for the whole chunk and cannot be split by
 * frame. The target stays tokensPerFrame per kept frame.
 *
 * Memory held: the frames the filter has not decided yet (at most window - 1), one open frame and
 * one chunk of at most chunkFrames frames: O(chunkFrames x P x dim) whatever the stream length.
 */

/**
 * Compresses one stream's frame tokens through the temporal filter, scene segmentation, spatial
 * reduction and clip-level merging, handing each compressed chunk to a sink in time order.
 *
 * <p>Invariants over the units handed out after {@link #flush()}: their token weights add up to
 * frames accepted × patches per frame; every accepted frame's time lies inside some token's span;
 * units come in time order and each unit's tokens are in time order.
 *
 * <p>Bad input (a frame whose grid or dim differs from the first, a non-finite value, a timestamp
 * not after the previous one) is refused with an {@link IllegalArgumentException} before any state
 * changes, so a caller may skip that frame and go on. An empty stream produces no unit. Not
 * thread-safe: one stream, one thread.
 */
public final class StreamingCompressor {
  private static final byte STATE_VERSION = 1;

  private final CompressorConfig config;
  private final Consumer<CompressedUnit> sink;
  private final TemporalFilter filter;
  private final SceneSegmenter segmenter;
  private final SpatialReducer spatial;
  private final BipartiteMerger merger;
  private final FrameInputGuard guard;
  private final MergeOutput scratch = new MergeOutput();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final List<TokenBlock> chunk = new ArrayList<>();

  private int gridH;
  private int gridW;
  private int dim;
  private long segment = -1;
  private long chunkSegment = -1;
  private @Nullable Open open;
  private long unitsOut;
  private long tokensOut;
  private long spatialFrames;
  private long spatialIn;
  private long spatialOut;
  private long spatialNanos;
  private long mergeIn;
  private long mergeOut;
  private long mergeNanos;

  /** A frame accepted but not yet decided by the filter, with the segment it arrived in. */
  private record Pending(FrameTokens frame, long segment) {}

  /** The most recent kept frame: its tokens can still absorb dropped frames. */
  private record Open(long sequence, long segment, TokenBlock tokens) {}

  public StreamingCompressor(final CompressorConfig config, final Consumer<CompressedUnit> sink) {
    this(config, sink, TemporalFilter.create(config.filter()), SceneSegmenter.create(config.segmenter()),
        new FrameInputGuard());
  }

  private StreamingCompressor(final CompressorConfig config, final Consumer<CompressedUnit> sink,
      final TemporalFilter filter, final SceneSegmenter segmenter, final FrameInputGuard guard) {
    this.config = Objects.requireNonNull(config, "config");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.filter = filter;
    this.segmenter = segmenter;
    this.guard = guard;
    this.spatial = new SpatialReducer(config.spatial());
    this.merger = new BipartiteMerger(config.merge());
  }

  /** Compresses a whole video's frames at once (the batch form). */
  public static List<CompressedUnit> compressAll(final List<FrameTokens> frames, final CompressorConfig config) {
    final List<CompressedUnit> units = new ArrayList<>();
    final StreamingCompressor c = new StreamingCompressor(config, units::add);
    for (final FrameTokens f : frames) {
      c.accept(f);
    }
    c.flush();
    return units;
  }

  /**
   * Takes the stream's next frame. Units completed by it go to the sink before this returns.
   *
   * @throws IllegalArgumentException for a frame that does not fit the stream; nothing changes
   */
  public void accept(final FrameTokens frame) {
    validate(frame);
    guard.accept(frame.ptsMicros(), frame.global());
    if (guard.accepted() == 1) {
      gridH = frame.gridH();
      gridW = frame.gridW();
      dim = frame.dim();
    }
    if (segmenter.offer(frame.ptsMicros(), frame.global())) {
      segment++;
    }
    pending.add(new Pending(frame, segment));
    process(filter.offer(frame.ptsMicros(), frame.global()));
  }

  /** Ends the stream: decides the frames still waiting, closes the open frame and the last chunk. */
  public void flush() {
    process(filter.flush());
    if (open != null) {
      toChunk(open);
      open = null;
    }
    closeChunk();
  }

  /** Per-stage statistics so far: filter, segment, spatial, merge, then "total". */
  public List<StageStats> stats() {
    final int p = gridH * gridW;
    final TemporalStats f = filter.stats();
    final SegmentStats s = segmenter.stats();
    return List.of(
        new StageStats("filter", f.framesDecided(), f.framesKept(), f.tokensIn(p), f.tokensOut(p), f.nanos()),
        new StageStats("segment", s.framesIn(), s.segments(), s.framesIn() * p, s.framesIn() * p, s.nanos()),
        new StageStats("spatial", spatialFrames, spatialFrames, spatialIn, spatialOut, spatialNanos),
        new StageStats("merge", spatialFrames, unitsOut, mergeIn, mergeOut, mergeNanos),
        new StageStats("total", guard.accepted(), unitsOut, guard.accepted() * p, tokensOut,
            f.nanos() + s.nanos() + spatialNanos + mergeNanos));
  }

  public CompressorConfig config() {
    return config;
  }

  /** Frames accepted so far. */
  public long framesIn() {
    return guard.accepted();
  }

  /** Accepted frames the temporal filter has not decided yet (window form; 0 in the last-kept form). */
  public int framesPending() {
    return pending.size();
  }

  /** The stream's token width; 0 before the first frame. */
  public int dim() {
    return dim;
  }

  /** The stream's patch grid height; 0 before the first frame. */
  public int gridH() {
    return gridH;
  }

  /** The stream's patch grid width; 0 before the first frame. */
  public int gridW() {
    return gridW;
  }

  private void validate(final FrameTokens frame) {
    if (guard.accepted() > 0 && (frame.gridH() != gridH || frame.gridW() != gridW || frame.dim() != dim)) {
      throw new IllegalArgumentException("frame " + frame.index() + " at " + frame.ptsMicros() + " us has tokens "
          + frame.gridH() + "x" + frame.gridW() + "x" + frame.dim() + ", the stream started with " + gridH + "x" + gridW
          + "x" + dim + ": one stream must keep one encoder and frame size");
    }
    TokenBlock.requireFinite(frame);
  }

  private void process(final List<FrameDecision> decisions) {
    if (decisions.isEmpty()) {
      return;
    }
    // Kept frames of this batch first: in window form a dropped frame may go into a later kept one.
    final Map<Long, Open> kept = new LinkedHashMap<>();
    if (open != null) {
      kept.put(open.sequence(), open);
    }
    final List<Pending> dropped = new ArrayList<>();
    final List<FrameDecision> drops = new ArrayList<>();
    for (final FrameDecision d : decisions) {
      final Pending p = pending.poll();
      if (p == null || p.frame().ptsMicros() != d.ptsMicros()) {
        throw new IllegalStateException("temporal filter decided frame " + d.sequence() + " at " + d.ptsMicros()
            + " us out of order");
      }
      if (d.kept()) {
        kept.put(d.sequence(), new Open(d.sequence(), p.segment(), TokenBlock.ofCheckedFrame(p.frame())));
      } else {
        dropped.add(p);
        drops.add(d);
      }
    }
    for (int i = 0; i < drops.size(); i++) {
      final Open into = kept.get(drops.get(i).keptSequence());
      if (into == null) {
        throw new IllegalStateException("temporal filter dropped frame " + drops.get(i).sequence() + " into frame "
            + drops.get(i).keptSequence() + ", which is no longer open");
      }
      absorb(into.tokens(), dropped.get(i).frame());
    }
    @Nullable Open last = null;
    for (final Open o : kept.values()) {
      if (last != null) {
        toChunk(last);
      }
      last = o;
    }
    open = last;
  }

  /** A dropped frame's patch p becomes part of the kept frame's token at cell p. */
  private static void absorb(final TokenBlock keptFrame, final FrameTokens dropped) {
    for (int t = 0; t < keptFrame.size(); t++) {
      keptFrame.extendSpan(t, dropped.ptsMicros(), dropped.index());
      keptFrame.absorbWeight(t, 1f);
    }
  }

  private void toChunk(final Open frame) {
    if (frame.segment() != chunkSegment) {
      closeChunk();
      chunkSegment = frame.segment();
    }
    chunk.add(frame.tokens());
    if (chunk.size() >= config.spatial().chunkFrames()) {
      closeChunk();
    }
  }

  private void closeChunk() {
    if (chunk.isEmpty()) {
      return;
    }
    final CompressedUnit unit = compress(chunk, chunkSegment, true);
    chunk.clear();
    unitsOut++;
    tokensOut += unit.tokens().size();
    sink.accept(unit);
  }

  /**
   * Units for what was accepted but not handed out yet (the frames of the open chunk and the open
   * frame), compressed as {@link #flush()} would now, on copies: nothing here changes, statistics
   * included. Frames the temporal filter has not decided are not in them. At most {@link
   * #maxUnitTokens()} tokens in all.
   */
  public List<CompressedUnit> previewTail() {
    final List<CompressedUnit> out = new ArrayList<>(2);
    final boolean openJoinsChunk = open != null && open.segment() == chunkSegment;
    if (!chunk.isEmpty()) {
      final List<TokenBlock> frames = new ArrayList<>(chunk);
      if (openJoinsChunk) {
        frames.add(open.tokens());
      }
      out.add(compress(frames, chunkSegment, false));
    }
    if (open != null && (!openJoinsChunk || chunk.isEmpty())) {
      out.add(compress(List.of(open.tokens()), open.segment(), false));
    }
    return out;
  }

  /**
   * The most tokens one unit can have, and the most the {@link #previewTail()} units have together:
   * {@code chunkFrames × min(patches per frame, tokensPerFrame)}; before the first frame the patch
   * count is unknown and {@code chunkFrames × tokensPerFrame} is returned.
   */
  public int maxUnitTokens() {
    return unitTokens(config, guard.accepted() == 0 ? Integer.MAX_VALUE : gridH * gridW);
  }

  /** The most tokens a unit of {@code config} holds for frames of {@code patches} patches. */
  static int unitTokens(final CompressorConfig config, final int patches) {
    return config.spatial().chunkFrames() * Math.min(patches, config.merge().tokensPerFrame());
  }

  /** Spatial reduction and clip merge of one chunk of kept frames into a unit; frames are not changed. */
  private CompressedUnit compress(final List<TokenBlock> frameBlocks, final long unitSegment, final boolean count) {
    final int frames = frameBlocks.size();
    final int p = gridH * gridW;
    TokenBlock block = new TokenBlock(dim, gridH, gridW, frames * p);
    for (final TokenBlock b : frameBlocks) {
      block.appendAll(b);
    }

    final long t0 = System.nanoTime();
    final int in = block.size();
    if (config.spatial().enabled() && frames > 1) {
      spatial.reduce(block.embeddingsView(), frames, p, dim, block.weightsView(), scratch);
      block = block.merge(scratch.assignmentCopy(), scratch.count(), scratch.embeddings());
    }
    final int afterSpatial = block.size();
    final long t1 = System.nanoTime();

    final int target = Math.min(block.size(), frames * config.merge().tokensPerFrame());
    if (target < block.size()) {
      merger.merge(block.embeddingsView(), block.size(), dim, block.weightsView(), target, scratch);
      block = block.merge(scratch.assignmentCopy(), scratch.count(), scratch.embeddings());
    }
    if (count) {
      spatialFrames += frames;
      spatialIn += in;
      spatialOut += afterSpatial;
      spatialNanos += t1 - t0;
      mergeIn += afterSpatial;
      mergeOut += block.size();
      mergeNanos += System.nanoTime() - t1;
    }
    return new CompressedUnit(unitSegment, frames, block);
  }

  // ---------------------------------------------------------------------------------------------
  // State

  /**
   * Writes everything needed to resume this stream exactly (frames pending in the filter, the open
   * frame and chunk, the stages' state and counters; not timings) in a versioned binary form.
   * {@link #restore} then continues as if never interrupted: the same later input gives the same
   * units.
   */
  public void writeState(final DataOutput out) throws IOException {
    out.writeByte(STATE_VERSION);
    out.writeUTF(config.toString());
    out.writeLong(guard.accepted());
    out.writeInt(gridH);
    out.writeInt(gridW);
    out.writeInt(dim);
    out.writeLong(segment);
    out.writeLong(chunkSegment);
    out.writeInt(guard.dim());
    out.writeLong(guard.lastPtsMicros());
    out.writeLong(guard.accepted());
    StateCodec.writeFilter(out, filter.state());
    StateCodec.writeSegmenter(out, segmenter.state());
    out.writeInt(pending.size());
    for (final Pending p : pending) {
      StateCodec.writeFrame(out, p.frame());
      out.writeLong(p.segment());
    }
    out.writeBoolean(open != null);
    if (open != null) {
      out.writeLong(open.sequence());
      out.writeLong(open.segment());
      open.tokens().writeTo(out);
    }
    out.writeInt(chunk.size());
    for (final TokenBlock b : chunk) {
      b.writeTo(out);
    }
    for (final long v : new long[] {unitsOut, tokensOut, spatialFrames, spatialIn, spatialOut, mergeIn, mergeOut}) {
      out.writeLong(v);
    }
  }

  /**
   * Resumes a stream from {@link #writeState}, handing later units to {@code sink}.
   *
   * @throws IOException on a truncated or corrupt state, an unknown version
   * @throws IllegalArgumentException when {@code config} differs from the one the state was written with
   */
  public static StreamingCompressor restore(final CompressorConfig config, final Consumer<CompressedUnit> sink,
      final DataInput in) throws IOException {
    final byte version = in.readByte();
    if (version != STATE_VERSION) {
      throw new IOException("compressor state version " + version + " is not supported (this build reads "
          + STATE_VERSION + ")");
    }
    final String written = in.readUTF();
    if (!written.equals(config.toString())) {
      throw new IllegalArgumentException("the compressor state was written with another configuration; restore it "
          + "with the same one.\n  state:   " + written + "\n  restore: " + config);
    }
    final long framesIn = in.readLong();
    final int gridH = in.readInt();
    final int gridW = in.readInt();
    final int dim = in.readInt();
    final long segment = in.readLong();
    final long chunkSegment = in.readLong();
    final FrameInputGuard guard;
    try {
      guard = new FrameInputGuard(in.readInt(), in.readLong(), in.readLong());
    } catch (final IllegalArgumentException e) {
      throw new IOException("corrupt compressor state: " + e.getMessage(), e);
    }
    final TemporalFilter filter;
    final SceneSegmenter segmenter;
    try {
      filter = TemporalFilter.restore(config.filter(), StateCodec.readFilter(in));
      segmenter = SceneSegmenter.restore(config.segmenter(), StateCodec.readSegmenter(in));
    } catch (final IllegalArgumentException e) {
      throw new IOException("corrupt compressor state: " + e.getMessage(), e);
    }
    final StreamingCompressor c = new StreamingCompressor(config, sink, filter, segmenter, guard);
    c.gridH = gridH;
    c.gridW = gridW;
    c.dim = dim;
    c.segment = segment;
    c.chunkSegment = chunkSegment;
    final int pendingCount = StateCodec.length(in);
    for (int i = 0; i < pendingCount; i++) {
      c.pending.add(new Pending(StateCodec.readFrame(in), in.readLong()));
    }
    if (in.readBoolean()) {
      c.open = new Open(in.readLong(), in.readLong(), TokenBlock.readFrom(in));
    }
    final int chunkCount = StateCodec.length(in);
    for (int i = 0; i < chunkCount; i++) {
      c.chunk.add(TokenBlock.readFrom(in));
    }
    c.unitsOut = in.readLong();
    c.tokensOut = in.readLong();
    c.spatialFrames = in.readLong();
    c.spatialIn = in.readLong();
    c.spatialOut = in.readLong();
    c.mergeIn = in.readLong();
    c.mergeOut = in.readLong();
    if (framesIn != guard.accepted() || c.pending.size() != filter.pending()) {
      throw new IOException("corrupt compressor state: " + framesIn + " frames in, guard saw " + guard.accepted()
          + ", " + c.pending.size() + " pending frames, the filter holds " + filter.pending());
    }
    return c;
  }
}
