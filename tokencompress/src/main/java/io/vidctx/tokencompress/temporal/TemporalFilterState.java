package io.vidctx.tokencompress.temporal;

import java.util.Objects;

/**
 * Everything a {@link TemporalFilter} needs to resume a stream exactly where it stopped: O(window
 * × dim) floats at most, so it fits a state-store record. Arrays are owned by the record once built
 * (the filter copies on the way in and out).
 *
 * @param dim the stream's dimension; 0 before the first frame
 * @param lastPtsMicros time of the last accepted frame ({@link Long#MIN_VALUE} before the first)
 * @param accepted frames accepted so far (the next frame's sequence)
 * @param framesKept frames decided as kept so far
 * @param lastKept the last kept frame's unit-length global ({@code float[dim]}), empty before the first
 *     kept frame
 * @param lastKeptSequence that frame's sequence, -1 before the first kept frame
 * @param lastKeptPtsMicros that frame's time
 * @param pendingPts times of the frames still waiting for their window to close (window form)
 * @param pendingGlobals their unit-length globals, flat {@code float[pendingPts.length * dim]}
 */
public record TemporalFilterState(
    int dim, long lastPtsMicros, long accepted, long framesKept, float[] lastKept, long lastKeptSequence,
    long lastKeptPtsMicros, long[] pendingPts, float[] pendingGlobals) {

  public TemporalFilterState {
    Objects.requireNonNull(lastKept, "lastKept");
    Objects.requireNonNull(pendingPts, "pendingPts");
    Objects.requireNonNull(pendingGlobals, "pendingGlobals");
    if (lastKept.length != 0 && lastKept.length != dim) {
      throw new IllegalArgumentException("lastKept holds " + lastKept.length + " values, dim is " + dim);
    }
    if (pendingGlobals.length != pendingPts.length * dim) {
      throw new IllegalArgumentException("pendingGlobals holds " + pendingGlobals.length + " values, "
          + pendingPts.length + " pending frames of dim " + dim + " need " + pendingPts.length * dim);
    }
    if (pendingPts.length > accepted || framesKept > accepted - pendingPts.length || framesKept < 0) {
      throw new IllegalArgumentException("inconsistent counts: accepted " + accepted + ", pending " + pendingPts.length
          + ", kept " + framesKept);
    }
  }
}
