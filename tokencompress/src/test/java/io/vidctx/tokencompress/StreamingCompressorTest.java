package io.vidctx.tokencompress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.tokencompress.temporal.TemporalFilterConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingCompressorTest {
  private static final int GRID = SyntheticStreams.GRID;
  private static final int DIM = SyntheticStreams.DIM;

  static List<FrameTokens> stream(final long seed, final int frames, final int framesPerScene) {
    return SyntheticStreams.stream(seed, frames, framesPerScene);
  }

  @Test
  void shouldAccountForEveryPatchTokenAndCoverEveryFrameTime() {
    final List<FrameTokens> frames = stream(1, 120, 20);
    final List<CompressedUnit> units = StreamingCompressor.compressAll(frames, CompressorConfig.DEFAULTS);
    assertTrue(!units.isEmpty());
    long weight = 0;
    long tokens = 0;
    long lastStart = Long.MIN_VALUE;
    long lastSegment = -1;
    for (final CompressedUnit u : units) {
      u.tokens().checkInvariants();
      assertTrue(u.tokens().isTimeOrdered(), "tokens in time order within a unit");
      assertTrue(u.tokens().startPts(0) >= lastStart, "units in time order");
      assertTrue(u.segment() >= lastSegment, "segments never go back");
      lastStart = u.tokens().startPts(0);
      lastSegment = u.segment();
      weight += u.tokens().totalWeight();
      tokens += u.tokens().size();
      assertTrue(u.tokens().size() <= u.keptFrames() * CompressorConfig.DEFAULTS.merge().tokensPerFrame());
    }
    assertEquals(120L * GRID * GRID, weight, "weights add up to every original patch token");
    for (final FrameTokens f : frames) {
      assertTrue(covered(units, f.ptsMicros()), "frame at " + f.ptsMicros() + " us lies in some token's span");
    }
    final long kept = units.stream().mapToLong(CompressedUnit::keptFrames).sum();
    assertTrue(kept < 120 / 4, "the filter drops near-duplicates within a scene: kept " + kept);
    assertTrue(tokens <= kept * CompressorConfig.DEFAULTS.merge().tokensPerFrame(), "tokens " + tokens);
    assertTrue(units.get(units.size() - 1).segment() >= 5, "six scenes give six segments");
  }

  @Test
  void shouldReportStageStatisticsThatAddUp() {
    final List<CompressedUnit> units = new ArrayList<>();
    final StreamingCompressor c = new StreamingCompressor(CompressorConfig.DEFAULTS, units::add);
    stream(2, 60, 30).forEach(c::accept);
    c.flush();
    final List<StageStats> s = c.stats();
    assertEquals(List.of("filter", "segment", "spatial", "merge", "total"), s.stream().map(StageStats::stage).toList());
    final StageStats total = s.get(4);
    assertEquals(60, total.framesIn());
    assertEquals(60L * GRID * GRID, total.tokensIn());
    assertEquals(units.stream().mapToLong(u -> u.tokens().size()).sum(), total.tokensOut());
    assertEquals(s.get(0).tokensOut(), s.get(2).tokensIn(), "kept frames' tokens go to spatial reduction");
    assertEquals(s.get(2).tokensOut(), s.get(3).tokensIn());
    assertEquals(s.get(3).tokensOut(), total.tokensOut());
    assertTrue(s.get(0).framesOut() < 60 / 4, "near-duplicates dropped: kept " + s.get(0).framesOut());
    assertTrue(total.tokensOut() <= s.get(0).framesOut() * CompressorConfig.DEFAULTS.merge().tokensPerFrame());
  }

  @Test
  void shouldBeDeterministic() throws IOException {
    final List<FrameTokens> frames = stream(3, 80, 16);
    assertArrayEquals(bytes(StreamingCompressor.compressAll(frames, CompressorConfig.DEFAULTS)),
        bytes(StreamingCompressor.compressAll(frames, CompressorConfig.DEFAULTS)));
  }

  @Test
  void shouldWorkInTheWindowFormToo() {
    final CompressorConfig window = CompressorConfig.DEFAULTS.withFilter(TemporalFilterConfig.WINDOW_DEFAULTS);
    final List<FrameTokens> frames = stream(4, 100, 25);
    final List<CompressedUnit> units = StreamingCompressor.compressAll(frames, window);
    assertEquals(100L * GRID * GRID, units.stream().mapToLong(u -> u.tokens().totalWeight()).sum());
    for (final FrameTokens f : frames) {
      assertTrue(covered(units, f.ptsMicros()), "frame at " + f.ptsMicros() + " us");
    }
  }

  @Test
  void shouldRefuseBadFramesWithoutChangingState() {
    final List<CompressedUnit> units = new ArrayList<>();
    final StreamingCompressor c = new StreamingCompressor(CompressorConfig.DEFAULTS, units::add);
    final List<FrameTokens> frames = stream(5, 10, 10);
    c.accept(frames.get(0));
    c.accept(frames.get(1));

    final FrameTokens other = new FrameTokens("s", 2, 2_000_000, 3, 3, DIM, new float[9 * DIM], unit(DIM));
    final IllegalArgumentException grid = assertThrows(IllegalArgumentException.class, () -> c.accept(other));
    assertTrue(grid.getMessage().contains("3x3x16, the stream started with 6x6x16"), grid.getMessage());

    final FrameTokens nan = copyWithPts(frames.get(2), frames.get(2).ptsMicros());
    nan.patches()[7] = Float.NaN;
    final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> c.accept(nan));
    assertTrue(bad.getMessage().contains("non-finite"), bad.getMessage());

    assertThrows(IllegalArgumentException.class, () -> c.accept(copyWithPts(frames.get(2), frames.get(1).ptsMicros())),
        "duplicate timestamp");
    assertThrows(IllegalArgumentException.class, () -> c.accept(copyWithPts(frames.get(2), 0)), "going back in time");

    for (int i = 2; i < 10; i++) {
      c.accept(frames.get(i));
    }
    c.flush();
    assertEquals(10L * GRID * GRID, units.stream().mapToLong(u -> u.tokens().totalWeight()).sum(),
        "refused frames left no trace; the good ones are all accounted for");
  }

  @Test
  void shouldProduceNothingForAnEmptyStream() {
    final List<CompressedUnit> units = new ArrayList<>();
    final StreamingCompressor c = new StreamingCompressor(CompressorConfig.DEFAULTS, units::add);
    c.flush();
    assertEquals(List.of(), units);
    assertEquals(0, c.stats().get(4).tokensIn());
  }

  static boolean covered(final List<CompressedUnit> units, final long pts) {
    for (final CompressedUnit u : units) {
      final TokenBlock b = u.tokens();
      for (int i = 0; i < b.size(); i++) {
        if (b.startPts(i) <= pts && pts <= b.endPts(i)) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] bytes(final List<CompressedUnit> units) throws IOException {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(out)) {
      for (final CompressedUnit u : units) {
        data.writeLong(u.segment());
        u.tokens().writeTo(data);
      }
    }
    return out.toByteArray();
  }

  private static FrameTokens copyWithPts(final FrameTokens f, final long pts) {
    return new FrameTokens(f.streamId(), f.index(), pts, f.gridH(), f.gridW(), f.dim(), f.patches().clone(),
        f.global().clone());
  }

  private static float[] unit(final int dim) {
    final float[] v = new float[dim];
    v[0] = 1;
    return v;
  }
}
