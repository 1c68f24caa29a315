package io.vidctx.tokencompress.select;

/**
 * How one memory segment fared in a selection.
 *
 * @param segment index of the segment in the memory's segment list
 * @param startPts earliest time its tokens cover (us)
 * @param endPts latest time its tokens cover (us)
 * @param memoryTokens its tokens in the memory
 * @param candidates its tokens inside the query's time range
 * @param selected its tokens in the selection
 * @param weight original patch tokens it stands for
 * @param descriptorSimilarity cosine of its weighted-mean embedding to the closest query vector (NaN
 *     for a coverage-only selection or a segment outside the range)
 * @param bestSimilarity cosine of its best-matching token to the closest query vector (NaN when its
 *     tokens were not scored one by one)
 */
public record SegmentScore(int segment, long startPts, long endPts, int memoryTokens, int candidates, int selected,
    long weight, float descriptorSimilarity, float bestSimilarity) {}
