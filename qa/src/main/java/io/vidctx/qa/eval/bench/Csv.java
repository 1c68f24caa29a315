package io.vidctx.qa.eval.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 comma-separated values: fields in double quotes may hold commas, line breaks and doubled
 * quotes; CRLF or LF line ends; blank lines are skipped. A quote inside an unquoted field is kept as
 * text (as pandas and spreadsheets read it); text after a closing quote is an error.
 */
final class Csv {

  /** One record and the line it starts on (1-based), for messages. */
  record Row(int line, List<String> fields) {
    Row {
      fields = List.copyOf(fields);
    }
  }

  private Csv() {}

  /**
   * The records of {@code text}, the header included.
   *
   * @throws IllegalArgumentException a quoted field not closed, or text after a closing quote; the
   *     message names the line
   */
  static List<Row> parse(final String text) {
    final List<Row> rows = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    final StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean closed = false;
    boolean wasQuoted = false;
    int line = 1;
    int rowLine = 1;
    final int n = text.length();
    for (int i = text.startsWith("\uFEFF") ? 1 : 0; i < n; i++) {
      final char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < n && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
            closed = true;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        closed = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (!fields.isEmpty() || field.length() > 0 || wasQuoted) {
          fields.add(field.toString());
          rows.add(new Row(rowLine, fields));
        }
        fields = new ArrayList<>();
        field.setLength(0);
        closed = false;
        wasQuoted = false;
        line++;
        rowLine = line;
      } else if (closed) {
        throw new IllegalArgumentException("line " + line + ": text after a closing quote ('" + c
            + "'); a quote inside a quoted field must be doubled (\"\")");
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
        wasQuoted = true;
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("line " + rowLine + ": a quoted field is not closed before the end of the file");
    }
    if (!fields.isEmpty() || field.length() > 0 || wasQuoted) {
      fields.add(field.toString());
      rows.add(new Row(rowLine, fields));
    }
    return rows;
  }
}
