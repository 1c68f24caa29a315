package io.vidctx.qa.haystack;

import java.util.Objects;

/**
 * Where a needle ended up in a haystack stream: the times and indices of its first and last frame
 * (both inclusive). Every frame in between is a needle frame, and no other frame is.
 *
 * @param label the needle's label
 * @param startMicros presentation time of its first frame
 * @param endMicros presentation time of its last frame (not the end of its display time)
 * @param firstIndex stream index of its first frame
 * @param lastIndex stream index of its last frame
 */
public record NeedleInterval(String label, long startMicros, long endMicros, long firstIndex, long lastIndex) {

  public NeedleInterval {
    Objects.requireNonNull(label, "label");
    if (firstIndex < 0 || lastIndex < firstIndex || endMicros < startMicros) {
      throw new IllegalArgumentException("needle interval '" + label + "' is empty or reversed: frames " + firstIndex
          + ".." + lastIndex + ", " + startMicros + ".." + endMicros + " us");
    }
  }

  /** How many frames show the needle; at least 1. */
  public long frames() {
    return lastIndex - firstIndex + 1;
  }

  /** Whether the frame with this stream index shows the needle. */
  public boolean containsIndex(final long index) {
    return index >= firstIndex && index <= lastIndex;
  }
}
