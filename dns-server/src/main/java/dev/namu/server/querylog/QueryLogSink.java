package dev.namu.server.querylog;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;

/** Where the log's lines go: a rotated file, or standard output. */
interface QueryLogSink extends Closeable {

  /** Writes one line: {@code length} ASCII bytes of {@code line}, without its end. */
  void write(byte[] line, int length) throws IOException;

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
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(BATCH + 512);

    @Override
    public void write(byte[] line, int length) throws IOException {
      batch.write(line, 0, length);
      batch.write('\n');
      if (batch.size() >= BATCH) {
        flush();
      }
    }

    @Override
    public void flush() throws IOException {
      batch.writeTo(out); // one write of the whole batch, no copy
      batch.reset();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      flush(); // standard output itself stays open for namud's own log
    }
  }
}
