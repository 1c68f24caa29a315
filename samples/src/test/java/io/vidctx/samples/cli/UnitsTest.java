package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void stem_dropsFolderAndExtension() {
    assertEquals("city_cc0", Units.stem("/data/videos/city_cc0.mpg"));
    assertEquals("clip.final", Units.stem("clip.final.mp4"));
    assertEquals("live", Units.stem("rtsp://cam.local:554/live?token=1"));
    assertEquals("video0", Units.stem("/dev/video0"));
    assertEquals(".hidden", Units.stem(".hidden"));
  }

  @Test
  void bytes_usesDecimalUnits() {
    assertEquals("999 B", Units.bytes(999));
    assertEquals("1.5 kB", Units.bytes(1500));
    assertEquals("2.50 MB", Units.bytes(2_500_000));
  }
}
