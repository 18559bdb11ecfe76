package dev.namu.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table for people: columns padded to their widest cell, the last one free. */
public final class Table {
  private final List<String[]> rows = new ArrayList<>();

  private Table(String... header) {
    rows.add(header);
  }

  /**
   * Prints one row per item of a JSON array; each column is {@code "HEADER:field"}, the field of each
   * item shown as text ({@code -} when the item has none).
   */
  public static void print(PrintWriter out, JsonNode items, String... columns) {
    String[] header = new String[columns.length];
    String[] fields = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      int colon = columns[i].indexOf(':');
      header[i] = columns[i].substring(0, colon);
      fields[i] = columns[i].substring(colon + 1);
    }
    Table t = new Table(header);
    for (JsonNode item : items) {
      String[] row = new String[fields.length];
      for (int i = 0; i < fields.length; i++) {
        JsonNode cell = item.get(fields[i]);
        row[i] = cell == null || cell.isNull() ? "-" : cell.asText();
      }
      t.rows.add(row);
    }
    t.print(out);
  }

  private void print(PrintWriter out) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols - 1 && i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        b.append(r[i]);
        if (i < r.length - 1) {
          b.append(" ".repeat(width[i] - r[i].length() + 2));
        }
      }
      out.println(b.toString().stripTrailing());
    }
  }
}
