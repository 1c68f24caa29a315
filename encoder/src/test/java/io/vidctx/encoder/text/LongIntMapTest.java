package io.vidctx.encoder.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongIntMapTest {

  @Test
  void get_matchesAHashMapOnPackedPairs() {
    final Random r = new Random(3);
    final LongIntMap map = new LongIntMap(5000);
    final Map<Long, Integer> reference = new HashMap<>();
    for (int i = 0; i < 5000; i++) {
      final long key = ((long) r.nextInt(50_000) << 32) | r.nextInt(50_000);
      map.put(key, i);
      reference.put(key, i);
    }
    assertEquals(reference.size(), map.size());
    reference.forEach((k, v) -> assertEquals(v.intValue(), map.get(k, -1), "key " + k));
    for (int i = 0; i < 1000; i++) {
      final long absent = ((long) (60_000 + i) << 32) | i;
      assertEquals(-1, map.get(absent, -1));
    }
  }

  @Test
  void put_sameKeyTwice_laterValueWins() {
    final LongIntMap map = new LongIntMap(4);
    map.put(7L << 32 | 9, 1);
    map.put(7L << 32 | 9, 2);
    assertEquals(1, map.size());
    assertEquals(2, map.get(7L << 32 | 9, -1));
  }

  @Test
  void put_negativeKeyOrBeyondCapacity_isRefused() {
    final LongIntMap map = new LongIntMap(2);
    assertThrows(IllegalArgumentException.class, () -> map.put(-5, 1));
    map.put(1, 1);
    map.put(2, 2);
    assertThrows(IllegalStateException.class, () -> map.put(3, 3));
  }
}
