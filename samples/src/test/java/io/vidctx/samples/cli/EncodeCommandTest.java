package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.io.TokenFileReader;
import io.vidctx.ingest.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Black-box tests of {@code vidctx encode} on the shared clips. */
class EncodeCommandTest {

  private static Path work(final String name) {
    final Path dir = SharedData.work("encode").resolve(name);
    Broker.deleteTree(dir);
    return dir;
  }

  /** The built-in model is generated here, never in the home folder. */
  private static String modelsDir() {
    return SharedData.work("encode").resolve("models").toString();
  }

  private static double norm(final float[] v) {
    double s = 0;
    for (final float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  @Test
  void shouldEncodeAClipWithTheBuiltinModel() {
    final Path out = work("city").resolve("city.vtok");
    final CliRun run = CliRun.of("encode", SharedData.video("city_cc0.mpg").toString(), "--model", "builtin",
        "--models-dir", modelsDir(), "--fps", "1", "--batch", "3", "--out", out.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    try (TokenFileReader r = TokenFileReader.open(out)) {
      final long n = r.frameCount();
      assertTrue(n >= 7 && n <= 9, "7.6 s at 1 fps is 8 frames (+-1): " + n);
      assertEquals("builtin", r.header().model());
      assertEquals("city_cc0", r.header().streamId());
      assertEquals(14, r.header().gridH());
      assertEquals(14, r.header().gridW());
      assertEquals(64, r.header().dim());
      final List<FrameTokens> frames = r.readAll();
      for (int i = 0; i < frames.size(); i++) {
        final FrameTokens t = frames.get(i);
        assertEquals(i, t.index());
        assertEquals(i * 1_000_000L, t.ptsMicros(), 80_000, "1 fps spacing at frame " + i);
        assertEquals(1.0, norm(t.global()), 1e-3, "the built-in global embedding is L2-normalised");
      }
      assertTrue(run.out().contains("encoded " + n + " frames") && run.out().contains("14x14 patch grid, 64-d tokens"),
          run.out());
    }
    assertFalse(Files.exists(out.resolveSibling("city.vtok.part")));
  }

  @Test
  void shouldEncodeWithAGeneratedClipShapedModelFolderAndPrintJson() throws Exception {
    final Path dir = work("tiny");
    final Path model = TinyClip.folder(dir.resolve("tiny-clip"));
    final Path out = dir.resolve("cockatoo.vtok");
    final CliRun run = CliRun.of("encode", SharedData.video("cockatoo.mp4").toString(), "--model", model.toString(),
        "--fps", "2", "--max-frames", "5", "--out", out.toString(), "--json");
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    final JsonNode s = Json.mapper().readTree(run.out());
    assertEquals(5, s.get("frames").asInt());
    assertEquals("tiny-clip", s.get("model").asText());
    assertEquals(4, s.get("gridH").asInt());
    assertEquals(TinyClip.DIM, s.get("dim").asInt());
    assertEquals(32, s.get("frameHeight").asInt(), "FFmpeg scaled the shorter side to the model's 32 px");
    assertEquals(56, s.get("frameWidth").asInt(), "16:9 kept for the centre crop");
    try (TokenFileReader r = TokenFileReader.open(out)) {
      assertEquals(5, r.frameCount());
      assertEquals(4 * 4 * TinyClip.DIM, r.read(4).patches().length);
      assertEquals(2_000_000, r.read(4).ptsMicros(), 60_000);
    }
  }

  @Test
  void shouldRefuseAnExistingOutputAndAMissingModel() throws Exception {
    final Path dir = work("refuse");
    Files.createDirectories(dir);
    final Path out = dir.resolve("x.vtok");
    Files.writeString(out, "earlier");
    final String city = SharedData.video("city_cc0.mpg").toString();
    final CliRun exists = CliRun.of("encode", city, "--models-dir", modelsDir(), "--out", out.toString());
    assertEquals(ExitCode.INVALID_INPUT, exists.exitCode(), exists.dump());
    assertTrue(exists.err().contains("--overwrite"), exists.err());
    assertEquals("earlier", Files.readString(out), "nothing written by the refused run");

    final CliRun noModel = CliRun.of("encode", city, "--model", dir.resolve("nowhere").toString(), "--out",
        dir.resolve("y.vtok").toString());
    assertEquals(ExitCode.INVALID_INPUT, noModel.exitCode(), noModel.dump());
    assertTrue(noModel.err().contains("neither 'builtin' nor an existing model folder"), noModel.err());

    final CliRun badDevice = CliRun.of("encode", city, "--device", "tpu", "--out", dir.resolve("z.vtok").toString());
    assertEquals(ExitCode.INVALID_INPUT, badDevice.exitCode(), badDevice.dump());
    assertFalse(Files.exists(dir.resolve("y.vtok")));
  }

  static Stream<SharedData.VideoRow> clips() {
    return SharedData.videos().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clips")
  void shouldEncodeEverySharedClip(final SharedData.VideoRow clip) {
    final Path out = work("all-" + clip.file()).resolve(clip.file() + ".vtok");
    final double fps = 0.5;
    final CliRun run = CliRun.of("encode", clip.path().toString(), "--models-dir", modelsDir(), "--fps",
        String.valueOf(fps), "--out", out.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.dump());
    try (TokenFileReader r = TokenFileReader.open(out)) {
      final double expected = clip.durationSeconds() * fps;
      assertEquals(expected, r.frameCount(), 1.5, clip.file() + ": duration x fps");
      assertEquals(64, r.header().dim());
      final FrameTokens lastFrame = r.read(r.frameCount() - 1);
      assertTrue(lastFrame.ptsMicros() <= clip.durationSeconds() * 1e6, "pts within the clip");
    }
  }
}
