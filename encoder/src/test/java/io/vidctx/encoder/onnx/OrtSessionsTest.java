package io.vidctx.encoder.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.vidctx.encoder.Device;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.onnxwriter.ElementType;
import io.vidctx.encoder.onnxwriter.OnnxModel;
import io.vidctx.ingest.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrtSessionsTest {
  private static Path model;

  @BeforeAll
  static void writeModel() {
    final OnnxModel.Builder b = OnnxModel.builder("relu");
    b.input("x", ElementType.FLOAT, "batch", 3);
    b.output(b.op("Relu", "x"), "y", ElementType.FLOAT, "batch", 3);
    model = b.build().write(SharedData.work("ort-sessions").resolve("relu.onnx"));
  }

  @Test
  void shouldOpenOnTheCpu() {
    try (OrtSessions.Opened s = OrtSessions.open(model, RuntimeOptions.DEFAULTS.withIntraOpThreads(1))) {
      assertEquals(Device.CPU, s.device());
      assertTrue(s.session().getInputNames().contains("x"));
    }
  }

  @Test
  void shouldFallBackToTheCpuWhenCudaIsMissingAndNotStrict() {
    Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
        "this runtime has CUDA: the fallback path is not reachable here");
    try (OrtSessions.Opened s = OrtSessions.open(model, RuntimeOptions.DEFAULTS.withDevice(Device.parse("cuda:0")))) {
      assertEquals(Device.CPU, s.device());
    }
  }

  @Test
  void shouldRefuseAStrictCudaDeviceWhenCudaIsMissing() {
    Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
        "this runtime has CUDA: the strict refusal is not reachable here");
    final EncoderException e = assertThrows(EncoderException.class,
        () -> OrtSessions.open(model, RuntimeOptions.DEFAULTS.withDevice(Device.parse("cuda!"))));
    assertTrue(e.getMessage().contains("requested strictly but unavailable"), e.getMessage());
    assertTrue(e.getMessage().contains("-Pgpu"), e.getMessage());
  }

  @Test
  void shouldNameTheFileWhenItIsMissingOrNotAModel() throws IOException {
    final Path missing = model.resolveSibling("nope.onnx");
    final EncoderException e1 = assertThrows(EncoderException.class, () -> OrtSessions.open(missing, RuntimeOptions.DEFAULTS));
    assertTrue(e1.getMessage().contains(missing.toAbsolutePath().toString()), e1.getMessage());

    final Path garbage = Files.writeString(model.resolveSibling("garbage.onnx"), "this is not a protobuf model");
    final EncoderException e2 = assertThrows(EncoderException.class, () -> OrtSessions.open(garbage, RuntimeOptions.DEFAULTS));
    assertTrue(e2.getMessage().startsWith("cannot load ONNX model " + garbage.toAbsolutePath()), e2.getMessage());
  }

  @Test
  void parse_devices() {
    assertEquals(Device.CPU, Device.parse("CPU"));
    assertEquals(new Device(true, 0, false), Device.parse("cuda"));
    assertEquals(new Device(true, 2, true), Device.parse("cuda:2!"));
    assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu"));
    assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:x"));
    assertThrows(IllegalArgumentException.class, () -> Device.parse("cpu!"));
  }
}
