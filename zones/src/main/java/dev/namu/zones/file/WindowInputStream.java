package dev.namu.zones.file;

import java.io.InputStream;

/**
 * An input stream over a part of a byte array that can be moved: one dnsjava Tokenizer reads
 * one entry of a zone file after another, each ending in end-of-file, without a new tokenizer
 * (and its buffers) per entry.
 */
final class WindowInputStream extends InputStream {

  private byte[] bytes = new byte[0];
  private int pos;
  private int limit;

  /** Makes the stream read {@code bytes[from, to)} next. */
  void window(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    pos = from;
    limit = to;
  }

  @Override
  public int read() {
    return pos < limit ? bytes[pos++] & 0xFF : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (pos >= limit) {
      return -1;
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(bytes, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return limit - pos;
  }
}
