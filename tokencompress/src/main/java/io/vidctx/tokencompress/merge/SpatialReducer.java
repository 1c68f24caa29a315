package io.vidctx.tokencompress.merge;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/*
 * Spatial token reduction against an anchor frame (LongVU STC, arXiv 2410.17434 section 3.3;
 * ANCHORS.md section 1 and spec S3), with the two changes the spec asks for: drop the least novel
 * patches first, and keep at least minTokensPerFrame patches of every frame so no timestamp
 * disappears.
 *
 * Algorithm: frames come in chunks of chunkFrames. The first frame of a chunk is the anchor and
 * keeps all P patches. For every later frame, the patch at grid position p is compared (cosine)
 * with the anchor's patch at p - the *original* anchor patch, not the running mean, so the
 * decision of a frame never depends on which earlier frames were dropped. Candidates are the
 * positions with cosine >= threshold; the k = min(candidates, P - minTokensPerFrame) most similar
 * ones (cosine descending, position ascending on ties) are dropped into the anchor's token at p,
 * whose embedding becomes the size-weighted mean of everything it absorbed (ToMe's rule, so weights
 * and provenance add up). The other patches are kept unchanged.
 *
 * Complexity: O(P * d) per frame (two dot products per patch: its norm and its product with the
 * unit anchor patch) plus O(c log c) to order the c candidates. Memory: the anchor's unit vectors
 * (P * d), its running sums (P * d) and per-position scratch, all owned here and grown with
 * ensureCapacity, so steady-state use allocates nothing.
 *
 * Layout: a frame is P patches x d floats, row-major (grid row, column, then dim), as FrameTokens.
 */

/**
 * Drops each frame's patches that an anchor frame already shows (LongVU STC), least novel first,
 * keeping at least {@link Config#minTokensPerFrame()} per frame.
 *
 * <p>Two forms: {@link #reduce} over whole frame sequences (chunked), and a streaming form
 * ({@link #setAnchor}, {@link #reduceFrame}, {@link #anchorOutputs}) that gives the same result
 * frame by frame. Not thread-safe: it owns scratch buffers and the current anchor.
 */
public final class SpatialReducer {
  /** {@link #reduceFrame} target of a dropped patch: the anchor's token at the same position. */
  public static final int TO_ANCHOR = -1;

  /**
   * Settings.
   *
   * @param enabled false keeps every token (the identity reduction)
   * @param chunkFrames frames per chunk; the first of each is the anchor (LongVU: 8)
   * @param threshold a patch is a drop candidate when its cosine with the anchor's patch at the
   *     same position is at least this (LongVU: 0.7 to 0.8; the built-in encoder: 0.85;
   *     recalibrate for each encoder)
   * @param minTokensPerFrame patches every non-anchor frame keeps at least (its most novel ones)
   */
  public record Config(boolean enabled, int chunkFrames, float threshold, int minTokensPerFrame) {
    /**
     * LongVU's chunk of 8, at least one token per frame, and a threshold of 0.85 calibrated for the
     * built-in encoder (module README "Spatial threshold", {@code SpatialCalibrationSweepTest}; 12
     * shared clips at 2 fps).
     *
     * <p>Why not LongVU's 0.75: stage 4 merges each chunk to 16 tokens per kept frame whatever stage 3
     * leaves, so the threshold changes no end-to-end token count (7696 at every value from 0.6 to
     * 0.95); it sets how much stage-4 work stage 3 saves and at what fidelity. End-to-end fidelity
     * (cosine of every original patch with the token that absorbed it) is best at 0.85 to 0.9 (mean
     * 0.9140, 0.9141) and falls below: 0.9124 at 0.75, the same as with stage 3 off, 0.9106 at 0.6.
     * 0.85 is the lowest threshold within 0.0005 of the best: 38 % fewer tokens into stage 4 (46 % at
     * 0.75), whose quadratic work drops to 0.38 of that without stage 3 (0.29 at 0.75).
     */
    public static final Config DEFAULTS = new Config(true, 8, 0.85f, 1);

    public Config {
      if (chunkFrames < 1) {
        throw new IllegalArgumentException("chunkFrames must be at least 1, was " + chunkFrames);
      }
      if (!(threshold >= -1f && threshold <= 1f)) {
        throw new IllegalArgumentException("threshold must be a cosine in [-1, 1], was " + threshold);
      }
      if (minTokensPerFrame < 1) {
        throw new IllegalArgumentException("minTokensPerFrame must be at least 1, was " + minTokensPerFrame);
      }
    }
  }

  private final Config config;

  // Current anchor: P tokens of width d.
  private int anchorTokens;
  private int anchorDim;
  private float[] anchorUnit = new float[0];
  private float[] anchorSum = new float[0];
  private float[] anchorWeight = new float[0];
  private boolean[] absorbed = new boolean[0];
  // Per-frame scratch.
  private long[] keys = new long[0];
  private boolean[] drop = new boolean[0];
  private int[] frameTarget = new int[0];

  public SpatialReducer(final Config config) {
    this.config = config;
  }

