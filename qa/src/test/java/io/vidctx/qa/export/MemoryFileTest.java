package io.vidctx.qa.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.qa.QaFixtures;
import io.vidctx.tokencompress.VideoMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryFileTest {
  private static final VideoMemory MEMORY = QaFixtures.memory(QaFixtures.scenes(1,
      QaFixtures.randomBases(2, 4, 16), 20));

  @Test
  void shouldRoundTripByteForByte(@TempDir final Path dir) throws IOException {
    final Path f = dir.resolve("m.vmem");
    new MemoryFile("builtin", "/videos/a.mp4", 1.0, "settings", MEMORY).write(f);
    final MemoryFile back = MemoryFile.read(f);
    assertEquals("builtin", back.model());
    assertEquals("/videos/a.mp4", back.video());
    assertEquals(1.0, back.fps());
    assertEquals("settings", back.settings());
    assertArrayEquals(MEMORY.toBytes(), back.memory().toBytes());
    assertEquals(1, Files.list(dir).count(), "no temporary file left behind");
  }

  @Test
  void shouldRefuseOtherFilesClearly(@TempDir final Path dir) throws IOException {
    final Path f = dir.resolve("m.vmem");
    new MemoryFile("builtin", "a.mp4", 1.0, "s", MEMORY).write(f);
    final byte[] good = Files.readAllBytes(f);

    final byte[] otherVersion = good.clone();
    ByteBuffer.wrap(otherVersion).putInt(8, 2);
    Files.write(f, otherVersion);
    IOException e = assertThrows(IOException.class, () -> MemoryFile.read(f));
    assertTrue(e.getMessage().contains("format version 2") && e.getMessage().contains("vidctx compress"),
        e.getMessage());

    Files.write(f, Arrays.copyOf(good, good.length / 2));
    e = assertThrows(IOException.class, () -> MemoryFile.read(f));
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(f.toString()), e.getMessage());

    Files.writeString(f, "not a memory file at all");
    e = assertThrows(IOException.class, () -> MemoryFile.read(f));
    assertTrue(e.getMessage().contains("not a vidctx memory file"), e.getMessage());

    e = assertThrows(IOException.class, () -> MemoryFile.read(dir.resolve("missing.vmem")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

    // The memory's own version byte, inside an otherwise valid file.
    final byte[] innerVersion = good.clone();
    final int at = 8 + 4 + (2 + "builtin".length()) + 4 + (2 + "a.mp4".length()) + 8 + (2 + "s".length());
    innerVersion[at] = 9;
    Files.write(f, innerVersion);
    e = assertThrows(IOException.class, () -> MemoryFile.read(f));
    assertTrue(e.getMessage().contains("version 9"), e.getMessage());
  }
}
