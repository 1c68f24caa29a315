package io.vidctx.tokencompress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.tokencompress.memory.MemoryConfig;
import io.vidctx.tokencompress.memory.Tier;
import io.vidctx.tokencompress.temporal.TemporalFilterConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stages 1-5 on synthetic streams: exact provenance, the budget, determinism, exact resume, bad input. */
class HierarchicalCompressorTest {
  private static final int PATCHES = 36;
  /** Small tiers so a few hundred frames fill the memory: 2 x 128-token units + 264 >= the minimum. */
  private static final MemoryConfig SMALL = new MemoryConfig(true, 600, 1, 2, 8, 16, 10, 0.5f);
  private static final CompressorConfig TIGHT = CompressorConfig.DEFAULTS.withMemory(SMALL);

  @Test
  void shouldAccountForEveryPatchTokenUnderTheBudget() {
    final List<FrameTokens> frames = StreamingCompressorTest.stream(3, 1200, 12);
    final HierarchicalCompressor c = new HierarchicalCompressor(TIGHT);
    int peak = 0;
    for (int i = 0; i < frames.size(); i++) {
      c.accept(frames.get(i));
      peak = Math.max(peak, c.memoryTokens());
      if (i % 97 == 0) {
        final VideoMemory m = c.snapshot();
        assertTrue(m.tokenCount() <= SMALL.tokenBudget(), "snapshot of " + m.tokenCount() + " tokens at frame " + i);
        checkMemory(m);
      }
    }
    c.flush();
    final VideoMemory m = c.snapshot();
    checkMemory(m);
    assertTrue(peak <= SMALL.tokenBudget() - 128, "tiers peaked at " + peak);
    assertTrue(m.tokenCount() <= SMALL.tokenBudget());
    assertEquals(1200L * PATCHES, m.patchTokensIn(), "weights add up to every original patch token");
    assertEquals(0, m.framesPending());
    final TokenBlock tokens = m.tokens();
    for (final FrameTokens f : frames) {
      assertTrue(covers(tokens, f.ptsMicros()), "frame at " + f.ptsMicros() + " us lies in some token's span");
    }
    // 100 scenes, 8 segments at most: the rest were coalesced, and every segment kept a token.
    assertTrue(m.segments().size() <= SMALL.maxSegments() + SMALL.recentUnits() + 1, m.segments().toString());
    assertTrue(m.memoryStats().coalesced() > 0);
    assertTrue(m.memoryStats().detailEvictions() > 0);
    assertEquals(List.of("filter", "segment", "spatial", "merge", "memory", "total"),
        m.stats().stream().map(StageStats::stage).toList());
    final StageStats total = m.stats().get(5);
    assertEquals(1200L * PATCHES, total.tokensIn());
    assertEquals(m.memoryStats().tokens(), total.tokensOut());
    assertTrue(total.reduction() > 0.98, "reduction " + total.reduction());
  }

  @Test
  void shouldKeepEveryTierAndEverySegmentWithoutPressure() {
    final List<FrameTokens> frames = StreamingCompressorTest.stream(4, 400, 40);
    final VideoMemory m = HierarchicalCompressor.compressAll(frames, CompressorConfig.DEFAULTS);
    checkMemory(m);
    assertEquals(400L * PATCHES, m.patchTokensIn());
    // Ten scenes, far below the segment limit: one memory segment per scene, in order.
    assertEquals(10, m.segments().size());
    for (int s = 0; s < 10; s++) {
      assertEquals(s, m.segments().get(s).firstSegment());
      assertEquals(s, m.segments().get(s).lastSegment());
      assertTrue(m.segments().get(s).startPts() >= s * 20_000_000L - 500_000L);
    }
    boolean recent = false;
    boolean detail = false;
    for (int i = 0; i < m.tokenCount(); i++) {
      recent |= m.tier(i) == Tier.RECENT;
      detail |= m.tier(i) == Tier.DETAIL;
    }
    assertTrue(recent && detail, "both full-resolution tiers hold tokens");
  }