  public Config config() {
    return config;
  }

  /**
   * Reduces a sequence of frames, chunk by chunk (frame 0, chunkFrames, 2 chunkFrames, ... are
   * anchors).
   *
   * <p>Invariants: {@code out.inputCount() == frames * tokensPerFrame}; outputs follow the
   * {@link MergeOutput} convention (numbered by smallest member, so in input order); an anchor keeps
   * all its tokens, a dropped token goes to the anchor's output at its grid position, every other
   * frame keeps between {@code min(minTokensPerFrame, P)} and P tokens; kept tokens are bit-exact
   * copies; the inputs are not modified.
   *
   * @param tokens {@code frames * tokensPerFrame * dim} floats, time then grid position
   * @param weights per-token weights (original patches each stands for), or null for all 1
   * @return {@code out}
   */
  public MergeOutput reduce(final float[] tokens, final int frames, final int tokensPerFrame, final int dim,
      final float @Nullable [] weights, final MergeOutput out) {
    Vectors.requirePositive("frames", frames);
    Vectors.requirePositive("tokensPerFrame", tokensPerFrame);
    Vectors.requirePositive("dim", dim);
    final int n = Math.multiplyExact(frames, tokensPerFrame);
    Vectors.requireLength("tokens", tokens, n, dim);
    Vectors.requireWeights(weights, n);
    out.begin(n, n, dim);
    final int[] assignment = out.assignment();
    final float[] emb = out.embeddings();
    final float[] outW = out.weights();
    final int p = tokensPerFrame;
    int m = 0;
    for (int f0 = 0; f0 < frames; f0 += config.chunkFrames()) {
      final int end = Math.min(frames, f0 + config.chunkFrames());
      setAnchor(tokens, f0 * p * dim, p, dim, weights, f0 * p);
      final int anchorBase = m;
      for (int q = 0; q < p; q++) {
        assignment[f0 * p + q] = anchorBase + q;
      }
      m += p;
      for (int f = f0 + 1; f < end; f++) {
        final int kept = reduceFrame(tokens, f * p * dim, weights, f * p, frameTarget(p), 0);
        for (int q = 0; q < p; q++) {
          final int i = f * p + q;
          final int t = frameTarget[q];
          if (t == TO_ANCHOR) {
            assignment[i] = anchorBase + q;
          } else {
            final int j = m + t;
            assignment[i] = j;
            System.arraycopy(tokens, i * dim, emb, j * dim, dim);
            outW[j] = Vectors.weight(weights, i);
          }
        }
        m += kept;
      }
      anchorOutputs(emb, anchorBase * dim, outW, anchorBase);
    }
    out.setCount(m);
    return out;
  }

  /**
   * Starts a chunk: copies the anchor frame (P tokens of width d at {@code tokens[offset..]}).
   *
   * @param weights per-token weights read at {@code weights[weightOffset..+P)}, or null for all 1
   */
  public void setAnchor(final float[] tokens, final int offset, final int tokensPerFrame, final int dim,
      final float @Nullable [] weights, final int weightOffset) {
    Vectors.requirePositive("tokensPerFrame", tokensPerFrame);
    Vectors.requirePositive("dim", dim);
    requireRange("tokens", tokens.length, offset, (long) tokensPerFrame * dim);
    if (weights != null) {
      requireRange("weights", weights.length, weightOffset, tokensPerFrame);
    }
    final int p = tokensPerFrame;
    ensureAnchorCapacity(p, dim);
    anchorTokens = 0; // stays unset if this anchor is rejected
    System.arraycopy(tokens, offset, anchorSum, 0, p * dim);
    for (int q = 0; q < p; q++) {
      final float w = weights == null ? 1f : weights[weightOffset + q];
      if (!(w > 0f) || !Float.isFinite(w)) {
        throw new IllegalArgumentException("anchor weight " + q + " must be finite and positive, was " + w);
      }
      anchorWeight[q] = w;
      absorbed[q] = false;
      final float inv = Vectors.inverseNorm(Vectors.checkedSquaredNorm("anchor", anchorSum, q, dim));
      final int o = q * dim;
      for (int k = 0; k < dim; k++) {
        anchorUnit[o + k] = anchorSum[o + k] * inv;
      }
    }
    anchorTokens = p;
    anchorDim = dim;
  }

