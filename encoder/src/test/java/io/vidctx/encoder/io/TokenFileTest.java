package io.vidctx.encoder.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.ingest.testing.SharedData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenFileTest {

  private static FrameTokens frame(final long i, final int gh, final int gw, final int dim) {
    final float[] patches = new float[gh * gw * dim];
    for (int k = 0; k < patches.length; k++) {
      patches[k] = i * 1000 + k + 0.25f;
    }
    final float[] global = new float[dim];
    for (int k = 0; k < dim; k++) {
      global[k] = -i - k / 8f;
    }
    return new FrameTokens("clip-é", i * 3, i * 500_000L + 17, gh, gw, dim, patches, global);
  }

  @Test
  void shouldRoundTripFramesHeaderAndOrder() {
    final Path file = SharedData.work("tokenfile").resolve("roundtrip.vtok");
    final List<FrameTokens> written = new ArrayList<>();
    try (TokenFileWriter w = TokenFileWriter.create(file, new TokenFile.Header("tiny-model", "clip-é", 2, 3, 5, 0))) {
      for (int i = 0; i < 7; i++) {
        final FrameTokens t = frame(i, 2, 3, 5);
        w.write(t);
        written.add(t);
      }
      final TokenFile.Header h = w.finish();
      assertEquals(7, h.frameCount());
    }
    assertFalse(Files.exists(file.resolveSibling("roundtrip.vtok.part")));
    try (TokenFileReader r = TokenFileReader.open(file)) {
      assertEquals(new TokenFile.Header("tiny-model", "clip-é", 2, 3, 5, 7), r.header());
      final List<FrameTokens> read = r.readAll();
      assertEquals(7, read.size());
      for (int i = 0; i < 7; i++) {
        final FrameTokens a = written.get(i);
        final FrameTokens b = read.get(i);
        assertEquals(a.index(), b.index());
        assertEquals(a.ptsMicros(), b.ptsMicros());
        assertEquals(a.streamId(), b.streamId());
        assertArrayEquals(a.patches(), b.patches());
        assertArrayEquals(a.global(), b.global());
      }
      assertEquals(written.get(4).ptsMicros(), r.read(4).ptsMicros(), "random access by position");
    }
  }

  @Test
  void shouldLayOutTheHeaderAsDocumented() throws Exception {
    final Path file = SharedData.work("tokenfile").resolve("layout.vtok");
    try (TokenFileWriter w = TokenFileWriter.create(file, new TokenFile.Header("m", "s", 1, 1, 2, 0))) {
      w.write(new FrameTokens("s", 9, 123, 1, 1, 2, new float[] {1f, 2f}, new float[] {3f, 4f}));
      w.finish();
    }
    final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertArrayEquals(TokenFile.MAGIC, Arrays.copyOf(b.array(), 8));
    assertEquals(1, b.getInt(8));
    final int headerBytes = b.getInt(12);
    assertEquals(48, headerBytes, "40 fixed + 2+1 + 2+1, padded to 16");
    assertEquals(1, b.getInt(16));
    assertEquals(2, b.getInt(24));
    assertEquals(1L, b.getLong(32));
    assertEquals(9L, b.getLong(headerBytes));
    assertEquals(123L, b.getLong(headerBytes + 8));
    assertEquals(3f, b.getFloat(headerBytes + 16), "global first");
    assertEquals(2f, b.getFloat(headerBytes + 28), "then patches");
    assertEquals(headerBytes + 32, b.capacity());
  }

  @Test
  void shouldLeaveNothingWhenNotFinished() {
    final Path file = SharedData.work("tokenfile").resolve("aborted.vtok");
    try (TokenFileWriter w = TokenFileWriter.create(file, new TokenFile.Header("m", "s", 1, 1, 2, 0))) {
      w.write(new FrameTokens("s", 0, 0, 1, 1, 2, new float[2], new float[2]));
    }
    assertFalse(Files.exists(file));
    assertFalse(Files.exists(file.resolveSibling("aborted.vtok.part")));
  }

  @Test
  void shouldRefuseAMismatchedFrameAndATruncatedFile() throws Exception {
    final Path file = SharedData.work("tokenfile").resolve("truncated.vtok");
    try (TokenFileWriter w = TokenFileWriter.create(file, new TokenFile.Header("m", "s", 2, 2, 4, 0))) {
      assertThrows(EncoderException.class, () -> w.write(frame(0, 1, 1, 4)));
      w.write(frame(0, 2, 2, 4));
      w.write(frame(1, 2, 2, 4));
      w.finish();
    }
    final byte[] all = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(all, all.length - 3));
    final EncoderException e = assertThrows(EncoderException.class, () -> TokenFileReader.open(file));
    assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());

    Files.writeString(file, "not a token file at all, but long enough to hold a header");
    final EncoderException magic = assertThrows(EncoderException.class, () -> TokenFileReader.open(file));
    assertTrue(magic.getMessage().contains("not a vidctx token file"), magic.getMessage());
  }
}
