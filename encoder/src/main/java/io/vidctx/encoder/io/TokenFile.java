package io.vidctx.encoder.io;

import java.nio.charset.StandardCharsets;

/**
 * The token file format, version 1: a fixed-size record per frame after a small header, all
 * little-endian, so a reader can seek to frame {@code i} or map the whole file (numpy: a structured
 * dtype over {@code np.memmap}).
 *
 * <pre>
 * offset  size  field
 *      0     8  magic "VIDCTXTK" (ASCII)
 *      8     4  u32 version = 1
 *     12     4  u32 headerBytes: where frame 0 starts (a multiple of 16)
 *     16     4  u32 gridH
 *     20     4  u32 gridW
 *     24     4  u32 dim
 *     28     4  u32 flags = 0 (reserved)
 *     32     8  i64 frameCount; -1 while a writer is still running (an unfinished file)
 *     40     2  u16 length of the model name, then its UTF-8 bytes
 *      …     2  u16 length of the stream id, then its UTF-8 bytes
 *      …        zero padding up to headerBytes
 * headerBytes   frameCount records of recordBytes = 16 + 4 * dim * (1 + gridH * gridW):
 *               i64 index, i64 ptsMicros, f32[dim] global, f32[gridH * gridW * dim] patches
 *               (row-major: grid row, grid column, dim; as in FrameTokens)
 * </pre>
 *
 * The file length is exactly {@code headerBytes + frameCount * recordBytes}; readers check it.
 */
public final class TokenFile {
  /** The eight magic bytes. */
  public static final byte[] MAGIC = "VIDCTXTK".getBytes(StandardCharsets.US_ASCII);
  /** The version this code writes and reads. */
  public static final int VERSION = 1;
  /** The conventional file extension. */
  public static final String EXTENSION = ".vtok";

  static final int FIXED_HEADER = 40;
  static final int ALIGN = 16;

  private TokenFile() {}

  /**
   * What the header says.
   *
   * @param model name of the model that made the tokens
   * @param streamId stream id of every frame in the file
   * @param frameCount frames in the file (-1 only while being written)
   */
  public record Header(String model, String streamId, int gridH, int gridW, int dim, long frameCount) {
    public Header {
      if (gridH <= 0 || gridW <= 0 || dim <= 0) {
        throw new IllegalArgumentException("grid and dim must be positive, was " + gridH + "x" + gridW + "x" + dim);
      }
      if (model.getBytes(StandardCharsets.UTF_8).length > 0xFFFF || streamId.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
        throw new IllegalArgumentException("model name and stream id must be shorter than 64 KiB");
      }
    }

    /** Bytes of one frame record. */
    public long recordBytes() {
      return 16L + 4L * dim * (1L + (long) gridH * gridW);
    }

    /** Bytes of the header, padding included. */
    public int headerBytes() {
      final int raw = FIXED_HEADER + 2 + model.getBytes(StandardCharsets.UTF_8).length
          + 2 + streamId.getBytes(StandardCharsets.UTF_8).length;
      return (raw + ALIGN - 1) / ALIGN * ALIGN;
    }

    public Header withFrameCount(final long n) {
      return new Header(model, streamId, gridH, gridW, dim, n);
    }
  }
}
