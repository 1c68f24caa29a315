package io.vidctx.tokencompress.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.tokencompress.temporal.TemporalFilterConfig;
import org.junit.jupiter.api.Test;

/** Both stages' configs reject bad values and name them. */
class SegmenterConfigTest {
  @Test
  void segmenterConfig_badValues_nameTheValue() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SegmenterConfig.DEFAULTS.withThreshold(1.5))
        .getMessage().contains("1.5"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SegmenterConfig.DEFAULTS.withThreshold(Double.NaN))
        .getMessage().contains("NaN"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SegmenterConfig.DEFAULTS.withMinDurationMicros(-1))
        .getMessage().contains("-1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SegmenterConfig.DEFAULTS.withMaxDurationMicros(999))
        .getMessage().contains("999"));
    assertEquals(0.9, SegmenterConfig.DEFAULTS.threshold());
  }

  @Test
  void temporalFilterConfig_badValues_nameTheValue() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TemporalFilterConfig.DEFAULTS.withWindow(0))
        .getMessage().contains("was 0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TemporalFilterConfig.DEFAULTS.withThreshold(-2))
        .getMessage().contains("-2"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TemporalFilterConfig.DEFAULTS.withMaxGapMicros(-3))
        .getMessage().contains("-3"));
    assertThrows(NullPointerException.class, () -> TemporalFilterConfig.DEFAULTS.withMode(null));
    assertEquals(TemporalFilterConfig.Mode.LAST_KEPT, TemporalFilterConfig.DEFAULTS.mode());
    assertEquals(16, TemporalFilterConfig.WINDOW_DEFAULTS.window());
  }
}
