package io.vidctx.tokencompress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.builtin.BuiltinModel;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stage 5 over hours of real footage: every shared clip decoded at 1 fps and encoded once by the
 * built-in encoder, then replayed looped and concatenated with shifted timestamps as one 10-hour
 * stream (36,000 frames, 7 M patch tokens). The memory never exceeds its budget, its snapshot and
 * resumable state stay flat once the budget fills, provenance stays exact, and a compressor
 * serialised mid-stream and restored ends byte-identical to the uninterrupted one.
 */
class LongStreamMemoryTest {
  private static final double FPS = 1;
  private static final double HOURS = 10;
  private static final int PATCHES = BuiltinModel.GRID * BuiltinModel.GRID;

  private static final List<List<FrameTokens>> CLIPS = new ArrayList<>();

  @BeforeAll
  static void encodeClipsOnce() {
    try (OnnxVisionEncoder encoder = FootageTokens.builtinEncoder()) {
      for (final SharedData.VideoRow row : SharedData.videos()) {
        CLIPS.add(FootageTokens.encode(encoder, row.file(), FPS));
      }
    }
  }

  @Test
  void shouldStayWithinBudgetAndFlatForTenHoursAndResumeExactly() throws IOException {
    final CompressorConfig config = CompressorConfig.DEFAULTS;
    final int budget = config.memory().tokenBudget();
    final HierarchicalCompressor c = new HierarchicalCompressor(config);
    HierarchicalCompressor resumed = null;
    final Iterator<FrameTokens> stream = FootageTokens.replay(CLIPS, "long", FPS, HOURS * 3600);
    final List<long[]> samples = new ArrayList<>();
    final StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%6s %8s %7s %9s %10s %8s %8s %9s%n",
        "hour", "frames", "tokens", "segments", "snapshot B", "state B", "recent", "synopsis"));
    final long t0 = System.nanoTime();
    long frames = 0;
    int peak = 0;
    while (stream.hasNext()) {
      final FrameTokens f = stream.next();
      c.accept(f);
      if (resumed != null) {
        resumed.accept(f);
      }
      frames++;
      peak = Math.max(peak, c.memoryTokens());
      if (frames % 1800 == 0) {
        final VideoMemory m = c.snapshot();
        final byte[] state = state(c);
        assertTrue(m.tokenCount() <= budget, "snapshot of " + m.tokenCount() + " tokens after " + frames + " frames");
        HierarchicalCompressorTest.checkMemory(m);
        assertEquals((frames - m.framesPending()) * PATCHES, m.patchTokensIn(), "exact weights after " + frames + " frames");
        final int snapshotBytes = m.toBytes().length;
        samples.add(new long[] {frames, m.tokenCount(), snapshotBytes, state.length});
        table.append(String.format(Locale.ROOT, "%6.1f %8d %7d %9d %10d %8d %8d %9d%n", frames / 3600.0, frames,
            m.tokenCount(), m.segments().size(), snapshotBytes, state.length, m.memoryStats().recentTokens(),
            m.memoryStats().synopsisTokens()));
        if (frames == 5 * 3600) {
          resumed = HierarchicalCompressor.restore(config, new DataInputStream(new ByteArrayInputStream(state)));
        }
      }
    }
    c.flush();
    final double seconds = (System.nanoTime() - t0) / 1e9;
    final VideoMemory end = c.snapshot();
    System.out.print(String.format(Locale.ROOT, "10-hour stream at 1 fps, %d frames, %.1f s (%.0f us per frame "
        + "including snapshots and the resumed copy from hour 5), tier peak %d of %d tokens:%n", frames, seconds,
        seconds * 1e6 / frames, peak, budget) + table + "end: " + end + ", " + end.memoryStats() + "\n");

    assertTrue(frames >= HOURS * 3600 - 1, "10 hours of frames: " + frames);
    assertTrue(peak <= budget - c.config().spatial().chunkFrames() * c.config().merge().tokensPerFrame(),
        "tiers peaked at " + peak);
    assertEquals(frames * PATCHES, end.patchTokensIn(), "every patch token accounted for");
    HierarchicalCompressorTest.checkMemory(end);
    assertTrue(end.memoryStats().coalesced() > 0, "segments were coalesced to stay within the limit");

    // Flat: from hour 2 on, snapshot and state sizes stay within 10 % of their hour-2 value.
    final long[] hour2 = samples.stream().filter(s -> s[0] == 2 * 3600).findFirst().orElseThrow();
    for (final long[] s : samples) {
      if (s[0] >= 2 * 3600) {
        assertTrue(s[1] >= 0.9 * hour2[1] && s[1] <= budget, "tokens at frame " + s[0] + ": " + s[1]);
        assertTrue(s[2] <= 1.1 * hour2[2], "snapshot bytes at frame " + s[0] + ": " + s[2] + " vs " + hour2[2]);
        assertTrue(s[3] <= 1.1 * hour2[3] + 2_000_000, "state bytes at frame " + s[0] + ": " + s[3]);
      }
    }

    // The copy restored from the hour-5 state and fed the same rest ends byte-identical.
    assertTrue(resumed != null);
    resumed.flush();
    assertArrayEquals(end.toBytes(), resumed.snapshot().toBytes(), "restored at hour 5, fed the rest");
    assertArrayEquals(state(c), state(resumed));
  }

  @Test
  void shouldGiveByteIdenticalMemoriesForTheSameHour() {
    final byte[][] runs = new byte[2][];
    for (int r = 0; r < 2; r++) {
      final HierarchicalCompressor c = new HierarchicalCompressor(CompressorConfig.DEFAULTS);
      FootageTokens.replay(CLIPS, "hour", FPS, 3600).forEachRemaining(c::accept);
      c.flush();
      runs[r] = c.snapshot().toBytes();
    }
    assertTrue(Arrays.equals(runs[0], runs[1]), "two runs of the same hour differ");
  }

  private static byte[] state(final HierarchicalCompressor c) throws IOException {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      c.writeState(out);
    }
    return bytes.toByteArray();
  }
}
