package io.vidctx.ingest.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real HTTP server on loopback serving a real clip: FFmpeg's network path, no mocks. */
class NetworkSourceTest {

  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    final byte[] webm = Files.readAllBytes(SharedData.video("big_buck_bunny_0_30.webm"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/bunny.webm", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "video/webm");
      exchange.sendResponseHeaders(200, webm.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(webm);
      } catch (final IOException clientWentAway) {
        // FFmpeg closes the connection once it has read what it needs.
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static List<VideoFrame> read(final String location, final DecodeOptions options) {
    try (VideoFileSource source = VideoFileSource.open(location, options)) {
      final List<VideoFrame> frames = new ArrayList<>();
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        frames.add(f.get());
      }
      return frames;
    }
  }

  @Test
  void shouldDecodeOverHttpExactlyLikeFromDisk() {
    final String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/bunny.webm";
    final DecodeOptions options = DecodeOptions.DEFAULTS.withFps(1).withSize(160, 0).withMaxFrames(20);
    final List<VideoFrame> overHttp = read(url, options);
    final List<VideoFrame> fromDisk = read(SharedData.video("big_buck_bunny_0_30.webm").toString(), options);
    assertEquals(20, overHttp.size());
    for (int i = 0; i < overHttp.size(); i++) {
      assertEquals(fromDisk.get(i).ptsMicros(), overHttp.get(i).ptsMicros());
      assertArrayEquals(fromDisk.get(i).rgb(), overHttp.get(i).rgb(), "frame " + i);
    }
    assertTrue(VideoProbe.probe(url).durationSeconds() > 29.9);
  }
}
