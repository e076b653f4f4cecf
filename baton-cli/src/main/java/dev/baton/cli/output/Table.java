package dev.baton.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows printed in aligned columns separated by two spaces; the last column is not padded. The
 * header row, if any, is the first row.
 */
final class Table {

  private static final String GAP = "  ";

  private final int columns;
  private final List<String[]> rows = new ArrayList<>();

  private Table(int columns) {
    this.columns = columns;
  }

  /** A table whose first row is {@code headers}. */
  static Table withHeaders(String... headers) {
    return new Table(headers.length).row(headers);
  }

  /** A table without a header row, e.g. for {@code key: value} pairs. */
  static Table withColumns(int columns) {
    return new Table(columns);
  }

  Table row(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "expected " + columns + " cells but got " + Arrays.toString(cells));
    }
    rows.add(cells.clone());
    return this;
  }

  void print(PrintWriter out) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length())).append(GAP);
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
