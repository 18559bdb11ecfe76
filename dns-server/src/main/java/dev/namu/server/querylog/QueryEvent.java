package dev.namu.server.querylog;

import dev.namu.resolver.UpstreamTrace;
import dev.namu.server.intake.Transport;
import java.net.InetSocketAddress;

/**
 * One reply as the query log records it, taken on the event loop and written by the log's thread.
 * Made with no parsing: the question's name is the reply's bytes, copied as they are.
 *
 * @param epochMillis when the reply was written
 * @param client who asked
 * @param transport how
 * @param opcode the reply's opcode
 * @param rcode the reply's rcode as the client reads it (with OPT's upper bits)
 * @param flags the reply's header bytes 2 and 3 (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode)
 * @param qname the question's name in wire form, never changed once made; null when the reply has
 *     no question
 * @param qtype the question's type (0 without a question)
 * @param source where the reply came from: prepared, zone, cache, resolver or server
 * @param latencyMicros from the packet's arrival to its reply
 * @param size the reply's length in bytes; of a zone transfer, all its messages'
 * @param upstream the resolution's trace, read by the log's thread once the reply is written; null
 *     for a reply no traced resolution made
 * @param messages the messages of the reply: 1, or more for a zone transfer (one line for the
 *     whole transfer, as Knot and BIND log one)
 */
public record QueryEvent(
    long epochMillis,
    InetSocketAddress client,
    Transport transport,
    int opcode,
    int rcode,
    int flags,
    byte[] qname,
    int qtype,
    String source,
    long latencyMicros,
    long size,
    UpstreamTrace upstream,
    int messages) {

  /** A reply of one message. */
  public QueryEvent(long epochMillis, InetSocketAddress client, Transport transport, int opcode, int rcode,
      int flags, byte[] qname, int qtype, String source, long latencyMicros, long size, UpstreamTrace upstream) {
    this(epochMillis, client, transport, opcode, rcode, flags, qname, qtype, source, latencyMicros, size, upstream, 1);
  }

  /** A reply that no traced resolution made. */
  public QueryEvent(long epochMillis, InetSocketAddress client, Transport transport, int opcode, int rcode,
      int flags, byte[] qname, int qtype, String source, long latencyMicros, long size) {
    this(epochMillis, client, transport, opcode, rcode, flags, qname, qtype, source, latencyMicros, size, null, 1);
  }
}
