package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class TimeConverterTest {

  @Test
  void parseMicros_seconds() {
    assertEquals(0L, TimeConverter.parseMicros("0"));
    assertEquals(12_000_000L, TimeConverter.parseMicros("12"));
    assertEquals(12_500_000L, TimeConverter.parseMicros("12.5"));
    assertEquals(500_000L, TimeConverter.parseMicros(".5"));
    assertEquals(1_234_567L, TimeConverter.parseMicros(" 1.2345678 "));
  }

  @Test
  void parseMicros_clock() {
    assertEquals(90_000_000L, TimeConverter.parseMicros("01:30"));
    assertEquals(90_250_000L, TimeConverter.parseMicros("00:01:30.250"));
    assertEquals(3_723_000_000L, TimeConverter.parseMicros("1:02:03"));
    assertEquals(36_000_000_000L, TimeConverter.parseMicros("10:00:00"));
  }

  @Test
  void parseMicros_rejectsGarbageNegativeAndOutOfRangeFields() {
    for (final String bad : new String[] {"", "abc", "-1", "1:2:3:4", "00:60", "00:61:00", "1:75", "12s", "1e3"}) {
      final TypeConversionException e = assertThrows(TypeConversionException.class, () -> TimeConverter.parseMicros(bad), bad);
      assertTrue(e.getMessage().contains(bad.trim()), e.getMessage());
    }
  }

  @Test
  void format_roundTrips() {
    assertEquals("00:00.000", TimeConverter.format(0));
    assertEquals("01:30.250", TimeConverter.format(90_250_000L));
    assertEquals("1:02:03.000", TimeConverter.format(3_723_000_000L));
    assertEquals("?", TimeConverter.format(-1));
    assertEquals(90_250_000L, TimeConverter.parseMicros(TimeConverter.format(90_250_000L)));
  }
}
