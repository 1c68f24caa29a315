package io.vidctx.tokencompress;

import io.vidctx.encoder.FrameTokens;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/*
 * Layout: one row per token, columns in flat primitive arrays grown together (capacity doubles):
 *
 *   emb      float[cap * dim]   the token's embedding, row-major
 *   weight   float[cap]         original patch tokens absorbed (integer-valued)
 *   start    long[cap]          earliest presentation time (us) of any frame absorbed
 *   end      long[cap]          latest presentation time (us) of any frame absorbed
 *   first    long[cap]          smallest frame index absorbed
 *   last     long[cap]          largest frame index absorbed
 *   row/col  short[cap]         grid position of the token's representative (its first member)
 *   cells    long[cap * words]  bitmap of the grid cells absorbed, words = ceil(gridH * gridW / 64)
 *
 * This is ToMe's source map made bounded: instead of the list of every (frame, cell) a token
 * absorbed, which grows with the video, a token keeps the closed time span and frame range it
 * covers plus the union of its cells. Weights stay exact, so token accounting is exact: the weights
 * of a block always add up to the number of original patch tokens that went in. Spans make needle
 * recall model-free: a token "hits" an interval when its span overlaps it.
 *
 * Floats hold integer weights exactly up to 2^24 (16.7 M patch tokens in one token, about 24 hours
 * of 196-token frames at 1 fps all merged into one token); merges refuse to go past that.
 */

/**
 * A columnar store of visual tokens with provenance: embeddings, weights (how many original patch
 * tokens each stands for), the closed presentation-time span and frame-index range each covers,
 * a representative grid position and the set of grid cells absorbed.
 *
 * <p>Invariants, checked by {@link #checkInvariants()}: every weight is a positive integer value;
 * {@code start <= end} and {@code first <= last}; every token covers at least one cell, and its
 * representative cell among them; embeddings are finite.
 *
 * <p>Not thread-safe. Accessors never expose the arrays; {@link #embeddings()} returns a copy.
 */
public final class TokenBlock {
  /** The largest integer a float holds exactly: no token may weigh more. */
  static final float MAX_EXACT_WEIGHT = 1 << 24;

  private static final byte FORMAT_VERSION = 1;
  /** The same layout with embeddings as IEEE half floats (the compact wire form). */
  private static final byte FORMAT_VERSION_FLOAT16 = 2;

  private final int dim;
  private final int gridH;
  private final int gridW;
  private final int words;
  private int size;
  private float[] emb;
  private float[] weight;
  private long[] start;
  private long[] end;
  private long[] first;
  private long[] last;
  private short[] row;
  private short[] col;
  private long[] cells;

  /** An empty block for tokens of width {@code dim} from frames with a {@code gridH × gridW} patch grid. */
  public TokenBlock(final int dim, final int gridH, final int gridW, final int initialCapacity) {
    requireArgument(dim > 0, "dim must be positive, was %s", dim);
    requireArgument(gridH > 0 && gridW > 0 && gridH <= Short.MAX_VALUE && gridW <= Short.MAX_VALUE,
        "grid must be positive and fit a short, was %sx%s", gridH, gridW);
    requireArgument(initialCapacity >= 0, "capacity must be >= 0, was %s", initialCapacity);
    this.dim = dim;
    this.gridH = gridH;
    this.gridW = gridW;
    this.words = (gridH * gridW + 63) / 64;
    allocate(Math.max(1, initialCapacity));
  }

  /**
   * One token per patch of a frame: weight 1, span and frame range the frame's own, its grid cell.
   *
   * @throws IllegalArgumentException when an embedding value is NaN or infinite
   */
  public static TokenBlock ofFrame(final FrameTokens frame) {
    requireFinite(frame);
    return ofCheckedFrame(frame);
  }

  /** {@link #ofFrame} for a frame whose values were already checked (the compressor's per-frame path). */
  static TokenBlock ofCheckedFrame(final FrameTokens frame) {
    final int n = frame.patchCount();
    final TokenBlock b = new TokenBlock(frame.dim(), frame.gridH(), frame.gridW(), n);
    final float[] p = frame.patches();
    System.arraycopy(p, 0, b.emb, 0, p.length);
    for (int t = 0; t < n; t++) {
      b.weight[t] = 1f;
      b.start[t] = frame.ptsMicros();
      b.end[t] = frame.ptsMicros();
      b.first[t] = frame.index();
      b.last[t] = frame.index();
      b.row[t] = (short) (t / frame.gridW());
      b.col[t] = (short) (t % frame.gridW());
      b.cells[t * b.words + (t >>> 6)] = 1L << (t & 63);
    }
    b.size = n;
    return b;
  }

