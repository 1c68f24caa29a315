package io.vidctx.tokencompress.segment;

import java.util.Objects;

/**
 * Everything a {@link SceneSegmenter} needs to resume a stream: two D-vectors and a few numbers.
 *
 * @param dim the stream's dimension; 0 before the first frame
 * @param lastPtsMicros time of the last accepted frame ({@link Long#MIN_VALUE} before the first)
 * @param accepted frames accepted so far
 * @param segments segments opened so far
 * @param segmentStartPtsMicros time of the current segment's first frame
 * @param centroidSum sum of the current segment's unit-length globals ({@code double[dim]}; empty
 *     before the first frame); the centroid is this sum normalised
 * @param centroidCount frames in the current segment (the centroid's weight)
 * @param previous the previous frame's unit-length global ({@code float[dim]}; empty before the first)
 */
public record SceneSegmenterState(
    int dim, long lastPtsMicros, long accepted, long segments, long segmentStartPtsMicros, double[] centroidSum,
    long centroidCount, float[] previous) {

  public SceneSegmenterState {
    Objects.requireNonNull(centroidSum, "centroidSum");
    Objects.requireNonNull(previous, "previous");
    final int expected = accepted == 0 ? 0 : dim;
    if (centroidSum.length != expected || previous.length != expected) {
      throw new IllegalArgumentException("centroidSum and previous must hold " + expected + " values, hold "
          + centroidSum.length + " and " + previous.length);
    }
    if (segments < 0 || segments > accepted || (accepted > 0 && (segments == 0 || centroidCount < 1))) {
      throw new IllegalArgumentException("inconsistent counts: accepted " + accepted + ", segments " + segments
          + ", centroid weight " + centroidCount);
    }
  }
}
