package io.vidctx.samples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a header row; numeric-looking cells are right-aligned. */
public final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public TextTable(final String... header) {
    this.header = List.of(header);
  }

  public TextTable row(final String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, the header " + header.size());
    }
    rows.add(List.of(cells));
    return this;
  }

  public void print(final PrintWriter out) {
    final int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      for (final List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    printRow(out, header, widths, false);
    for (final List<String> row : rows) {
      printRow(out, row, widths, true);
    }
    out.flush();
  }

  private static void printRow(final PrintWriter out, final List<String> cells, final int[] widths, final boolean align) {
    final StringBuilder sb = new StringBuilder();
    for (int c = 0; c < widths.length; c++) {
      final String cell = cells.get(c);
      final String pad = " ".repeat(widths[c] - cell.length());
      final boolean right = align && c > 0 && looksNumeric(cell);
      sb.append(right ? pad + cell : cell + (c == widths.length - 1 ? "" : pad));
      if (c < widths.length - 1) {
        sb.append("  ");
      }
    }
    out.println(sb.toString().stripTrailing());
  }

  private static boolean looksNumeric(final String s) {
    return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.equals("?") || s.equals("-"));
  }
}
