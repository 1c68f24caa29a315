package io.vidctx.ingest.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VideoLocationTest {

  @Test
  void shouldNameTheMissingFile() {
    final Path missing = SharedData.work("location").resolve("no-such-video.mp4").toAbsolutePath();
    final IngestException e = assertThrows(IngestException.SourceNotFoundException.class,
        () -> VideoFileSource.open(missing.toString(), DecodeOptions.DEFAULTS));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertThrows(IngestException.SourceNotFoundException.class, () -> VideoProbe.probe(missing.toString()));
  }

  @Test
  void shouldRefuseAnEmptyFileAndAFolder() throws IOException {
    final Path empty = SharedData.work("location").resolve("empty.mp4");
    Files.write(empty, new byte[0]);
    final IngestException e = assertThrows(IngestException.UnsupportedSourceException.class, () -> VideoLocation.parse(empty.toString()));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    assertThrows(IngestException.UnsupportedSourceException.class,
        () -> VideoLocation.parse(SharedData.root().resolve("videos").toString()));
    assertThrows(IngestException.UnsupportedSourceException.class, () -> VideoLocation.parse("  "));
  }

  @Test
  void shouldRefuseUnknownSchemesAndListTheKnownOnes() {
    final IngestException e = assertThrows(IngestException.UnsupportedSourceException.class,
        () -> VideoFileSource.open("ftp://example.org/a.mp4", DecodeOptions.DEFAULTS));
    assertTrue(e.getMessage().contains("'ftp'") && e.getMessage().contains("rtsp"), e.getMessage());
  }

  @Test
  void shouldAcceptFileUrisAndNetworkUrls() {
    final Path clip = SharedData.video("city_cc0.mpg");
    final VideoLocation uri = VideoLocation.parse(clip.toUri().toString());
    assertEquals(VideoLocation.Kind.FILE, uri.kind());
    assertEquals(clip.toAbsolutePath().toString(), uri.input());
    final VideoLocation rtsp = VideoLocation.parse("RTSP://camera.local:554/stream1");
    assertEquals(VideoLocation.Kind.NETWORK, rtsp.kind());
    assertNull(rtsp.format());
  }

  @Test
  void shouldReportAMissingCamera() {
    final IngestException e = assertThrows(IngestException.SourceNotFoundException.class, () -> VideoLocation.parse("/dev/video97"));
    assertTrue(e.getMessage().contains("/dev/video97"), e.getMessage());
    assertThrows(IngestException.SourceNotFoundException.class, () -> VideoLocation.parse("v4l2:///dev/video97"));
  }

  @Test
  void shouldReportARefusedConnectionAsNotFound() throws IOException {
    // A loopback port nobody listens on: a real connection attempt, refused at once.
    final int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    final IngestException e = assertThrows(IngestException.SourceNotFoundException.class,
        () -> VideoFileSource.open("http://127.0.0.1:" + port + "/clip.webm", DecodeOptions.DEFAULTS));
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }
}
