package io.vidctx.qa.haystack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.testing.SharedData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad specs and needles are refused with messages that name the bad value. */
class HaystackSpecTest {

  private static final DecodedImage GREY = new DecodedImage(2, 2, new byte[12]);

  private static void assertRefused(final Executable build, final String... mentions) {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
    for (final String m : mentions) {
      assertTrue(e.getMessage().contains(m), "'" + m + "' missing from: " + e.getMessage());
    }
  }

  private static List<Path> clips() {
    return List.of(SharedData.video("city_cc0.mpg"));
  }

  @Test
  void shouldRefuseDepthsOutsideZeroToOne() {
    assertRefused(() -> new Needle(GREY, -0.1, 1_000_000, "cat"), "-0.1", "'cat'", "[0, 1]");
    assertRefused(() -> new Needle(GREY, 1.5, 1_000_000, "cat"), "1.5");
    assertRefused(() -> new Needle(GREY, Double.NaN, 1_000_000, "cat"), "NaN");
  }

  @Test
  void shouldRefuseNonPositiveDurations() {
    assertRefused(() -> new Needle(GREY, 0.5, 0, "cat"), "0 us", "'cat'");
    assertRefused(() -> new Needle(GREY, 0.5, -5, "cat"), "-5 us");
  }

  @Test
  void shouldRefuseBlankLabels() {
    assertRefused(() -> new Needle(GREY, 0.5, 1, " "), "label");
  }

  @Test
  void shouldRefuseNeedlesAtTheSameDepth() {
    final HaystackSpec spec = HaystackSpec.of(clips(), 1.0).withNeedle(new Needle(GREY, 0.5, 1_000_000, "a"));
    assertRefused(() -> spec.withNeedle(new Needle(GREY, 0.5, 2_000_000, "b")), "'a'", "'b'", "0.5", "overlap");
  }

  @Test
  void shouldRefuseAHaystackWithoutClips() {
    assertRefused(() -> HaystackSpec.of(List.of(), 1.0), "at least one clip");
  }

  @Test
  void shouldRefuseNonPositiveFps() {
    assertRefused(() -> HaystackSpec.of(clips(), 0), "fps", "0.0");
    assertRefused(() -> HaystackSpec.of(clips(), -1), "-1.0");
    assertRefused(() -> HaystackSpec.of(clips(), Double.NaN), "NaN");
  }

  @Test
  void shouldRefuseEmptySizesAndBlankStreamIds() {
    assertRefused(() -> HaystackSpec.of(clips(), 1).withSize(0, 90), "0x90");
    assertRefused(() -> HaystackSpec.of(clips(), 1).withStreamId(""), "streamId");
  }

  @Test
  void shouldDefaultTo320x180AndCopyItsLists() {
    final HaystackSpec spec = HaystackSpec.of(clips(), 1.0);
    assertEquals(320, spec.width());
    assertEquals(180, spec.height());
    assertEquals("haystack", spec.streamId());
    final HaystackSpec two = spec.withNeedle(new Needle(GREY, 0.2, 1, "a")).withNeedle(new Needle(GREY, 0.8, 1, "b"));
    assertEquals(List.of("a", "b"), two.needles().stream().map(Needle::label).toList());
    assertThrows(UnsupportedOperationException.class, () -> two.needles().clear());
    assertTrue(spec.needles().isEmpty(), "with-ers never change the original");
  }

  @Test
  void shouldNameAMissingNeedleFile() {
    final Path missing = SharedData.work("haystack").resolve("no_such_photo.png");
    final IngestException e = assertThrows(IngestException.SourceNotFoundException.class,
        () -> Needle.read(missing, 0.5, 1_000_000, "ghost"));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }
}
