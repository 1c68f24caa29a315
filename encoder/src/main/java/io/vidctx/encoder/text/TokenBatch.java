package io.vidctx.encoder.text;

import java.util.Arrays;

/**
 * Token ids of {@code count} texts, each in {@code contextLength} slots, row-major in one flat array,
 * with the attention mask (1 up to and including EOT, 0 on padding).
 *
 * @param count texts in the batch
 * @param contextLength slots per text
 * @param ids {@code int[count * contextLength]}
 * @param mask {@code int[count * contextLength]}
 */
public record TokenBatch(int count, int contextLength, int[] ids, int[] mask) {

  public TokenBatch {
    if (ids.length != count * contextLength || mask.length != ids.length) {
      throw new IllegalArgumentException("a " + count + "x" + contextLength + " batch needs " + count * contextLength
          + " ids and mask values, got " + ids.length + " and " + mask.length);
    }
  }

  /** The ids widened to int64. */
  public long[] idsAsLongs() {
    return widen(ids);
  }

  /** The mask widened to int64. */
  public long[] maskAsLongs() {
    return widen(mask);
  }

  /** The ids of text {@code i} (a copy). */
  public int[] row(final int i) {
    return Arrays.copyOfRange(ids, i * contextLength, (i + 1) * contextLength);
  }

  private static long[] widen(final int[] v) {
    final long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
