package io.vidctx.qa.eval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarksTest {

  @Test
  void shouldFindEveryReaderByItsNameInAnyCase() {
    assertEquals(List.of("egoschema", "mlvu", "videomme", "longvideobench", "nextqa"), Benchmarks.names());
    for (final String name : Benchmarks.names()) {
      assertEquals(name, Benchmarks.byName(name.toUpperCase(java.util.Locale.ROOT)).name());
    }
    assertInstanceOf(VideoMmeReader.class, Benchmarks.byName("Video-MME"));
    assertInstanceOf(NextQaReader.class, Benchmarks.byName(" next_qa "));
    assertInstanceOf(EgoSchemaReader.class, Benchmarks.byName("EgoSchema"));
  }

  @Test
  void shouldListTheKnownNamesForAnUnknownOne() {
    assertEquals("unknown benchmark 'lvbench'; known: egoschema, mlvu, videomme, longvideobench, nextqa",
        assertThrows(IllegalArgumentException.class, () -> Benchmarks.byName("lvbench")).getMessage());
  }
}
