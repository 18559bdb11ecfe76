package dev.namu.server.transport;

import io.netty.buffer.ByteBuf;

/**
 * How long an HTTP cache may keep a DNS over HTTPS reply: RFC 8484 5.1, no longer than the smallest
 * TTL of its records, so a cache never serves a record past its TTL. Read from the wire, as the
 * reply is never parsed again; OPT (whose TTL field holds flags) and TSIG are no records to cache.
 */
final class CacheLifetime {
  private static final int TYPE_OPT = 41;
  private static final int TYPE_TSIG = 250;

  private CacheLifetime() {}

  /**
   * The smallest TTL in the reply, in seconds, or 0 when it has no record (an error: for a cache to
   * ask again) or cannot be read.
   */
  static long seconds(ByteBuf reply) {
    int at = reply.readerIndex();
    int end = reply.writerIndex();
    if (end - at < 12) {
      return 0;
    }
    int questions = reply.getUnsignedShort(at + 4);
    int records = reply.getUnsignedShort(at + 6) + reply.getUnsignedShort(at + 8) + reply.getUnsignedShort(at + 10);
    int p = at + 12;
    for (int i = 0; i < questions; i++) {
      p = skipName(reply, p, end);
      if (p < 0) {
        return 0;
      }
      p += 4;
    }
    long min = Long.MAX_VALUE;
    for (int i = 0; i < records; i++) {
      p = skipName(reply, p, end);
      if (p < 0 || p + 10 > end) {
        return 0;
      }
      int type = reply.getUnsignedShort(p);
      long ttl = reply.getUnsignedInt(p + 4);
      if (type != TYPE_OPT && type != TYPE_TSIG) {
        // RFC 2181 8: a TTL with the top bit set is read as zero
        min = Math.min(min, ttl > Integer.MAX_VALUE ? 0 : ttl);
      }
      p += 10 + reply.getUnsignedShort(p + 8);
    }
    return min == Long.MAX_VALUE || p > end ? 0 : min;
  }

  /** The offset after the name at {@code p}, or -1 past the end. */
  private static int skipName(ByteBuf reply, int p, int end) {
    while (p >= 0 && p < end) {
      int length = reply.getUnsignedByte(p);
      if (length == 0) {
        return p + 1;
      }
      if ((length & 0xC0) == 0xC0) {
        return p + 2; // a compression pointer ends the name
      }
      p += 1 + length;
    }
    return -1;
  }
}
