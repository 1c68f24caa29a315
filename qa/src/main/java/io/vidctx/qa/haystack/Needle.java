package io.vidctx.qa.haystack;

import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One picture to hide in a haystack: shown for {@code durationMicros} starting at {@code depth} of
 * the haystack's duration (0 = before the first haystack frame, 1 = after the last one).
 *
 * <p>The picture is letterboxed into the haystack's frame size when the stream is played; the record
 * does not copy {@code image} (it is handed over and must not change afterwards).
 *
 * @param image the needle picture at any size
 * @param depth where it goes, as a share of the haystack's duration, in [0, 1]
 * @param durationMicros how long it is shown; positive, rounded up to whole frame periods
 * @param label names the needle in {@link NeedleInterval}s and messages; not blank
 */
public record Needle(DecodedImage image, double depth, long durationMicros, String label) {

  public Needle {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(label, "label");
    if (label.isBlank()) {
      throw new IllegalArgumentException("needle label must not be blank");
    }
    if (!(depth >= 0.0 && depth <= 1.0)) {
      throw new IllegalArgumentException("needle '" + label + "': depth must be in [0, 1], was " + depth);
    }
    if (durationMicros <= 0) {
      throw new IllegalArgumentException(
          "needle '" + label + "': duration must be positive, was " + durationMicros + " us");
    }
  }

  /**
   * A needle read from a JPEG or PNG file with {@link ImageCodec}.
   *
   * @throws io.vidctx.ingest.IngestException when the file is missing or not a picture
   */
  public static Needle read(final Path file, final double depth, final long durationMicros, final String label) {
    return new Needle(new ImageCodec().read(file), depth, durationMicros, label);
  }

  /** The same picture, duration and label at another depth (for depth grids). */
  public Needle withDepth(final double newDepth) {
    return new Needle(image, newDepth, durationMicros, label);
  }

  @Override
  public String toString() {
    return "Needle[" + label + " " + image.width() + "x" + image.height() + " @" + depth + " for " + durationMicros
        + "us]";
  }
}
