package dev.namu.server.querylog;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/** Where the log's lines go: a rotated file, or standard output. */
interface QueryLogSink extends Closeable {

  /** Writes one line (ASCII, without its end). */
  void write(String line) throws IOException;

  void flush() throws IOException;

  /** Opens the sink of a config; on the log's thread, as opening a FIFO waits for its reader. */
  static QueryLogSink open(QueryLogConfig config) throws IOException {
    if (config.stdout()) {
      BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII));
      return new QueryLogSink() {
        @Override
        public void write(String line) throws IOException {
          out.write(line);
          out.write('\n');
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.flush(); // standard output stays open for namud's own log
        }
      };
    }
    return new RotatingFile(config.file().orElseThrow(), config.maxBytes(), config.keep());
  }
}
