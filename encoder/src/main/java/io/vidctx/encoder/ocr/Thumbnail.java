package io.vidctx.encoder.ocr;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/*
 * 64x36 keeps the 16:9 shape of most video and is small enough to compare in a few microseconds;
 * nearest-pixel sampling at tile centres (no averaging) because a thumbnail is taken of every decoded
 * frame and codec noise averages out in the per-tile means anyway. Stored as rounded bytes so a
 * thumbnail can travel (e.g. in a record or over Kafka) and come back equal.
 */

/**
 * A 64x36 grey thumbnail of a frame: what change detection compares. Immutable; equal by content.
 * Differences are taken over its 48 tiles of 8x6 pixels (8 across, 6 down), each tile's difference
 * being the mean absolute grey difference (0-255) of its pixels.
 */
public final class Thumbnail {
  /** Thumbnail width in pixels. */
  public static final int WIDTH = 64;
  /** Thumbnail height in pixels. */
  public static final int HEIGHT = 36;
  /** Bytes in {@link #toBytes()}: one grey level per pixel, row by row. */
  public static final int SIZE = WIDTH * HEIGHT;

  private static final int TILE_W = 8;
  private static final int TILE_H = 6;
  private static final int TILES = (WIDTH / TILE_W) * (HEIGHT / TILE_H);

  private final byte[] grey;

  private Thumbnail(final byte[] grey) {
    this.grey = grey;
  }

  /**
   * The thumbnail of a packed RGB24 frame: the nearest pixel at each thumbnail pixel's centre, grey =
   * 0.299 R + 0.587 G + 0.114 B, rounded.
   *
   * @throws IllegalArgumentException a size below 1x1, or {@code rgb} shorter than width x height x 3
   */
  public static Thumbnail of(final int width, final int height, final byte[] rgb) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("frame size must be at least 1x1, was " + width + "x" + height);
    }
    if (rgb.length < (long) width * height * 3) {
      throw new IllegalArgumentException("frame of " + rgb.length + " bytes is too short for " + width + "x" + height
          + " RGB24 (" + (long) width * height * 3 + " bytes)");
    }
    final byte[] t = new byte[SIZE];
    for (int ty = 0; ty < HEIGHT; ty++) {
      final int y = Math.min(height - 1, (int) ((ty + 0.5) * height / HEIGHT));
      for (int tx = 0; tx < WIDTH; tx++) {
        final int x = Math.min(width - 1, (int) ((tx + 0.5) * width / WIDTH));
        final int p = (y * width + x) * 3;
        final float g = 0.299f * (rgb[p] & 0xff) + 0.587f * (rgb[p + 1] & 0xff) + 0.114f * (rgb[p + 2] & 0xff);
        t[ty * WIDTH + tx] = (byte) Math.min(255, Math.round(g));
      }
    }
    return new Thumbnail(t);
  }

  /**
   * A thumbnail from {@link #toBytes()}'s form.
   *
   * @throws IllegalArgumentException not exactly {@value #SIZE} bytes
   */
  public static Thumbnail fromBytes(final byte[] grey) {
    if (grey.length != SIZE) {
      throw new IllegalArgumentException("a thumbnail is " + SIZE + " bytes (" + WIDTH + "x" + HEIGHT
          + " grey), got " + grey.length);
    }
    return new Thumbnail(grey.clone());
  }

  /** The grey levels, row by row, one unsigned byte each (a copy). */
  public byte[] toBytes() {
    return grey.clone();
  }

  /** The largest and the mean of the per-tile differences between two thumbnails. */
  public record Difference(double max, double mean) {}

  /** The tile differences to {@code other}, in one pass. */
  public Difference difference(final Thumbnail other) {
    double max = 0;
    double sum = 0;
    for (int ty = 0; ty < HEIGHT; ty += TILE_H) {
      for (int tx = 0; tx < WIDTH; tx += TILE_W) {
        int tile = 0;
        for (int y = ty; y < ty + TILE_H; y++) {
          for (int x = tx; x < tx + TILE_W; x++) {
            tile += Math.abs((grey[y * WIDTH + x] & 0xff) - (other.grey[y * WIDTH + x] & 0xff));
          }
        }
        final double d = (double) tile / (TILE_W * TILE_H);
        max = Math.max(max, d);
        sum += d;
      }
    }
    return new Difference(max, sum / TILES);
  }

  /** The largest tile difference to {@code other}: high when part of the picture changed. */
  public double maxTileDifference(final Thumbnail other) {
    return difference(other).max();
  }

  /** The mean of the tile differences to {@code other}: high when the whole picture changed. */
  public double meanTileDifference(final Thumbnail other) {
    return difference(other).mean();
  }

  @Override
  public boolean equals(final @Nullable Object o) {
    return o instanceof Thumbnail t && Arrays.equals(grey, t.grey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(grey);
  }

  @Override
  public String toString() {
    return "Thumbnail[" + WIDTH + "x" + HEIGHT + ", hash " + Integer.toHexString(hashCode()) + "]";
  }
}
