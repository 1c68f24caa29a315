package io.vidctx.tokencompress.segment;

/**
 * What the segmenter has done so far.
 *
 * @param framesIn frames accepted (rejected frames are not counted)
 * @param segments segments opened, the current one included; 0 only before the first frame
 * @param nanos time spent inside {@code offer}
 */
public record SegmentStats(long framesIn, long segments, long nanos) {

  /** Mean frames per segment; 0 before the first frame. */
  public double framesPerSegment() {
    return segments == 0 ? 0 : (double) framesIn / segments;
  }
}
