package io.vidctx.tokencompress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md section 1: tokencompress works on float arrays and must not use ONNX Runtime, JavaCV or
 * Kafka. The pom keeps them off the main compile classpath (its tests may use them to encode real
 * footage); this test reads every compiled main class and fails if one refers to those packages,
 * directly or through a string constant.
 */
class ModuleBoundaryTest {
  private static final List<String> FORBIDDEN =
      List.of("ai/onnxruntime", "org/bytedeco", "org/apache/kafka", "ai.onnxruntime", "org.bytedeco", "org.apache.kafka");

  @Test
  void shouldKeepMainClassesFreeOfOnnxRuntimeJavaCvAndKafka() throws IOException, URISyntaxException {
    final Path classes = Path.of(ModuleBoundaryTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolveSibling("classes");
    assertTrue(Files.isDirectory(classes), "compiled main classes expected at " + classes);
    final List<String> offenders = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(classes)) {
      for (final Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        scanned++;
        // Class-file constant pools hold referenced class names as (modified) UTF-8 text.
        final String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (final String bad : FORBIDDEN) {
          if (text.contains(bad)) {
            offenders.add(classes.relativize(f) + " refers to " + bad);
          }
        }
      }
    }
    assertTrue(scanned > 0, "no compiled classes found under " + classes);
    assertEquals(List.of(), offenders);
  }
}
