package io.vidctx.encoder.text;

import java.util.Arrays;

/*
 * Open-addressing hash map from non-negative long keys to int values, built once and then only read.
 * The BPE merge table packs a symbol-id pair into one long (first << 32 | second); a boxed
 * HashMap<Long, Integer> would allocate a Long on every probe of the merge loop, this probes two
 * primitive arrays. Linear probing, load factor <= 0.5, capacity a power of two, Fibonacci hashing.
 */
final class LongIntMap {
  private static final long EMPTY = -1L;

  private final long[] keys;
  private final int[] values;
  private final int shift;
  private final int mask;
  private int size;

  /** A map able to hold {@code expected} entries without growing (it never grows). */
  LongIntMap(final int expected) {
    int capacity = 2;
    while (capacity < expected * 2) {
      capacity <<= 1;
    }
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    values = new int[capacity];
    mask = capacity - 1;
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
  }

  /** Inserts or replaces; a later put of the same key wins (as Python's dict over the merge list). */
  void put(final long key, final int value) {
    if (key < 0) {
      throw new IllegalArgumentException("keys must be non-negative, was " + key);
    }
    int i = slot(key);
    while (keys[i] != EMPTY && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (keys[i] == EMPTY) {
      if (size * 2 >= keys.length) {
        throw new IllegalStateException("LongIntMap is full: " + size + " entries");
      }
      size++;
      keys[i] = key;
    }
    values[i] = value;
  }

  /** The value of {@code key}, or {@code missing}. */
  int get(final long key, final int missing) {
    int i = slot(key);
    long k;
    while ((k = keys[i]) != EMPTY) {
      if (k == key) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    return missing;
  }

  int size() {
    return size;
  }

  private int slot(final long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }
}
