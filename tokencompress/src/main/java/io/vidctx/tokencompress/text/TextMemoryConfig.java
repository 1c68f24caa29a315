package io.vidctx.tokencompress.text;

/**
 * Settings of a stream's {@link TextMemory}.
 *
 * @param capacity the most text tokens the memory holds (2,048: an hour of lecture slides or
 *     credits reads a few hundred distinct lines, and a token costs about 100 bytes)
 * @param mergeGapMicros the same text read again within this gap after a token's end extends that
 *     token instead of starting another (2 s: OCR runs sparsely, and a title that flickers out for a
 *     frame is one appearance)
 */
public record TextMemoryConfig(int capacity, long mergeGapMicros) {

  public static final TextMemoryConfig DEFAULTS = new TextMemoryConfig(2048, 2_000_000L);

  public TextMemoryConfig {
    if (capacity < 1) {
      throw new IllegalArgumentException("text memory capacity must be >= 1 token, was " + capacity);
    }
    if (mergeGapMicros < 0) {
      throw new IllegalArgumentException("text merge gap must be >= 0 us, was " + mergeGapMicros);
    }
  }
}
