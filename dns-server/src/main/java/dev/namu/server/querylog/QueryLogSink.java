package dev.namu.server.querylog;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Where the log's lines go: a rotated file, or standard output. */
interface QueryLogSink extends Closeable {

  /** Writes one line (ASCII, without its end). */
  void write(String line) throws IOException;

  void flush() throws IOException;

  /** Opens the sink of a config; on the log's thread, as opening a FIFO waits for its reader. */
  static QueryLogSink open(QueryLogConfig config) throws IOException {
    if (config.stdout()) {
      return new StandardOutput();
    }
    return new RotatingFile(config.file().orElseThrow(), config.maxBytes(), config.keep());
  }

  /**
   * Standard output, which namud's own log shares: lines are handed to it whole, a batch in one
   * write (PrintStream's writes are atomic), so a log event never lands inside a query line.
   */
  final class StandardOutput implements QueryLogSink {
    private static final int BATCH = 8192;
    private final PrintStream out = System.out;
    private final StringBuilder batch = new StringBuilder(BATCH + 512);

    @Override
    public void write(String line) {
      batch.append(line).append('\n');
      if (batch.length() >= BATCH) {
        flush();
      }
    }

    @Override
    public void flush() {
      byte[] bytes = batch.toString().getBytes(StandardCharsets.US_ASCII);
      batch.setLength(0);
      out.write(bytes, 0, bytes.length);
      out.flush();
    }

    @Override
    public void close() {
      flush(); // standard output itself stays open for namud's own log
    }
  }
}
