package dev.namu.server.ratelimit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A limited reply "slipped": its header and question only, TC set, no records (RRL's slip, as
 * NSD and BIND send it). A real client behind the limited prefix retries over TCP, which is never
 * limited; a spoofed victim gets a packet no bigger than the query that caused it.
 */
public final class Slip {
  private static final int HEADER = 12;
  private static final int TC = 0x02;

  private Slip() {}

  /** The slipped copy of {@code reply} (which is left as it is), or null when it has no question. */
  public static ByteBuf of(ByteBuf reply, ByteBufAllocator alloc) {
    int base = reply.readerIndex();
    int end = reply.writerIndex();
    if (end - base < HEADER || reply.getUnsignedShort(base + 4) != 1) {
      return null;
    }
    int p = base + HEADER;
    while (p < end) {
      int len = reply.getUnsignedByte(p);
      if (len == 0) {
        p++;
        break;
      }
      if ((len & 0xC0) != 0) {
        // our replies write the question uncompressed; anything else is not worth a slip
        return null;
      }
      p += 1 + len;
    }
    int length = p + 4 - base;
    if (p + 4 > end) {
      return null;
    }
    ByteBuf out = alloc.buffer(length);
    out.writeBytes(reply, base, length);
    out.setByte(2, out.getByte(2) | TC);
    out.setShort(6, 0);
    out.setShort(8, 0);
    out.setShort(10, 0);
    return out;
  }
}
