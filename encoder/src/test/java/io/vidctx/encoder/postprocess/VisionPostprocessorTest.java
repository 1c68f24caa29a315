package io.vidctx.encoder.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VisionPostprocessorTest {
  private static final VideoFrame FRAME = new VideoFrame("s", 3, 120_000, 1, 1, new byte[3]);

  @Test
  void tokens_secondItemOfABatch_dropsClsAndProjectsPatchesAndAModelWidePooledOutput() {
    // Grid 1x2 + CLS, D = 2, projection [2, 3]; pooled output D wide, so it is projected too.
    final float[] proj = {1, 0, 1, 0, 1, 1};
    final VisionPostprocessor p = new VisionPostprocessor(1, 2, true, true, 2, proj, 2, false);
    assertEquals(3, p.dim());
    assertEquals(3, p.tokensPerImage());
    final float[] patches = {
      9, 9, 9, 9, 9, 9, // item 0: CLS, two patches
      7, 7, 1, 2, 3, 4 // item 1: CLS (7, 7), patches (1, 2) and (3, 4)
    };
    final float[] pooled = {0, 0, 5, 6};
    final FrameTokens t = p.tokens(FRAME, patches, pooled, 1);
    assertArrayEquals(new float[] {1, 2, 3, 3, 4, 7}, t.patches());
    assertArrayEquals(new float[] {5, 6, 11}, t.global());
    assertEquals(3, t.index());
    assertEquals(120_000, t.ptsMicros());
  }

  @Test
  void tokens_withoutPooledOutput_meanOfPatchesThenUnitLength() {
    final VisionPostprocessor p = new VisionPostprocessor(2, 1, false, true, 2, null, 0, true);
    final FrameTokens t = p.tokens(FRAME, new float[] {3, 0, 0, 4}, null, 0);
    assertArrayEquals(new float[] {1, 0, 0, 1}, t.patches(), 1e-7f);
    // mean (1.5, 2) normalised
    assertArrayEquals(new float[] {0.6f, 0.8f}, t.global(), 1e-7f);
  }

  @Test
  void constructor_pooledWidthMatchingNeitherSide_isRefusedWithTheFix() {
    final EncoderException e = assertThrows(EncoderException.class,
        () -> new VisionPostprocessor(2, 2, true, true, 4, null, 3, true));
    assertTrue(e.getMessage().contains("the pooled output is 3 wide but tokens are 4 wide"), e.getMessage());
    assertTrue(e.getMessage().contains("[4, 3] matrix"), e.getMessage());
  }

  @Test
  void readMatrix_littleEndianFloats_andWrongSizesRefused() throws IOException {
    final Path dir = SharedData.work("postprocess");
    final ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(new float[] {1, 2, 3, 4, 5, 6});
    final Path good = Files.write(dir.resolve("p.bin"), b.array());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, VisionPostprocessor.readMatrix(good, 2));
    final EncoderException e = assertThrows(EncoderException.class, () -> VisionPostprocessor.readMatrix(good, 4));
    assertTrue(e.getMessage().contains("not a float32 [4, E] matrix"), e.getMessage());
  }
}
