package io.vidctx.plugins.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.plugins.serde.FrameTokensSerde;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
  private KeyValueStore<String, byte[]> kv;

  @BeforeEach
  void open() {
    kv = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("m"), Serdes.String(), Serdes.ByteArray())
        .withLoggingDisabled().withCachingDisabled().build();
    final MockProcessorContext<String, MemoryUpdate> context = new MockProcessorContext<>();
    kv.init(context.getStateStoreContext(), kv);
  }

  private static FrameTokens frame(final String id, final int i) {
    // A scene per ten frames: a direction per scene plus noise.
    final SplittableRandom scene = new SplittableRandom(1000 + i / 10);
    final SplittableRandom noise = new SplittableRandom(i);
    final int dim = 64;
    final float[] base = new float[dim];
    for (int k = 0; k < dim; k++) {
      base[k] = (float) scene.nextGaussian();
    }
    final float[] p = new float[14 * 14 * dim];
    for (int j = 0; j < p.length; j++) {
      p[j] = base[j % dim] + 0.3f * (float) noise.nextGaussian();
    }
    return FrameTokensSerde.rounded(new FrameTokens(id, i, i * 500_000L, 14, 14, dim, p, base.clone()));
  }

  private static byte[] state(final HierarchicalCompressor c) throws IOException {
    final ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      c.writeState(out);
    }
    return b.toByteArray();
  }

  @Test
  void append_loadGivesTheWritersCompressorAfterEveryFrame() throws IOException {
    final MemoryStore store = new MemoryStore(kv, CompressorConfig.DEFAULTS, 5);
    final HierarchicalCompressor live = new HierarchicalCompressor(CompressorConfig.DEFAULTS);
    assertNull(store.header("s"));
    MemoryStore.Header h = MemoryStore.Header.EMPTY;
    for (int i = 0; i < 40; i++) {
      final FrameTokens f = frame("s", i);
      live.accept(f);
      h = store.append("s", h, f, live);
      assertEquals(i + 1, h.framesApplied());
      assertEquals(h, store.header("s"));
      assertArrayEquals(state(live), state(store.load("s", h)), "restored + replayed after frame " + i);
      assertEquals(h.framesApplied() - h.checkpointAt(), storedFrames("s"), "frames kept only since the checkpoint");
    }
    assertEquals(40, h.checkpointAt(), "the 40th frame wrote a checkpoint");
    assertArrayEquals(live.snapshot().toBytes(), store.snapshot("s").orElseThrow().toBytes());
    assertTrue(store.snapshot("other").isEmpty());
  }

  @Test
  void append_splitsBigCheckpointsIntoChunksAndDropsStaleOnes() {
    // 16 KB chunks here (256 KB in use) so a short synthetic stream needs several, and fewer later.
    final int chunk = 16 * 1024;
    final MemoryStore store = new MemoryStore(kv, CompressorConfig.DEFAULTS, 1, chunk);
    final HierarchicalCompressor live = new HierarchicalCompressor(CompressorConfig.DEFAULTS);
    MemoryStore.Header h = MemoryStore.Header.EMPTY;
    int most = 0;
    for (int i = 0; i < 40; i++) {
      live.accept(frame("s", i));
      h = store.append("s", h, frame("s", i), live);
      most = Math.max(most, h.chunks());
      for (int c = 0; c < h.chunks(); c++) {
        assertTrue(kv.get(MemoryStore.chunkKey("s", c)).length <= chunk);
      }
      assertNull(kv.get(MemoryStore.chunkKey("s", h.chunks())), "no chunk beyond the count");
    }
    assertTrue(most > 1, "the state outgrew one chunk: " + most);
    assertArrayEquals(live.snapshot().toBytes(), store.snapshot("s").orElseThrow().toBytes(), "chunks reassemble");
  }

  @Test
  void load_reportsAMissingPieceAndRefusesAForeignHeader() {
    final MemoryStore store = new MemoryStore(kv, CompressorConfig.DEFAULTS, 100);
    final HierarchicalCompressor live = new HierarchicalCompressor(CompressorConfig.DEFAULTS);
    MemoryStore.Header h = MemoryStore.Header.EMPTY;
    for (int i = 0; i < 3; i++) {
      live.accept(frame("s", i));
      h = store.append("s", h, frame("s", i), live);
    }
    kv.delete(MemoryStore.frameKey("s", 1));
    final MemoryStore.Header at = h;
    final IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.load("s", at));
    assertTrue(e.getMessage().contains("frame 1 is missing"), e.getMessage());
    kv.put("t", new byte[] {1, 2, 3});
    assertThrows(IllegalStateException.class, () -> store.header("t"));
    assertThrows(IllegalArgumentException.class, () -> store.header("a\u0000b"));
    assertNotNull(store.header("s"));
  }

  private long storedFrames(final String id) {
    long n = 0;
    try (KeyValueIterator<String, byte[]> it = kv.all()) {
      while (it.hasNext()) {
        if (it.next().key.startsWith(id + "\u0000f")) {
          n++;
        }
      }
    }
    return n;
  }
}
