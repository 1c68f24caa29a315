package io.vidctx.plugins.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class FrameTokensSerdeTest {
  private final FrameTokensSerde serde = new FrameTokensSerde();

  static FrameTokens random(final String id, final long index, final int grid, final int dim, final long seed) {
    final SplittableRandom r = new SplittableRandom(seed);
    final float[] p = new float[grid * grid * dim];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) r.nextGaussian();
    }
    final float[] g = new float[dim];
    for (int i = 0; i < dim; i++) {
      g[i] = (float) r.nextGaussian();
    }
    return new FrameTokens(id, index, index * 500_000L, grid, grid, dim, p, g);
  }

  @Test
  void shouldRoundTripAsFloat16WithinHalfPrecisionAndExactlyForRoundedFrames() {
    final FrameTokens f = random("cam-ü", 42, 14, 64, 1);
    final byte[] bytes = serde.serialize("t", f);
    assertEquals(FrameTokensSerde.size("cam-ü", 14, 14, 64), bytes.length);
    assertTrue(bytes.length < 14 * 14 * 64 * 2 + 200, "about 2 bytes per value: " + bytes.length);
    final FrameTokens back = serde.deserialize("t", bytes);
    assertEquals("cam-ü", back.streamId());
    assertEquals(42, back.index());
    assertEquals(21_000_000L, back.ptsMicros());
    for (int i = 0; i < f.patches().length; i++) {
      assertEquals(f.patches()[i], back.patches()[i], Math.abs(f.patches()[i]) * 0x1p-11 + 0x1p-24, "value " + i);
    }
    final FrameTokens rounded = FrameTokensSerde.rounded(f);
    final FrameTokens again = serde.deserialize("t", serde.serialize("t", rounded));
    assertArrayEquals(rounded.patches(), again.patches(), "rounded frames travel exactly");
    assertArrayEquals(rounded.global(), again.global());
  }

  @Test
  void shouldRefuseValuesBeyondTheHalfRangeNamingTheFrame() {
    final FrameTokens f = random("cam", 7, 2, 4, 2);
    f.patches()[3] = 1e6f;
    final SerializationException e = assertThrows(SerializationException.class, () -> serde.serialize("t", f));
    assertTrue(e.getMessage().contains("cam #7") && e.getMessage().contains("1000000"), e.getMessage());
    f.patches()[3] = Float.NaN;
    assertThrows(SerializationException.class, () -> serde.serialize("t", f));
  }

  @Test
  void shouldRefuseCorruptRecordsWithAClearMessage() {
    final byte[] good = serde.serialize("t", random("cam", 1, 3, 8, 3));
    assertTrue(assertThrows(SerializationException.class, () -> serde.deserialize("t", "hello".getBytes()))
        .getMessage().contains("not a vidctx tokens record"));
    assertTrue(assertThrows(SerializationException.class,
        () -> serde.deserialize("t", Arrays.copyOf(good, good.length - 2))).getMessage().contains("corrupt"));
    final byte[] v9 = good.clone();
    v9[4] = 9;
    assertTrue(assertThrows(SerializationException.class, () -> serde.deserialize("t", v9)).getMessage()
        .contains("version 9"));
    assertTrue(assertThrows(SerializationException.class, () -> serde.deserialize("t", Arrays.copyOf(good, 10)))
        .getMessage().contains("truncated"));
  }

  @Test
  void shouldCarryAMemorySnapshotAtHalfTheEmbeddingBytes() {
    final HierarchicalCompressor c = new HierarchicalCompressor(CompressorConfig.DEFAULTS);
    for (int i = 0; i < 40; i++) {
      c.accept(FrameTokensSerde.rounded(random("m", i, 14, 64, 100 + i / 10)));
    }
    final VideoMemory m = c.snapshot();
    final VideoMemorySerde ms = new VideoMemorySerde();
    final byte[] half = ms.serialize("t", m);
    assertTrue(half.length < m.toBytes().length * 0.7, half.length + " vs float32 " + m.toBytes().length);
    final VideoMemory back = ms.deserialize("t", half);
    assertEquals(m.tokenCount(), back.tokenCount());
    assertEquals(m.tokens().totalWeight(), back.tokens().totalWeight());
    assertEquals(m.segments(), back.segments());
    final float[] a = m.tokens().embeddings();
    final float[] b = back.tokens().embeddings();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], Math.abs(a[i]) * 0x1p-11 + 0x1p-24);
    }
    assertThrows(SerializationException.class, () -> ms.deserialize("t", Arrays.copyOf(half, half.length / 2)));
  }
}
