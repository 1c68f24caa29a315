package io.vidctx.qa;

import org.jspecify.annotations.Nullable;

/**
 * A frame that holds much of a context's selected weight: what an image-based model is shown.
 *
 * @param ptsMicros its presentation time
 * @param share its share of the context's keyframe score, in (0, 1]
 * @param similarity cosine of its best selected token to the query (NaN for a coverage-only context)
 * @param jpeg the frame as JPEG, or null until a {@code KeyframeGrabber} has fetched it
 */
public record Keyframe(long ptsMicros, double share, float similarity, byte @Nullable [] jpeg) {

  public Keyframe withJpeg(final byte[] bytes) {
    return new Keyframe(ptsMicros, share, similarity, bytes);
  }

  public boolean hasImage() {
    return jpeg != null;
  }
}
