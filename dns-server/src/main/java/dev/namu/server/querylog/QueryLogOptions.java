package dev.namu.server.querylog;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/** namud's flags for the query log, mixed into its command line. */
public final class QueryLogOptions {
  private static final long MIN_MAX_BYTES = 1L << 10;
  private static final long MAX_MAX_BYTES = 1L << 40;
  /** More old files than anyone reads; a typo. */
  private static final int MAX_KEEP = 1000;

  @Option(names = "--query-log", paramLabel = "FILE",
      description = "Write one JSON line per reply to FILE (- for standard output). Default: off.")
  Path file;

  @Option(names = "--query-log-max-size", paramLabel = "SIZE",
      description = "Rotate the query log file at this size: bytes or with k, m or g, 1k to 1024g"
          + " (default 100m).")
  String maxSize;

  @Option(names = "--query-log-keep", paramLabel = "N",
      description = "Rotated query log files to keep (FILE.1 to FILE.N), 0 to 1000 (default 5).")
  Integer keep;

  /** @throws IllegalArgumentException with a one-line message for a bad value */
  public QueryLogConfig toConfig() {
    long bytes = maxSize == null ? QueryLogConfig.DEFAULT_MAX_BYTES : size(maxSize);
    int kept = keep == null ? QueryLogConfig.DEFAULT_KEEP : keep;
    if (kept < 0 || kept > MAX_KEEP) {
      throw new IllegalArgumentException("--query-log-keep " + kept + ": must be 0 to " + MAX_KEEP);
    }
    return new QueryLogConfig(Optional.ofNullable(file), bytes, kept, QueryLogConfig.DEFAULT_QUEUE_CAPACITY);
  }

  /** Bytes, or with a k, m or g suffix (powers of 1024), as namud's other size flags. */
  private static long size(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int shift = t.endsWith("k") ? 10 : t.endsWith("m") ? 20 : t.endsWith("g") ? 30 : 0;
    String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
    long n;
    try {
      n = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--query-log-max-size " + text + ": expected bytes like 100m, 512k or 1048576");
    }
    if (n < 1 || n > (MAX_MAX_BYTES >> shift) || (n << shift) < MIN_MAX_BYTES) {
      throw new IllegalArgumentException("--query-log-max-size " + text + ": must be between 1k and 1024g");
    }
    return n << shift;
  }
}
