package io.vidctx.qa.eval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void shouldReadQuotedCommasQuotesAndLineBreaks() {
    final List<Csv.Row> rows = Csv.parse("\uFEFFa,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,,\"\"\nlast,row,end");
    assertEquals(List.of(
        new Csv.Row(1, List.of("a", "b", "c")),
        new Csv.Row(2, List.of("x, y", "say \"hi\"", "two\nlines")),
        new Csv.Row(5, List.of("1", "", "")),
        new Csv.Row(6, List.of("last", "row", "end"))), rows);
  }

  @Test
  void shouldKeepAQuoteInsideAnUnquotedField() {
    assertEquals(List.of(new Csv.Row(1, List.of("5\" screen", "b"))), Csv.parse("5\" screen,b\n"));
  }

  @Test
  void shouldNameTheLineOfMalformedQuoting() {
    assertEquals("line 2: a quoted field is not closed before the end of the file",
        assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,b\n\"open,\nmore")).getMessage());
    assertEquals("line 1: text after a closing quote ('x'); a quote inside a quoted field must be doubled (\"\")",
        assertThrows(IllegalArgumentException.class, () -> Csv.parse("\"a\"x,b")).getMessage());
  }
}
