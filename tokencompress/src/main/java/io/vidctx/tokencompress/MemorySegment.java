package io.vidctx.tokencompress;

/**
 * One segment of a {@link VideoMemory}: a scene of the stream, or a run of adjacent scenes the
 * memory coalesced to stay within its segment limit. Its tokens are {@code [firstToken, firstToken +
 * tokenCount)} of the memory's token block, in time order, and there is at least one.
 *
 * @param firstSegment the first scene (0-based, the compressor's numbering) it holds
 * @param lastSegment the last scene it holds ({@code == firstSegment} unless coalesced)
 * @param startPts earliest time any of its tokens covers (us)
 * @param endPts latest time any of its tokens covers (us)
 * @param firstToken index of its first token in the memory
 * @param tokenCount its tokens, at least 1
 * @param weight original patch tokens it stands for (the sum of its tokens' weights)
 */
public record MemorySegment(long firstSegment, long lastSegment, long startPts, long endPts, int firstToken,
    int tokenCount, long weight) {

  public MemorySegment {
    if (lastSegment < firstSegment || endPts < startPts || firstToken < 0 || tokenCount < 1 || weight < tokenCount) {
      throw new IllegalArgumentException("inconsistent memory segment: scenes " + firstSegment + ".." + lastSegment
          + ", span [" + startPts + ", " + endPts + "] us, tokens " + firstToken + "+" + tokenCount + ", weight "
          + weight);
    }
  }
}
