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
  private final CompressorConfig config;
  private final Consumer<CompressedUnit> sink;
  private final TemporalFilter filter;
  private final SceneSegmenter segmenter;
  private final SpatialReducer spatial;
  private final BipartiteMerger merger;
  private final FrameInputGuard guard = new FrameInputGuard();
  private final MergeOutput scratch = new MergeOutput();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final List<TokenBlock> chunk = new ArrayList<>();

  private int gridH;
  private int gridW;
  private int dim;
  private long segment = -1;
  private long chunkSegment = -1;
  private @Nullable Open open;
  private long framesIn;
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
    this.config = Objects.requireNonNull(config, "config");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.filter = TemporalFilter.create(config.filter());
    this.segmenter = SceneSegmenter.create(config.segmenter());
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
    if (framesIn == 0) {
      gridH = frame.gridH();
      gridW = frame.gridW();
      dim = frame.dim();
    }
    framesIn++;
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
        new StageStats("total", framesIn, unitsOut, framesIn * p, tokensOut,
            f.nanos() + s.nanos() + spatialNanos + mergeNanos));
  }

  public CompressorConfig config() {
    return config;
  }

  private void validate(final FrameTokens frame) {
    if (framesIn > 0 && (frame.gridH() != gridH || frame.gridW() != gridW || frame.dim() != dim)) {
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
        kept.put(d.sequence(), new Open(d.sequence(), p.segment(), TokenBlock.ofFrame(p.frame())));
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
    final int frames = chunk.size();
    final int p = gridH * gridW;
    TokenBlock block = new TokenBlock(dim, gridH, gridW, frames * p);
    for (final TokenBlock b : chunk) {
      block.appendAll(b);
    }
    chunk.clear();

    final long t0 = System.nanoTime();
    spatialFrames += frames;
    spatialIn += block.size();
    if (config.spatial().enabled() && frames > 1) {
      spatial.reduce(block.embeddings(), frames, p, dim, block.weights(), scratch);
      block = block.merge(scratch.assignmentCopy(), scratch.count(), scratch.embeddingsCopy());
    }
    spatialOut += block.size();
    final long t1 = System.nanoTime();
    spatialNanos += t1 - t0;

    mergeIn += block.size();
    final int target = Math.min(block.size(), frames * config.merge().tokensPerFrame());
    if (target < block.size()) {
      merger.merge(block.embeddings(), block.size(), dim, block.weights(), target, scratch);
      block = block.merge(scratch.assignmentCopy(), scratch.count(), scratch.embeddingsCopy());
    }
    mergeOut += block.size();
    mergeNanos += System.nanoTime() - t1;

    unitsOut++;
    tokensOut += block.size();
    sink.accept(new CompressedUnit(chunkSegment, frames, block));
  }
}