  /**
   * Reduces one frame against the current anchor (same P and d as the anchor).
   *
   * <p>Writes, for each grid position q, {@code target[targetOffset + q]}: the index of the token
   * among this frame's kept tokens (0, 1, ... in position order), or {@link #TO_ANCHOR} when it was
   * dropped into the anchor's token at q (whose running mean and weight {@link #anchorOutputs}
   * reports). With the reducer disabled every token is kept.
   *
   * @return the number of kept tokens, in [min(minTokensPerFrame, P), P]
   * @throws IllegalStateException when no anchor was set
   */
  public int reduceFrame(final float[] tokens, final int offset, final float @Nullable [] weights,
      final int weightOffset, final int[] target, final int targetOffset) {
    if (anchorTokens == 0) {
      throw new IllegalStateException("reduceFrame before setAnchor");
    }
    final int p = anchorTokens;
    final int d = anchorDim;
    requireRange("tokens", tokens.length, offset, (long) p * d);
    requireRange("target", target.length, targetOffset, p);
    if (weights != null) {
      requireRange("weights", weights.length, weightOffset, p);
    }
    int candidates = 0;
    for (int q = 0; q < p; q++) {
      final int o = offset + q * d;
      final float nn = Vectors.dot(tokens, o, tokens, o, d);
      if (!Float.isFinite(nn)) {
        throw nonFinite(tokens, o, d, q, nn);
      }
      if (weights != null && !(weights[weightOffset + q] > 0f && Float.isFinite(weights[weightOffset + q]))) {
        // Checked before anything changes, so a rejected frame leaves the anchor as it was.
        throw new IllegalArgumentException("weight " + q + " must be finite and positive, was "
            + weights[weightOffset + q]);
      }
      drop[q] = false;
      if (!config.enabled()) {
        continue;
      }
      final float cos = Vectors.dot(tokens, o, anchorUnit, q * d, d) * Vectors.inverseNorm(nn);
      if (cos >= config.threshold()) {
        keys[candidates++] = Vectors.descendingKey(cos, q);
      }
    }
    final int droppable = Math.min(candidates, Math.max(0, p - config.minTokensPerFrame()));
    if (droppable > 0) {
      if (droppable < candidates) {
        // Least novel first: only the `droppable` highest cosines go, the rest stay.
        Arrays.sort(keys, 0, candidates);
      }
      for (int c = 0; c < droppable; c++) {
        drop[(int) keys[c]] = true;
      }
    }
    int kept = 0;
    for (int q = 0; q < p; q++) {
      if (!drop[q]) {
        target[targetOffset + q] = kept++;
        continue;
      }
      target[targetOffset + q] = TO_ANCHOR;
      final float w = weights == null ? 1f : weights[weightOffset + q];
      final int ao = q * d;
      if (!absorbed[q]) {
        // The running mean is kept as a weighted sum from the first absorption on; an anchor token
        // that absorbs nothing stays a bit-exact copy.
        absorbed[q] = true;
        final float aw = anchorWeight[q];
        for (int k = 0; k < d; k++) {
          anchorSum[ao + k] *= aw;
        }
      }
      final int o = offset + q * d;
      for (int k = 0; k < d; k++) {
        anchorSum[ao + k] += w * tokens[o + k];
      }
      anchorWeight[q] += w;
    }
    return kept;
  }

  /**
   * Writes the current anchor's outputs: for each position the size-weighted mean of the anchor
   * token and everything dropped into it so far ({@code P * d} floats at
   * {@code embeddings[embeddingOffset..]}), and the summed weights ({@code P} at
   * {@code weights[weightOffset..]}).
   */
  public void anchorOutputs(final float[] embeddings, final int embeddingOffset, final float[] weights,
      final int weightOffset) {
    if (anchorTokens == 0) {
      throw new IllegalStateException("anchorOutputs before setAnchor");
    }
    final int p = anchorTokens;
    final int d = anchorDim;
    requireRange("embeddings", embeddings.length, embeddingOffset, (long) p * d);
    requireRange("weights", weights.length, weightOffset, p);
    for (int q = 0; q < p; q++) {
      final int o = q * d;
      final int e = embeddingOffset + o;
      final float w = anchorWeight[q];
      if (absorbed[q]) {
        for (int k = 0; k < d; k++) {
          embeddings[e + k] = anchorSum[o + k] / w;
        }
      } else {
        System.arraycopy(anchorSum, o, embeddings, e, d);
      }
      weights[weightOffset + q] = w;
    }
  }

  private int[] frameTarget(final int p) {
    if (frameTarget.length < p) {
      frameTarget = new int[p];
    }
    return frameTarget;
  }

  private void ensureAnchorCapacity(final int p, final int d) {
    if (anchorUnit.length < p * d) {
      anchorUnit = new float[p * d];
      anchorSum = new float[p * d];
    }
    if (anchorWeight.length < p) {
      anchorWeight = new float[p];
      absorbed = new boolean[p];
      keys = new long[p];
      drop = new boolean[p];
    }
  }

  private static IllegalArgumentException nonFinite(final float[] a, final int o, final int d, final int q,
      final float nn) {
    for (int k = 0; k < d; k++) {
      if (!Float.isFinite(a[o + k])) {
        return new IllegalArgumentException("frame token " + q + " has a non-finite value " + a[o + k] + " at dim " + k);
      }
    }
    return new IllegalArgumentException("frame token " + q + ": squared norm overflows float (" + nn + ")");
  }

  private static void requireRange(final String name, final int length, final int offset, final long count) {
    if (offset < 0 || offset + count > length) {
      throw new IllegalArgumentException(name + " holds " + length + " entries, " + count + " needed from offset "
          + offset);
    }
  }
}
