package io.vidctx.qa.haystack;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One stretch of real footage in a haystack's playlist: a clip played from {@code startMicros} for at
 * most {@code maxFrames} sampled frames (all the rest of the clip when -1).
 *
 * <p>A start offset is how a long haystack loops its clips without repeating frames: sampling at
 * {@code fps} is anchored at the start time, so a pass that starts a fraction of a frame period later
 * samples other frames of the same footage.
 *
 * @param path the video file
 * @param startMicros first presentation time played, {@code >= 0}
 * @param maxFrames most sampled frames taken from it, or -1 for all
 */
public record Clip(Path path, long startMicros, long maxFrames) {

  public Clip {
    Objects.requireNonNull(path, "path");
    if (startMicros < 0) {
      throw new IllegalArgumentException("clip " + path + ": start must be >= 0, was " + startMicros + " us");
    }
    if (maxFrames < -1 || maxFrames == 0) {
      throw new IllegalArgumentException("clip " + path + ": maxFrames must be positive or -1 (all), was " + maxFrames);
    }
  }

  /** The whole clip from its start. */
  public static Clip whole(final Path path) {
    return new Clip(path, 0, -1);
  }

  @Override
  public String toString() {
    final String name = String.valueOf(path.getFileName());
    return name + (startMicros > 0 ? "@" + startMicros / 1000 + "ms" : "") + (maxFrames > 0 ? "[" + maxFrames + "]" : "");
  }
}
