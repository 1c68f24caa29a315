package io.vidctx.tokencompress.memory;

/** Where a memory token lives (see {@link TieredMemory}). */
public enum Tier {
  /** The newest units as stage 4 made them, and the unit still being built. */
  RECENT,
  /** Older units kept at full unit resolution, the most mutually distinct ones. */
  DETAIL,
  /** Weighted k-means centroids of everything else, per segment, in time order. */
  SYNOPSIS;

  private static final Tier[] VALUES = values();

  /** The tier with this {@link #ordinal()}. */
  public static Tier of(final int ordinal) {
    if (ordinal < 0 || ordinal >= VALUES.length) {
      throw new IllegalArgumentException("no tier " + ordinal);
    }
    return VALUES[ordinal];
  }
}
