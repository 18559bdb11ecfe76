package dev.namu.server.sources;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lines of a hosts or lease file, bounded: at most {@link #MAX_BYTES} are read and at most
 * {@link #MAX_LINES} lines kept, so a huge or runaway file costs a bounded amount of memory and
 * time (the rest is left out, with a warning); a line longer than {@link #MAX_LINE} is skipped.
 */
final class SourceLines {
  private static final Logger log = LoggerFactory.getLogger(SourceLines.class);

  /** Most bytes read of one file: far above a LAN's hosts file or lease file. */
  static final long MAX_BYTES = 16L * 1024 * 1024;
  /** Most lines kept of one file. */
  static final int MAX_LINES = 100_000;
  /** Longest line taken (a hosts line or lease is well under 1 KiB). */
  static final int MAX_LINE = 4096;

  private SourceLines() {}

  /** The lines, numbered from 1 by their index + 1; a skipped line is kept as null. */
  static List<String> read(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // a FIFO waits for a writer (and with it the start of namud), a device may never end
      throw new IOException("not a regular file (a device or a FIFO); a hosts or lease file must be a regular file");
    }
    try (InputStream in = Files.newInputStream(file);
        BufferedReader r = new BufferedReader(new InputStreamReader(
            new java.io.FilterInputStream(in) {
              private long left = MAX_BYTES;

              @Override
              public int read() throws IOException {
                return left-- <= 0 ? -1 : super.read();
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                  return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                left -= Math.max(n, 0);
                return n;
              }
            }, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (lines.size() == MAX_LINES) {
          log.warn("{}: only the first {} lines are read", file, MAX_LINES);
          break;
        }
        if (line.length() > MAX_LINE) {
          log.warn("{} line {}: longer than {} characters, skipped", file, lines.size() + 1, MAX_LINE);
          line = null;
        }
        lines.add(line);
      }
    }
    if (Files.size(file) > MAX_BYTES) {
      log.warn("{}: only the first {} bytes are read", file, MAX_BYTES);
    }
    return lines;
  }

  /** A line as a warning shows it: at most 80 characters. */
  static String shown(String line) {
    return line.length() <= 80 ? line : line.substring(0, 80) + "...";
  }
}
