package io.vidctx.tokencompress;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN.md section 1: tokencompress works on float arrays and must not see ONNX Runtime, JavaCV or
 * Kafka. The pom excludes them from this module's classpath; this test fails if a dependency change
 * lets one of them back in (code importing them would then compile again).
 */
class ModuleBoundaryTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "ai.onnxruntime.OrtEnvironment",
      "org.bytedeco.javacv.FFmpegFrameGrabber",
      "org.bytedeco.opencv.global.opencv_imgcodecs",
      "org.apache.kafka.clients.producer.KafkaProducer",
      "org.apache.kafka.streams.KafkaStreams"})
  void shouldNotHaveForbiddenLibrariesOnTheClasspath(final String className) {
    assertThrows(ClassNotFoundException.class, () -> Class.forName(className));
  }

  @Test
  void shouldStillSeeTheEncoderDataTypes() {
    assertDoesNotThrow(() -> Class.forName("io.vidctx.encoder.FrameTokens"));
  }
}
