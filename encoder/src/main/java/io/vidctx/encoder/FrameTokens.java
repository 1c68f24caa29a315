package io.vidctx.encoder;

import java.util.Objects;

/**
 * The visual tokens of one frame: a grid of patch embeddings plus one global embedding.
 *
 * @param patches {@code float[gridH * gridW * dim]}, row-major by grid row, then column, then dim
 * @param global {@code float[dim]}: the pooled, CLS or projected embedding that text and image
 *     queries are compared with
 */
public record FrameTokens(
    String streamId, long index, long ptsMicros, int gridH, int gridW, int dim, float[] patches, float[] global) {

  public FrameTokens {
    Objects.requireNonNull(streamId, "streamId");
    if (gridH <= 0 || gridW <= 0 || dim <= 0) {
      throw new IllegalArgumentException("grid and dim must be positive, was " + gridH + "x" + gridW + "x" + dim);
    }
    if (patches.length != gridH * gridW * dim) {
      throw new IllegalArgumentException(
          "patches holds " + patches.length + " floats, a " + gridH + "x" + gridW + "x" + dim + " grid needs "
              + (gridH * gridW * dim));
    }
    if (global.length != dim) {
      throw new IllegalArgumentException("global holds " + global.length + " floats, dim is " + dim);
    }
  }

  public int patchCount() {
    return gridH * gridW;
  }
}
