package io.vidctx.qa.eval;

import io.vidctx.tokencompress.select.TimeRange;
import java.util.Objects;

/**
 * Where a needle sits in an item's video, and how to put it there: the needle picture is inserted as
 * real frames into the haystack at {@code depth} for {@code durationMicros} (see
 * {@code io.vidctx.qa.haystack.HaystackSource}), so it lands exactly on [{@code startMicros},
 * {@code endMicros}] (the first and last needle frame's times, both inclusive).
 *
 * @param label the needle's name (a photo's file stem, or the card's text id); not blank
 * @param kind what the needle shows
 * @param image the picture to insert (path, resolved against the manifest's folder)
 * @param depth share of the haystack's duration in front of the needle, in [0, 1]
 * @param durationMicros how long it is shown; positive
 * @param startMicros time of the first needle frame in the item's video
 * @param endMicros time of the last needle frame, {@code >= startMicros}
 * @param haystackMicros the haystack's duration without the needle (the grid's "length")
 */
public record NeedleTruth(String label, Kind kind, String image, double depth, long durationMicros, long startMicros,
    long endMicros, long haystackMicros) {

  /** What a needle shows. */
  public enum Kind {
    /** A real photo: found by an example picture (image query). */
    PHOTO,
    /** A rendered card with text on it: the question asks about the text. */
    TEXT
  }

  public NeedleTruth {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(image, "image");
    if (label.isBlank()) {
      throw new IllegalArgumentException("needle label must not be blank");
    }
    if (!(depth >= 0 && depth <= 1)) {
      throw new IllegalArgumentException("needle '" + label + "': depth must be in [0, 1], was " + depth);
    }
    if (durationMicros <= 0) {
      throw new IllegalArgumentException("needle '" + label + "': duration must be positive, was "
          + TimeRange.format(durationMicros));
    }
    if (startMicros < 0 || endMicros < startMicros) {
      throw new IllegalArgumentException("needle '" + label + "': interval " + TimeRange.format(startMicros) + "-"
          + TimeRange.format(endMicros) + " is empty or reversed");
    }
    if (haystackMicros < 0) {
      throw new IllegalArgumentException("needle '" + label + "': haystack duration must be >= 0");
    }
  }

  /** Whether {@code micros} lies in the needle's interval. */
  public boolean contains(final long micros) {
    return micros >= startMicros && micros <= endMicros;
  }

  /** Whether the closed span [{@code start}, {@code end}] touches the needle's interval. */
  public boolean overlaps(final long start, final long end) {
    return start <= endMicros && end >= startMicros;
  }
}