  @Test
  void shouldKeepADistinctSceneAmongRepeatsAtFullResolution() {
    // 60 scenes cycling through three pictures, and one picture seen once in the middle: the
    // redundancy rule keeps that unit in the detail tier while repeats are evicted into the synopsis.
    final List<FrameTokens> base = StreamingCompressorTest.stream(5, 3 * 12, 12);
    final List<FrameTokens> needle = StreamingCompressorTest.stream(6, 12, 12);
    // Room for the needle and the three repeated pictures in the detail tier.
    final HierarchicalCompressor c =
        new HierarchicalCompressor(TIGHT.withMemory(new MemoryConfig(true, 900, 1, 4, 8, 16, 10, 0.5f)));
    long index = 0;
    long needleStart = 0;
    for (int scene = 0; scene < 60; scene++) {
      final List<FrameTokens> src = scene == 30 ? needle : base.subList((scene % 3) * 12, (scene % 3) * 12 + 12);
      if (scene == 30) {
        needleStart = index * 500_000L;
      }
      for (final FrameTokens f : src) {
        c.accept(new FrameTokens("s", index, index * 500_000L, f.gridH(), f.gridW(), f.dim(), f.patches(), f.global()));
        index++;
      }
    }
    c.flush();
    final VideoMemory m = c.snapshot();
    checkMemory(m);
    final long needleEnd = needleStart + 11 * 500_000L;
    int detailNeedle = 0;
    final TokenBlock t = m.tokens();
    for (int i = 0; i < m.tokenCount(); i++) {
      if (m.tier(i) == Tier.DETAIL && t.startPts(i) >= needleStart && t.endPts(i) <= needleEnd) {
        detailNeedle++;
      }
    }
    assertTrue(detailNeedle > 0, "the one distinct scene keeps full-resolution tokens");
    assertTrue(m.memoryStats().detailEvictions() > 20, "repeats were evicted: " + m.memoryStats());
  }

  @Test
  void shouldGiveByteIdenticalMemoriesForTheSameInput() {
    final List<FrameTokens> frames = StreamingCompressorTest.stream(7, 600, 15);
    final byte[] a = HierarchicalCompressor.compressAll(frames, TIGHT).toBytes();
    final byte[] b = HierarchicalCompressor.compressAll(frames, TIGHT).toBytes();
    assertArrayEquals(a, b);
  }

  @Test
  void shouldResumeFromSerialisedStateExactly() throws IOException {
    for (final CompressorConfig config : List.of(TIGHT, TIGHT.withFilter(TemporalFilterConfig.WINDOW_DEFAULTS))) {
      final List<FrameTokens> frames = StreamingCompressorTest.stream(8, 700, 17);
      final byte[] uninterrupted = HierarchicalCompressor.compressAll(frames, config).toBytes();
      for (final int cut : new int[] {0, 1, 5, 333, 699}) {
        final HierarchicalCompressor first = new HierarchicalCompressor(config);
        frames.subList(0, cut).forEach(first::accept);
        final byte[] state = state(first);
        final byte[] snapshotBefore = first.snapshot().toBytes();
        final HierarchicalCompressor resumed =
            HierarchicalCompressor.restore(config, new DataInputStream(new ByteArrayInputStream(state)));
        assertArrayEquals(snapshotBefore, resumed.snapshot().toBytes(), "same snapshot right after restore, cut " + cut);
        assertArrayEquals(state, state(resumed), "state round-trips byte for byte, cut " + cut);
        frames.subList(cut, frames.size()).forEach(resumed::accept);
        resumed.flush();
        assertArrayEquals(uninterrupted, resumed.snapshot().toBytes(), "resumed at frame " + cut + ", " + config.filter());
      }
    }
  }

  @Test
  void shouldReadBackASnapshot() throws IOException {
    final VideoMemory m = HierarchicalCompressor.compressAll(StreamingCompressorTest.stream(9, 300, 30), TIGHT);
    final VideoMemory back = VideoMemory.readFrom(new DataInputStream(new ByteArrayInputStream(m.toBytes())));
    assertEquals(m, back);
    assertEquals(m.segments(), back.segments());
    assertEquals(m.patchTokensIn(), back.patchTokensIn());
    final byte[] cut = Arrays.copyOf(m.toBytes(), m.toBytes().length / 2);
    assertThrows(IOException.class, () -> VideoMemory.readFrom(new DataInputStream(new ByteArrayInputStream(cut))));
  }

