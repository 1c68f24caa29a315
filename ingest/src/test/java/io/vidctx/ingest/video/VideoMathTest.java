package io.vidctx.ingest.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VideoMathTest {

  @Test
  void toMicros_commonTimeBases_roundToNearest() {
    assertEquals(33_367, VideoFileSource.toMicros(1001, 1, 30000));
    assertEquals(41_667, VideoFileSource.toMicros(1, 1, 24));
    assertEquals(540_000, VideoFileSource.toMicros(48_600, 1, 90_000));
    assertEquals(-40_000, VideoFileSource.toMicros(-1, 1, 25));
  }

  @Test
  void toMicros_hugeTicks_doNotOverflow() {
    // 2^50 ticks of 1/90000 s: ticks * 1e6 overflows a long, the result (about 1.25e16) does not.
    final long ticks = 1L << 50;
    final long exact = java.math.BigInteger.valueOf(ticks).multiply(java.math.BigInteger.valueOf(1_000_000))
        .add(java.math.BigInteger.valueOf(45_000)).divide(java.math.BigInteger.valueOf(90_000)).longValueExact();
    assertEquals(exact, VideoFileSource.toMicros(ticks, 1, 90_000));
  }

  @Test
  void parseClock_matroskaDurationTag_isMicroseconds() {
    assertEquals(29_960_000, VideoFileSource.parseClock("00:00:29.960000000"));
    assertEquals(3_723_500_000L, VideoFileSource.parseClock("01:02:03.5"));
    assertEquals(-1, VideoFileSource.parseClock("soon"));
    assertEquals(-1, VideoFileSource.parseClock("00:xx:01"));
  }

  @Test
  void outputSize_bothGiven_usesThem() {
    assertArrayEquals(new int[] {224, 224}, VideoFileSource.outputSize(224, 224, 1280, 720));
  }

  @Test
  void outputSize_oneGiven_keepsAspectRatio() {
    assertArrayEquals(new int[] {320, 180}, VideoFileSource.outputSize(320, 0, 1280, 720));
    assertArrayEquals(new int[] {288, 216}, VideoFileSource.outputSize(0, 216, 768, 576));
    assertArrayEquals(new int[] {1, 1}, VideoFileSource.outputSize(0, 1, 214, 160));
  }

  @Test
  void outputSize_noneGiven_keepsSource() {
    assertArrayEquals(new int[] {214, 160}, VideoFileSource.outputSize(0, 0, 214, 160));
  }
}