  /**
   * The frame's patches, after checking every value is finite.
   *
   * @throws IllegalArgumentException naming the frame, the patch and the dimension of the first bad value
   */
  static float[] requireFinite(final FrameTokens frame) {
    final float[] p = frame.patches();
    for (int i = 0; i < p.length; i++) {
      if (!Float.isFinite(p[i])) {
        throw new IllegalArgumentException("frame " + frame.index() + " of stream " + frame.streamId() + " at "
            + frame.ptsMicros() + " us has a non-finite value (" + p[i] + ") in patch " + (i / frame.dim())
            + ", dimension " + (i % frame.dim()));
      }
    }
    return p;
  }

  public int size() {
    return size;
  }

  public int dim() {
    return dim;
  }

  public int gridH() {
    return gridH;
  }

  public int gridW() {
    return gridW;
  }

  public float weight(final int i) {
    return weight[check(i)];
  }

  public long startPts(final int i) {
    return start[check(i)];
  }

  public long endPts(final int i) {
    return end[check(i)];
  }

  public long firstFrame(final int i) {
    return first[check(i)];
  }

  public long lastFrame(final int i) {
    return last[check(i)];
  }

  public int row(final int i) {
    return row[check(i)];
  }

  public int col(final int i) {
    return col[check(i)];
  }

  /** Whether token {@code i} absorbed grid cell {@code cell} (row-major index) of some frame. */
  public boolean coversCell(final int i, final int cell) {
    check(i);
    requireArgument(cell >= 0 && cell < gridH * gridW, "cell must be in [0, %s), was %s", gridH * gridW, cell);
    return (cells[i * words + (cell >>> 6)] & (1L << (cell & 63))) != 0;
  }

  /** How many distinct grid cells token {@code i} absorbed. */
  public int cellCount(final int i) {
    check(i);
    int n = 0;
    for (int w = 0; w < words; w++) {
      n += Long.bitCount(cells[i * words + w]);
    }
    return n;
  }

  /** Copies token {@code i}'s embedding into {@code dst} at {@code offset}. */
  public void copyEmbedding(final int i, final float[] dst, final int offset) {
    System.arraycopy(emb, check(i) * dim, dst, offset, dim);
  }

  /** A copy of all embeddings, {@code size() * dim()} floats row-major. */
  public float[] embeddings() {
    return Arrays.copyOf(emb, size * dim);
  }

  /**
   * The embeddings without a copy when the backing array holds exactly {@code size() * dim()} floats
   * (a block built at its final size), else {@link #embeddings()}. Read only: for kernels of this
   * module that take exact-length arrays and do not modify their inputs.
   */
  float[] embeddingsView() {
    return emb.length == size * dim ? emb : embeddings();
  }

  /** The weights without a copy when the backing array is exactly {@code size()} long, as {@link #embeddingsView}. */
  float[] weightsView() {
    return weight.length == size ? weight : weights();
  }

  /** A copy of all weights. */
  public float[] weights() {
    return Arrays.copyOf(weight, size);
  }

  /** The sum of all weights: the number of original patch tokens this block stands for. */
  public long totalWeight() {
    long sum = 0;
    for (int i = 0; i < size; i++) {
      sum += (long) weight[i];
    }
    return sum;
  }

  /** Whether span starts never decrease from one token to the next (the block's time order). */
  public boolean isTimeOrdered() {
    for (int i = 1; i < size; i++) {
      if (start[i] < start[i - 1]) {
        return false;
      }
    }
    return true;
  }

  /** An independent copy of this block. */
  public TokenBlock copy() {
    final TokenBlock b = new TokenBlock(dim, gridH, gridW, size);
    b.appendAll(this);
    return b;
  }

  /** Appends token {@code i} of {@code src} (same dim and grid) and returns its new index. */
  public int append(final TokenBlock src, final int i) {
    requireSameShape(src);
    src.check(i);
    ensureCapacity(size + 1);
    copyRow(src, i, size);
    return size++;
  }

