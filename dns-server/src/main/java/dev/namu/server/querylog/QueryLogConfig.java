package dev.namu.server.querylog;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the query log goes and how it is rotated.
 *
 * @param file the log file, {@code -} for standard output, or empty when the log is off
 * @param maxBytes a file this big is renamed FILE.1 (the older ones moving up) and a new one begun
 * @param keep how many renamed files are kept (FILE.1 to FILE.keep); 0 keeps none
 * @param queueCapacity entries waiting for the writer thread; past this they are dropped and
 *     counted, so a slow disk never slows the answers
 */
public record QueryLogConfig(Optional<Path> file, long maxBytes, int keep, int queueCapacity) {
  public static final long DEFAULT_MAX_BYTES = 100L << 20;
  public static final int DEFAULT_KEEP = 5;
  /** About a second of a loaded server's replies: bursts wait, a stalled disk loses entries. */
  public static final int DEFAULT_QUEUE_CAPACITY = 65_536;

  public QueryLogConfig {
    if (maxBytes < 1 || keep < 0 || queueCapacity < 1) {
      throw new IllegalArgumentException("query log: max size, kept files and queue must be positive");
    }
  }

  /** The log off. */
  public static QueryLogConfig off() {
    return new QueryLogConfig(Optional.empty(), DEFAULT_MAX_BYTES, DEFAULT_KEEP, DEFAULT_QUEUE_CAPACITY);
  }

  public boolean enabled() {
    return file.isPresent();
  }

  /** True when the log goes to standard output ({@code --query-log -}). */
  public boolean stdout() {
    return file.map(f -> f.toString().equals("-")).orElse(false);
  }

  /** The same settings with another queue capacity. */
  public QueryLogConfig withQueueCapacity(int capacity) {
    return new QueryLogConfig(file, maxBytes, keep, capacity);
  }
}
