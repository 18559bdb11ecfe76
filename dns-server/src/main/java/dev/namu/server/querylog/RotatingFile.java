package dev.namu.server.querylog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A log file that namud rotates itself, as services without logrotate do: before a line would take
 * it past its size, FILE is renamed FILE.1, FILE.1 FILE.2 and so on up to the files kept (the
 * oldest deleted), and a new FILE begun. A line is never split across files.
 */
final class RotatingFile implements QueryLogSink {
  /** Bytes gathered before a write to the file: a busy log writes megabytes a second, in few calls. */
  private static final int BUFFER = 1 << 16;

  private final Path file;
  private final long maxBytes;
  private final int keep;
  private BufferedOutputStream out;
  private long size;

  RotatingFile(Path file, long maxBytes, int keep) throws IOException {
    this.file = file;
    this.maxBytes = maxBytes;
    this.keep = keep;
    open(StandardOpenOption.APPEND);
  }

  private void open(StandardOpenOption mode) throws IOException {
    out = new BufferedOutputStream(Files.newOutputStream(file,
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode), BUFFER);
    size = Files.isRegularFile(file) ? Files.size(file) : 0;
  }

  @Override
  public void write(byte[] line, int length) throws IOException {
    long n = length + 1L;
    if (size > 0 && size + n > maxBytes && Files.isRegularFile(file)) {
      rotate();
    }
    out.write(line, 0, length);
    out.write('\n');
    size += n;
  }

  private void rotate() throws IOException {
    out.close();
    if (keep == 0) {
      Files.deleteIfExists(file);
    } else {
      Files.deleteIfExists(numbered(keep));
      for (int i = keep - 1; i >= 1; i--) {
        if (Files.exists(numbered(i))) {
          Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    }
    open(StandardOpenOption.TRUNCATE_EXISTING);
  }

  private Path numbered(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
