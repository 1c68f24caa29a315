package io.vidctx.tokencompress.select;

import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.tokencompress.MemorySegment;
import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.merge.Vectors;
import io.vidctx.tokencompress.text.TextMatcher;
import java.util.List;

/**
 * What a selection needs of a memory, computed once so that many questions about one memory pay for
 * it once: the tokens, each token's inverse norm and segment, and each segment's descriptor (the
 * weight-averaged embedding of its tokens, unit length), the coarse step's key. Immutable and
 * thread-safe. Building it costs O(tokens × dim).
 */
public final class SelectionIndex {
  private final TokenBlock tokens;
  private final float[] emb;
  private final float[] invNorm;
  private final int[] segmentOf;
  private final List<MemorySegment> segments;
  private final float[] descriptors;
  private final long patchTokensIn;
  private final long startPts;
  private final long endPts;
  private final List<TextToken> texts;
  private final TextMatcher lexical;

  private SelectionIndex(final TokenBlock tokens, final List<MemorySegment> segments, final long patchTokensIn,
      final List<TextToken> texts) {
    this.tokens = tokens;
    final List<TextToken> sorted = new java.util.ArrayList<>(texts);
    sorted.sort(java.util.Comparator.comparingLong(TextToken::startMicros));
    this.texts = List.copyOf(sorted);
    this.lexical = new TextMatcher(this.texts);
    this.segments = List.copyOf(segments);
    this.patchTokensIn = patchTokensIn;
    final int n = tokens.size();
    final int d = tokens.dim();
    this.emb = tokens.embeddings();
    this.invNorm = new float[n];
    for (int i = 0; i < n; i++) {
      final float sq = Vectors.dot(emb, i * d, emb, i * d, d);
      invNorm[i] = sq > 0 ? (float) (1 / Math.sqrt(sq)) : 0f;
    }
    this.segmentOf = new int[n];
    this.descriptors = new float[this.segments.size() * d];
    int next = 0;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (int s = 0; s < this.segments.size(); s++) {
      final MemorySegment seg = this.segments.get(s);
      if (seg.firstToken() != next || seg.firstToken() + seg.tokenCount() > n) {
        throw new IllegalArgumentException("segments must tile the tokens in order: segment " + s + " starts at token "
            + seg.firstToken() + ", expected " + next + " (of " + n + ")");
      }
      final int o = s * d;
      for (int i = seg.firstToken(); i < seg.firstToken() + seg.tokenCount(); i++) {
        segmentOf[i] = s;
        final float w = tokens.weight(i);
        for (int k = 0; k < d; k++) {
          descriptors[o + k] += w * emb[i * d + k];
        }
        start = Math.min(start, tokens.startPts(i));
        end = Math.max(end, tokens.endPts(i));
      }
      final float sq = Vectors.dot(descriptors, o, descriptors, o, d);
      final float inv = sq > 0 ? (float) (1 / Math.sqrt(sq)) : 0f;
      for (int k = 0; k < d; k++) {
        descriptors[o + k] *= inv;
      }
      next = seg.firstToken() + seg.tokenCount();
    }
    if (next != n) {
      throw new IllegalArgumentException("segments cover " + next + " of " + n + " tokens: every token needs one");
    }
    this.startPts = n == 0 ? 0 : start;
    this.endPts = n == 0 ? 0 : end;
  }

  /** The index of a memory snapshot. */
  public static SelectionIndex of(final VideoMemory memory) {
    return new SelectionIndex(memory.tokens(), memory.segments(), memory.patchTokensIn(), memory.texts());
  }

  /**
   * The index of any token block cut into segments (for instance every patch of every frame, one
   * segment per frame: the uncompressed comparison). The tokens must be in time order and the
   * segments must tile them in order; the block is copied.
   */
  public static SelectionIndex of(final TokenBlock tokens, final List<MemorySegment> segments,
      final long patchTokensIn) {
    return of(tokens, segments, patchTokensIn, List.of());
  }

  /** {@link #of(TokenBlock, List, long)} with text tokens (on-screen text) beside the visual ones. */
  public static SelectionIndex of(final TokenBlock tokens, final List<MemorySegment> segments,
      final long patchTokensIn, final List<TextToken> texts) {
    if (!tokens.isTimeOrdered()) {
      throw new IllegalArgumentException("tokens must be in time order");
    }
    return new SelectionIndex(tokens.copy(), segments, patchTokensIn, texts);
  }

  /** The text tokens, by start time. */
  public List<TextToken> texts() {
    return texts;
  }

  /** Lexical matching over the text tokens (same order), each also through its whole screen. */
  public TextMatcher lexical() {
    return lexical;
  }

  public int size() {
    return tokens.size();
  }

  public int dim() {
    return tokens.dim();
  }

  public List<MemorySegment> segments() {
    return segments;
  }

  public long patchTokensIn() {
    return patchTokensIn;
  }

  /** Earliest time any token covers (0 for an empty index). */
  public long startPts() {
    return startPts;
  }

  /** Latest time any token covers (0 for an empty index). */
  public long endPts() {
    return endPts;
  }

  TokenBlock tokens() {
    return tokens;
  }

  float[] embeddings() {
    return emb;
  }

  float invNorm(final int i) {
    return invNorm[i];
  }

  int segmentOf(final int i) {
    return segmentOf[i];
  }

  float[] descriptors() {
    return descriptors;
  }
}