  /** Appends every token of {@code src} (same dim and grid), keeping their order. */
  public void appendAll(final TokenBlock src) {
    requireSameShape(src);
    ensureCapacity(size + src.size);
    System.arraycopy(src.emb, 0, emb, size * dim, src.size * dim);
    System.arraycopy(src.weight, 0, weight, size, src.size);
    System.arraycopy(src.start, 0, start, size, src.size);
    System.arraycopy(src.end, 0, end, size, src.size);
    System.arraycopy(src.first, 0, first, size, src.size);
    System.arraycopy(src.last, 0, last, size, src.size);
    System.arraycopy(src.row, 0, row, size, src.size);
    System.arraycopy(src.col, 0, col, size, src.size);
    System.arraycopy(src.cells, 0, cells, size * words, src.size * words);
    size += src.size;
  }

  /**
   * Widens token {@code i}'s span and frame range to include a frame it now stands for (a frame the
   * temporal filter dropped as a near-duplicate). Weight and embedding are unchanged: the dropped
   * frame's patch tokens are counted by {@link #absorbWeight}.
   */
  public void extendSpan(final int i, final long ptsMicros, final long frameIndex) {
    check(i);
    start[i] = Math.min(start[i], ptsMicros);
    end[i] = Math.max(end[i], ptsMicros);
    first[i] = Math.min(first[i], frameIndex);
    last[i] = Math.max(last[i], frameIndex);
  }

  /** Adds {@code w} original patch tokens to token {@code i}'s weight (exact integer accounting). */
  public void absorbWeight(final int i, final float w) {
    check(i);
    requireArgument(w >= 0 && w == Math.rint(w), "absorbed weight must be a non-negative integer, was %s", w);
    final float sum = weight[i] + w;
    requireArgument(sum <= MAX_EXACT_WEIGHT, "token %s would weigh %s, beyond exact float range", i, sum);
    weight[i] = sum;
  }

  /**
   * Merges tokens by an assignment: input token {@code i} goes into output {@code assignment[i]}.
   * Every output must get at least one member; outputs may be numbered in any order (the merge
   * kernels number them by smallest member, which keeps the input order; k-means numbers them by
   * time). Provenance is unioned (spans, frame ranges, cells), weights add up, the representative
   * position is that of the output's first member in input order.
   *
   * @param embeddings the outputs' embeddings ({@code outputs * dim}), as a merge kernel computed
   *     them; null to compute size-weighted means here
   * @return a new block of {@code outputs} tokens; this block is unchanged
   */
  public TokenBlock merge(final int[] assignment, final int outputs, final float @Nullable [] embeddings) {
    requireArgument(assignment.length == size, "assignment has %s entries, the block %s tokens", assignment.length, size);
    requireArgument(outputs >= 0 && outputs <= size, "outputs must be in [0, %s], was %s", size, outputs);
    requireArgument(embeddings == null || embeddings.length >= outputs * dim,
        "embeddings hold %s floats, %s outputs need %s", embeddings == null ? 0 : embeddings.length, outputs, outputs * dim);
    final TokenBlock out = new TokenBlock(dim, gridH, gridW, outputs);
    // Weight 0 marks an output no member reached yet (real weights are >= 1).
    int filled = 0;
    for (int i = 0; i < size; i++) {
      final int o = assignment[i];
      requireArgument(o >= 0 && o < outputs, "assignment[%s] = %s is outside [0, %s)", i, o, outputs);
      if (out.weight[o] == 0f) {
        out.copyRow(this, i, o);
        filled++;
      } else {
        out.absorbRow(this, i, o);
      }
    }
    requireArgument(filled == outputs, "%s of %s outputs received no input", outputs - filled, outputs);
    out.size = outputs;
    System.arraycopy(embeddings != null ? embeddings : weightedMeans(assignment, outputs, out.weight), 0, out.emb, 0,
        outputs * dim);
    return out;
  }

  /**
   * A copy of the tokens at {@code indices}, in that order (the same index may not repeat: a token's
   * weight must be counted once).
   */
  public TokenBlock select(final int[] indices) {
    final TokenBlock out = new TokenBlock(dim, gridH, gridW, indices.length);
    final boolean[] seen = new boolean[size];
    for (final int i : indices) {
      check(i);
      requireArgument(!seen[i], "token %s selected twice", i);
      seen[i] = true;
      out.copyRow(this, i, out.size++);
    }
    return out;
  }