  @Test
  void shouldRefuseBadInputAndBadState() throws IOException {
    final HierarchicalCompressor c = new HierarchicalCompressor(TIGHT);
    final List<FrameTokens> frames = StreamingCompressorTest.stream(10, 40, 20);
    frames.subList(0, 20).forEach(c::accept);
    final byte[] before = c.snapshot().toBytes();
    final FrameTokens f = frames.get(20);
    final IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> c.accept(new FrameTokens("other", 20, f.ptsMicros(), f.gridH(), f.gridW(), f.dim(), f.patches(), f.global())));
    assertTrue(other.getMessage().contains("one compressor per stream"), other.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.accept(frames.get(3)), "a time already seen");
    assertArrayEquals(before, c.snapshot().toBytes(), "refused frames change nothing");

    final byte[] state = state(c);
    final IllegalArgumentException config = assertThrows(IllegalArgumentException.class,
        () -> HierarchicalCompressor.restore(CompressorConfig.DEFAULTS, new DataInputStream(new ByteArrayInputStream(state))));
    assertTrue(config.getMessage().contains("another configuration"), config.getMessage());
    final byte[] cut = Arrays.copyOf(state, state.length - 10);
    assertThrows(IOException.class,
        () -> HierarchicalCompressor.restore(TIGHT, new DataInputStream(new ByteArrayInputStream(cut))));
    final byte[] version = state.clone();
    version[0] = 9;
    assertThrows(IOException.class,
        () -> HierarchicalCompressor.restore(TIGHT, new DataInputStream(new ByteArrayInputStream(version))));

    final IllegalArgumentException budget = assertThrows(IllegalArgumentException.class,
        () -> new HierarchicalCompressor(CompressorConfig.DEFAULTS.withMemory(SMALL.withTokenBudget(200))));
    assertTrue(budget.getMessage().contains("at least 264"), budget.getMessage());
  }

  @Test
  void shouldGiveAnEmptyMemoryForAnEmptyStream() {
    final HierarchicalCompressor c = new HierarchicalCompressor(CompressorConfig.DEFAULTS);
    c.flush();
    final VideoMemory m = c.snapshot();
    assertEquals(0, m.tokenCount());
    assertTrue(m.segments().isEmpty());
    assertEquals(0, m.framesIn());
  }

  @Test
  void shouldKeepEverythingWhenTheMemoryIsOff() {
    final List<FrameTokens> frames = StreamingCompressorTest.stream(11, 600, 12);
    final CompressorConfig off = TIGHT.withMemory(SMALL.withEnabled(false));
    final VideoMemory m = HierarchicalCompressor.compressAll(frames, off);
    final long units = StreamingCompressor.compressAll(frames, off).stream().mapToLong(u -> u.tokens().size()).sum();
    assertEquals(units, m.tokenCount(), "stage 5 off: every unit's tokens");
    assertFalse(m.tokenCount() <= SMALL.tokenBudget());
    checkMemory(m);
  }

  /** Invariants every snapshot keeps: time order, segments in order and non-empty, token invariants. */
  static void checkMemory(final VideoMemory m) {
    final TokenBlock t = m.tokens();
    t.checkInvariants();
    assertTrue(t.isTimeOrdered(), "tokens in time order");
    int next = 0;
    long lastEnd = Long.MIN_VALUE;
    long weight = 0;
    for (final MemorySegment s : m.segments()) {
      assertEquals(next, s.firstToken(), "segments tile the tokens");
      assertTrue(s.tokenCount() >= 1);
      assertTrue(s.startPts() > lastEnd, "segments do not overlap: " + s);
      long w = 0;
      for (int i = s.firstToken(); i < s.firstToken() + s.tokenCount(); i++) {
        assertTrue(t.startPts(i) >= s.startPts() && t.endPts(i) <= s.endPts());
        w += (long) t.weight(i);
      }
      assertEquals(s.weight(), w);
      weight += w;
      lastEnd = s.endPts();
      next += s.tokenCount();
    }
    assertEquals(m.tokenCount(), next);
    assertEquals(m.patchTokensIn(), weight);
  }

  static boolean covers(final TokenBlock t, final long pts) {
    for (int i = 0; i < t.size(); i++) {
      if (t.startPts(i) <= pts && pts <= t.endPts(i)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] state(final HierarchicalCompressor c) throws IOException {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      c.writeState(out);
    }
    return bytes.toByteArray();
  }
}
