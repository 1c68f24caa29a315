package io.vidctx.encoder.ocr;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/*
 * Why cuts, changes and a gap: a scene cut is where the compressor's segmenter opens a segment, so cuts
 * are the anchor frames and are read at once; the text of a new shot belongs to that segment. Within a
 * shot, text that appears or changes (a caption, a title fading in) changes a few thumbnail tiles a lot
 * and is caught by the largest tile difference, but is read at most once every minGap: moving footage
 * (a pan, a dragon flying) changes every tile a little each second, which without the gap would mean OCR
 * on every frame. A change is compared with the last frame read, not with the previous frame, so a
 * change seen inside the gap stays pending until the first frame past the gap that still differs; text
 * that came and went inside the gap is missed, the price of reading sparsely.
 */

/**
 * Decides which frames of a stream OCR reads, so OCR runs sparsely: the first frame, every scene cut,
 * and within a shot a changed frame at most once every {@link Config#minGapMicros}. Not thread-safe:
 * one per stream, fed frames in time order.
 */
public final class OcrSchedule {

  /**
   * When a frame is due. Differences are {@link Thumbnail} tile differences (mean absolute grey level
   * 0-255 of an 8x6 tile) to the last frame read.
   *
   * @param changeThreshold a frame whose largest tile difference exceeds this changed (text appeared or
   *     changed somewhere) and is due once {@code minGapMicros} passed since the last frame read
   * @param cutThreshold a frame whose mean tile difference reaches this is a scene cut, due at once;
   *     0 makes every frame a cut, so every frame is due
   * @param minGapMicros the least time between two changed (not cut) frames read; 0 reads every changed
   *     frame
   */
  public record Config(double changeThreshold, double cutThreshold, long minGapMicros) {
    /** Read a changed frame at most every 2 s; a cut (mean tile difference >= 24) at once. */
    public static final Config DEFAULTS = new Config(4, 24, 2_000_000L);

    /**
     * Every frame is due: a cut threshold of 0 makes every frame a cut (any mean difference is >= 0);
     * the change threshold and gap are 0 too, so nothing waits.
     */
    public static final Config EVERY_FRAME = new Config(0, 0, 0);

    public Config {
      if (!(changeThreshold >= 0) || Double.isInfinite(changeThreshold)) {
        throw new IllegalArgumentException("changeThreshold must be a grey level >= 0 (0-255), was " + changeThreshold);
      }
      if (!(cutThreshold >= 0) || Double.isInfinite(cutThreshold)) {
        throw new IllegalArgumentException("cutThreshold must be a grey level >= 0 (0-255; 0 reads every frame), was "
            + cutThreshold);
      }
      if (minGapMicros < 0) {
        throw new IllegalArgumentException("minGapMicros must be >= 0 (0 reads every changed frame), was "
            + minGapMicros);
      }
    }
  }

  private final Config config;
  private @Nullable Thumbnail reference;
  private long referencePts;
  private long frames;
  private long read;

  public OcrSchedule(final Config config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Whether OCR should read the frame at {@code ptsMicros} with thumbnail {@code t}. The first frame is
   * due; after it a cut is due at once and a changed frame once the gap since the last frame read has
   * passed. A due frame becomes the reference later frames are compared with.
   */
  public boolean due(final long ptsMicros, final Thumbnail t) {
    frames++;
    final boolean due;
    if (reference == null) {
      due = true;
    } else {
      final Thumbnail.Difference d = t.difference(reference);
      due = d.mean() >= config.cutThreshold()
          || d.max() > config.changeThreshold() && ptsMicros - referencePts >= config.minGapMicros();
    }
    if (due) {
      reference = t;
      referencePts = ptsMicros;
      read++;
    }
    return due;
  }

  /** Frames seen by {@link #due} so far. */
  public long frames() {
    return frames;
  }

  /** Frames {@link #due} answered true for so far. */
  public long read() {
    return read;
  }
}