  /**
   * A copy in time order: {@code select(timeOrder())}.
   */
  public TokenBlock sortedByTime() {
    return select(timeOrder());
  }

  /**
   * The permutation that puts the tokens in time order: by span start, then span end, then first
   * frame; ties keep the current order (a stable sort, so the result is a function of the input
   * alone).
   */
  public int[] timeOrder() {
    final Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int c = Long.compare(start[a], start[b]);
      if (c == 0) {
        c = Long.compare(end[a], end[b]);
      }
      return c != 0 ? c : Long.compare(first[a], first[b]);
    });
    final int[] idx = new int[size];
    for (int i = 0; i < size; i++) {
      idx[i] = order[i];
    }
    return idx;
  }

  /** The middle of token {@code i}'s span, in microseconds: the time key clustering orders by. */
  public double midPts(final int i) {
    check(i);
    return 0.5 * start[i] + 0.5 * end[i];
  }

  /**
   * Throws {@link IllegalStateException} naming the first token that breaks an invariant of the class
   * (weights positive integers, spans and frame ranges ordered, representative cell covered, finite
   * embeddings).
   */
  public void checkInvariants() {
    for (int i = 0; i < size; i++) {
      if (!(weight[i] >= 1) || weight[i] != Math.rint(weight[i]) || weight[i] > MAX_EXACT_WEIGHT) {
        throw new IllegalStateException("token " + i + " has weight " + weight[i] + ", not a positive integer");
      }
      if (start[i] > end[i] || first[i] > last[i]) {
        throw new IllegalStateException("token " + i + " has span [" + start[i] + ", " + end[i] + "] us, frames ["
            + first[i] + ", " + last[i] + "]");
      }
      if (!coversCell(i, row[i] * gridW + col[i])) {
        throw new IllegalStateException("token " + i + " does not cover its own cell (" + row[i] + ", " + col[i] + ")");
      }
      for (int k = 0; k < dim; k++) {
        if (!Float.isFinite(emb[i * dim + k])) {
          throw new IllegalStateException("token " + i + " has a non-finite embedding value at " + k);
        }
      }
    }
  }

  /** Writes the block in a stable, versioned binary form (big-endian, see {@link #readFrom}). */
  public void writeTo(final DataOutput out) throws IOException {
    writeTo(out, false);
  }

  /**
   * Writes the block, with embeddings as float32 (exact) or as IEEE half floats ({@code float16}:
   * half the embedding bytes, values rounded by {@link Float16}; {@link #readFrom} reads either).
   *
   * @throws IOException also when {@code float16} and an embedding value lies beyond the half range
   */
  public void writeTo(final DataOutput out, final boolean float16) throws IOException {
    out.writeByte(float16 ? FORMAT_VERSION_FLOAT16 : FORMAT_VERSION);
    out.writeInt(dim);
    out.writeShort(gridH);
    out.writeShort(gridW);
    out.writeInt(size);
    for (int i = 0; i < size; i++) {
      for (int k = 0; k < dim; k++) {
        final float v = emb[i * dim + k];
        if (!float16) {
          out.writeFloat(v);
        } else if (Float16.fits(v)) {
          out.writeShort(Float16.fromFloat(v));
        } else {
          throw new IOException("token " + i + " has embedding value " + v + " at " + k + ", beyond the float16 range"
              + " (+-" + Float16.MAX + "); write this block as float32");
        }
      }
      out.writeFloat(weight[i]);
      out.writeLong(start[i]);
      out.writeLong(end[i]);
      out.writeLong(first[i]);
      out.writeLong(last[i]);
      out.writeShort(row[i]);
      out.writeShort(col[i]);
      for (int w = 0; w < words; w++) {
        out.writeLong(cells[i * words + w]);
      }
    }
  }

  /**
   * Reads a block written by {@link #writeTo}.
   *
   * @throws IOException on a truncated stream, an unknown format version or impossible sizes
   */
  public static TokenBlock readFrom(final DataInput in) throws IOException {
    final byte version = in.readByte();
    if (version != FORMAT_VERSION && version != FORMAT_VERSION_FLOAT16) {
      throw new IOException("token block format version " + version + " is not supported (this build reads "
          + FORMAT_VERSION + " and " + FORMAT_VERSION_FLOAT16 + ")");
    }
    final boolean float16 = version == FORMAT_VERSION_FLOAT16;
    final int dim = in.readInt();
    final int gridH = in.readShort();
    final int gridW = in.readShort();
    final int size = in.readInt();
    if (dim <= 0 || gridH <= 0 || gridW <= 0 || size < 0) {
      throw new IOException("corrupt token block header: dim " + dim + ", grid " + gridH + "x" + gridW + ", size " + size);
    }
    final TokenBlock b = new TokenBlock(dim, gridH, gridW, size);
    for (int i = 0; i < size; i++) {
      for (int k = 0; k < dim; k++) {
        b.emb[i * dim + k] = float16 ? Float16.toFloat(in.readShort()) : in.readFloat();
      }
      b.weight[i] = in.readFloat();
      b.start[i] = in.readLong();
      b.end[i] = in.readLong();
      b.first[i] = in.readLong();
      b.last[i] = in.readLong();
      b.row[i] = in.readShort();
      b.col[i] = in.readShort();
      for (int w = 0; w < b.words; w++) {
        b.cells[i * b.words + w] = in.readLong();
      }
    }
    b.size = size;
    return b;
  }

  private void copyRow(final TokenBlock src, final int i, final int o) {
    System.arraycopy(src.emb, i * dim, emb, o * dim, dim);
    weight[o] = src.weight[i];
    start[o] = src.start[i];
    end[o] = src.end[i];
    first[o] = src.first[i];
    last[o] = src.last[i];
    row[o] = src.row[i];
    col[o] = src.col[i];
    System.arraycopy(src.cells, i * words, cells, o * words, words);
  }

  private void absorbRow(final TokenBlock src, final int i, final int o) {
    final float w = weight[o] + src.weight[i];
    requireArgument(w <= MAX_EXACT_WEIGHT, "merged token %s would weigh %s, beyond exact float range", o, w);
    weight[o] = w;
    start[o] = Math.min(start[o], src.start[i]);
    end[o] = Math.max(end[o], src.end[i]);
    first[o] = Math.min(first[o], src.first[i]);
    last[o] = Math.max(last[o], src.last[i]);
    for (int k = 0; k < words; k++) {
      cells[o * words + k] |= src.cells[i * words + k];
    }
  }

  /** Size-weighted mean embedding of each output's members (ToMe's merge rule). */
  private float[] weightedMeans(final int[] assignment, final int outputs, final float[] outWeights) {
    final float[] sums = new float[outputs * dim];
    for (int i = 0; i < size; i++) {
      final int o = assignment[i];
      final float w = weight[i];
      for (int k = 0; k < dim; k++) {
        sums[o * dim + k] += w * emb[i * dim + k];
      }
    }
    for (int o = 0; o < outputs; o++) {
      final float inv = 1f / outWeights[o];
      for (int k = 0; k < dim; k++) {
        sums[o * dim + k] *= inv;
      }
    }
    return sums;
  }

  private void allocate(final int cap) {
    emb = new float[cap * dim];
    weight = new float[cap];
    start = new long[cap];
    end = new long[cap];
    first = new long[cap];
    last = new long[cap];
    row = new short[cap];
    col = new short[cap];
    cells = new long[cap * words];
  }

  private void ensureCapacity(final int needed) {
    final int cap = weight.length;
    if (needed <= cap) {
      return;
    }
    final int newCap = Math.max(needed, cap * 2);
    emb = Arrays.copyOf(emb, newCap * dim);
    weight = Arrays.copyOf(weight, newCap);
    start = Arrays.copyOf(start, newCap);
    end = Arrays.copyOf(end, newCap);
    first = Arrays.copyOf(first, newCap);
    last = Arrays.copyOf(last, newCap);
    row = Arrays.copyOf(row, newCap);
    col = Arrays.copyOf(col, newCap);
    cells = Arrays.copyOf(cells, newCap * words);
  }

  private int check(final int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("token " + i + " of a block of " + size);
    }
    return i;
  }

  private void requireSameShape(final TokenBlock other) {
    requireArgument(other.dim == dim && other.gridH == gridH && other.gridW == gridW,
        "blocks differ in shape: %sx%sx%s vs %sx%sx%s", gridH, gridW, dim, other.gridH, other.gridW, other.dim);
  }

  static void requireArgument(final boolean ok, final String format, final Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
    }
  }
}
