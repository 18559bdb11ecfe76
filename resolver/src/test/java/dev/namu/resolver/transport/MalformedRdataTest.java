package dev.namu.resolver.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.scrub.ScrubbedResponse;
import dev.namu.resolver.scrub.Scrubber;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Replies with a record whose RDATA does not fit its type, as a broken or hostile server sends
 * them, over real loopback sockets: the bad records are dropped and the rest of the reply used;
 * a reply whose framing is broken is still not a reply.
 */
class MalformedRdataTest {
  private static final Name QNAME = Name.fromConstantString("www.example.com.");
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) c.close();
  }

  @Test
  void badRecordsAreDroppedAndTheRestOfAUdpReplyKept() throws Exception {
    InetSocketAddress server = udpServer(MalformedRdataTest::replyWithBadRecords);
    Message reply = send(server, UpstreamTransport.Protocol.UDP);
    assertGoodRecordsOnly(reply);
  }

  @Test
  void badRecordsAreDroppedAndTheRestOfATcpReplyKept() throws Exception {
    InetSocketAddress server = tcpServer(MalformedRdataTest::replyWithBadRecords);
    Message reply = send(server, UpstreamTransport.Protocol.TCP);
    assertGoodRecordsOnly(reply);
  }

  @Test
  void aDatagramDnsjavaRefusesWithARuntimeExceptionIsIgnoredAndTheTransportGoesOn() throws Exception {
    // A record of class ANY with a TTL past 2^31-1 (found by fuzzing the scrubber): dnsjava
    // refuses it with InvalidTTLException, a RuntimeException. With the query's ID and from the
    // server asked, it reached the decoder of the receiver every upstream UDP query shares.
    byte[] odd = java.util.HexFormat.of().parseHex(
        "30302800000100080000000006757064617465036e696c00000600010165c00c0001000100303030000430303030c01c7e000001003030300006053030303030c01c007effffff30303000003030300006053030303030c01c0001000100303030000430303030c01c001000010030303000080730303030303030303030");
    InetSocketAddress server = udpServer(id -> {
      byte[] r = odd.clone();
      r[0] = (byte) (id >>> 8);
      r[1] = (byte) id;
      return r;
    });
    NettyUpstreamTransport transport = new NettyUpstreamTransport(1);
    open.add(transport);
    Message q = Message.newQuery(Record.newRecord(QNAME, Type.A, DClass.IN));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> transport.send(server, q, UpstreamTransport.Protocol.UDP, Duration.ofMillis(500)).get(20, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof UpstreamException u && u.kind() == UpstreamException.Kind.TIMEOUT,
        "ignored as any malformed datagram: " + e);
    InetSocketAddress good = udpServer(MalformedRdataTest::replyWithBadRecords);
    Message after = transport.send(good, Message.newQuery(Record.newRecord(QNAME, Type.A, DClass.IN)),
        UpstreamTransport.Protocol.UDP, Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    assertGoodRecordsOnly(after);
  }

  @Test
  void aTtlWithTheTopBitSetIsReadAsZero() throws Exception {
    // RFC 2181 8: a TTL "which has the most significant bit set" is treated "as if the entire
    // value received was zero". dnsjava reads such a TTL but builds no record with it: the CNAME
    // the scrubber makes from a DNAME (RFC 6672 2.2) took the DNAME's TTL and threw.
    long topBit = 0x8000012CL;
    InetSocketAddress server = udpServer(id -> {
      Wire w = new Wire(id, 1, 0, 0);
      w.question();
      w.rr(new byte[] {(byte) 0xc0, 16}, Type.DNAME, topBit, Name.fromConstantString("other.test.").toWire());
      return w.bytes();
    });
    Message reply = send(server, UpstreamTransport.Protocol.UDP);
    assertEquals(List.of(0L), reply.getSection(Section.ANSWER).stream().map(Record::getTTL).toList());
    ScrubbedResponse scrubbed = Scrubber.scrub(reply, QNAME, Type.A, Name.fromConstantString("com."));
    assertEquals(List.of("example.com. DNAME other.test.", "www.example.com. CNAME www.other.test."),
        scrubbed.chain().stream().map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.first().rdataToString())
            .toList());
  }

  @Test
  void aReplyWhoseFramingIsBrokenIsIgnored() throws Exception {
    // RDLENGTH of the last record runs past the end: nothing says where records end, so the
    // datagram is ignored as any malformed one is, and the query times out.
    InetSocketAddress server = udpServer(id -> {
      byte[] wire = replyWithBadRecords(id);
      return java.util.Arrays.copyOf(wire, wire.length - 1);
    });
    ExecutionException e = assertThrows(ExecutionException.class, () -> send(server, UpstreamTransport.Protocol.UDP, Duration.ofMillis(500)));
    assertTrue(e.getCause() instanceof UpstreamException u && u.kind() == UpstreamException.Kind.TIMEOUT, e.toString());
  }

  @Test
  void theFirstRecordMayBeTheBadOne() throws Exception {
    Wire w = new Wire(7, 2, 0, 0);
    w.question();
    w.rr(new byte[] {(byte) 0xc0, 12}, Type.AAAA, new byte[] {1, 2, 3}); // AAAA of 3 bytes
    w.rr(new byte[] {(byte) 0xc0, 12}, Type.AAAA, InetAddress.getByName("2001:db8::1").getAddress());
    Message m = ReplyDecoder.decode(w.bytes());
    assertEquals(List.of("www.example.com. AAAA 2001:db8:0:0:0:0:0:1"), records(m, Section.ANSWER));
    assertEquals(7, m.getHeader().getID());
  }

  @Test
  void aReplyOfBadRecordsOnlyKeepsItsQuestionAndFlags() throws Exception {
    Wire w = new Wire(9, 1, 0, 0);
    w.question();
    w.rr(new byte[] {(byte) 0xc0, 12}, Type.A, new byte[] {1, 2, 3, 4, 5});
    Message m = ReplyDecoder.decode(w.bytes());
    assertEquals(QNAME, m.getQuestion().getName());
    assertEquals(List.of(), records(m, Section.ANSWER));
    assertTrue(m.getHeader().getFlag(org.xbill.DNS.Flags.AA));
  }

  @Test
  void aBadQuestionFailsTheWholeReply() {
    Wire w = new Wire(9, 1, 0, 0);
    w.out.write(new byte[] {3, 'w', 'w', 'w', (byte) 0xc0, 100, 0, 1, 0, 1}, 0, 10); // pointer past the end
    w.rr(new byte[] {(byte) 0xc0, 12}, Type.A, new byte[] {1, 2, 3, 4});
    assertThrows(IOException.class, () -> ReplyDecoder.decode(w.bytes()));
  }

  private Message send(InetSocketAddress server, UpstreamTransport.Protocol protocol) throws Exception {
    return send(server, protocol, Duration.ofSeconds(5));
  }

  private Message send(InetSocketAddress server, UpstreamTransport.Protocol protocol, Duration timeout) throws Exception {
    NettyUpstreamTransport transport = new NettyUpstreamTransport(1);
    open.add(transport);
    Message q = Message.newQuery(Record.newRecord(QNAME, Type.A, DClass.IN));
    return transport.send(server, q, protocol, timeout).get(20, TimeUnit.SECONDS);
  }

  private static void assertGoodRecordsOnly(Message reply) {
    assertEquals(List.of("www.example.com. A 10.20.30.40", "www.example.com. A 10.20.30.41"), records(reply, Section.ANSWER));
    assertEquals(List.of("example.com. NS ns.example.com."), records(reply, Section.AUTHORITY));
    // The good glue's owner is a pointer into the NS record's RDATA, after a bad record.
    assertEquals(List.of("ns.example.com. A 192.0.2.53"), records(reply, Section.ADDITIONAL));
  }

  private static List<String> records(Message m, int section) {
    List<String> out = new ArrayList<>();
    for (Record r : m.getSection(section)) out.add(r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString());
    return out;
  }

  /**
   * www.example.com A: three answers, the middle one of three bytes; the NS of example.com with
   * its target compressed; glue for it of five bytes, then of four. Names are compressed, so
   * each record is only readable with the message around it.
   */
  static byte[] replyWithBadRecords(int id) {
    Wire w = new Wire(id, 3, 1, 2);
    w.question();
    byte[] qname = {(byte) 0xc0, 12};
    w.rr(qname, Type.A, new byte[] {10, 20, 30, 40});
    w.rr(qname, Type.A, new byte[] {1, 2, 3});
    w.rr(qname, Type.A, new byte[] {10, 20, 30, 41});
    int nsTarget = w.rr(new byte[] {(byte) 0xc0, 16}, Type.NS, new byte[] {2, 'n', 's', (byte) 0xc0, 16});
    byte[] ns = {(byte) 0xc0, (byte) nsTarget};
    w.rr(ns, Type.A, new byte[] {(byte) 192, 0, 2, 53, 0});
    w.rr(ns, Type.A, new byte[] {(byte) 192, 0, 2, 53});
    return w.bytes();
  }

  /** A reply written byte by byte: QR and AA set, the question www.example.com/A at offset 12. */
  private static final class Wire {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Wire(int id, int an, int ns, int ar) {
      short16(id);
      short16(0x8400);
      short16(1);
      short16(an);
      short16(ns);
      short16(ar);
    }

    void question() {
      byte[] name = QNAME.toWire(); // offset 12; example.com. at 16
      out.write(name, 0, name.length);
      short16(Type.A);
      short16(DClass.IN);
    }

    /** Writes a record with a TTL of 300; returns the offset of its RDATA. */
    int rr(byte[] owner, int type, byte[] rdata) {
      return rr(owner, type, 300, rdata);
    }

    /** Writes a record; returns the offset of its RDATA. */
    int rr(byte[] owner, int type, long ttl, byte[] rdata) {
      out.write(owner, 0, owner.length);
      short16(type);
      short16(DClass.IN);
      short16((int) (ttl >>> 16));
      short16((int) ttl & 0xffff);
      short16(rdata.length);
      int at = out.size();
      out.write(rdata, 0, rdata.length);
      return at;
    }

    void short16(int v) {
      out.write(v >>> 8);
      out.write(v & 0xff);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  private InetSocketAddress udpServer(IntFunction<byte[]> reply) throws Exception {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    open.add(s);
    daemon(() -> {
      byte[] buf = new byte[4096];
      while (!s.isClosed()) {
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          s.receive(p);
          byte[] r = reply.apply((buf[0] & 0xff) << 8 | (buf[1] & 0xff));
          s.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
        } catch (IOException closed) {
          return;
        }
      }
    });
    return (InetSocketAddress) s.getLocalSocketAddress();
  }

  private InetSocketAddress tcpServer(IntFunction<byte[]> reply) throws Exception {
    ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    open.add(s);
    daemon(() -> {
      while (!s.isClosed()) {
        try (Socket c = s.accept()) {
          DataInputStream in = new DataInputStream(c.getInputStream());
          byte[] query = new byte[in.readUnsignedShort()];
          in.readFully(query);
          byte[] r = reply.apply((query[0] & 0xff) << 8 | (query[1] & 0xff));
          DataOutputStream o = new DataOutputStream(c.getOutputStream());
          o.writeShort(r.length);
          o.write(r);
          o.flush();
        } catch (IOException closed) {
          if (s.isClosed()) return;
        }
      }
    });
    return (InetSocketAddress) s.getLocalSocketAddress();
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "malformed-rdata-server");
    t.setDaemon(true);
    t.start();
  }
}
