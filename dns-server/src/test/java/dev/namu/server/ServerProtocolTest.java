package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * namud over real UDP and TCP sockets on loopback: header triage, EDNS, error rcodes, TCP framing,
 * pipelining, idle timeout and connection limit, and survival of garbage.
 */
class ServerProtocolTest {
  @TempDir static Path zonesDir;
  static NamudServer server;
  static InetSocketAddress address;

  @BeforeAll
  static void start() throws IOException {
    server = TestZones.serve(zonesDir, "--tcp-idle-timeout", "0.5");
    address = server.boundAddresses().get(0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void boundAddressHasOnePortForUdpAndTcp() throws IOException {
    assertEquals(1, server.boundAddresses().size());
    assertTrue(address.getPort() > 0);
    Message q = DnsWire.query("www.example.org.", Type.A);
    assertEquals(Rcode.REFUSED, DnsWire.udp(address, q).getRcode());
    assertEquals(Rcode.REFUSED, DnsWire.tcp(address, q).getRcode());
  }

  @Test
  void nameInNoServedZoneIsRefusedWithQuestionAndRdCopied() throws IOException {
    Message q = DnsWire.query("www.example.org.", Type.A);
    for (Message r : new Message[] {DnsWire.udp(address, q), DnsWire.tcp(address, q)}) {
      assertEquals(q.getHeader().getID(), r.getHeader().getID());
      assertEquals(Rcode.REFUSED, r.getRcode());
      assertTrue(r.getHeader().getFlag(Flags.QR));
      assertFalse(r.getHeader().getFlag(Flags.AA));
      assertTrue(r.getHeader().getFlag(Flags.RD));
      assertEquals(q.getQuestion(), r.getQuestion());
      assertNull(r.getOPT(), "no OPT in a reply to a query without one");
    }
  }

  @Test
  void optIsEchoedWithOurPayloadSizeAndTheDoBit() throws IOException {
    Message r = DnsWire.udp(address, DnsWire.queryEdns("www.example.org.", Type.A, 4096, true));
    OPTRecord opt = r.getOPT();
    assertNotNull(opt);
    assertEquals(1232, opt.getPayloadSize());
    assertEquals(0, opt.getVersion());
    assertEquals(ExtendedFlags.DO, opt.getFlags() & ExtendedFlags.DO);
    Message r2 = DnsWire.udp(address, DnsWire.queryEdns("www.example.org.", Type.A, 512, false));
    assertEquals(0, r2.getOPT().getFlags() & ExtendedFlags.DO);
  }

  @Test
  void ednsVersionAboveZeroGetsBadvers() throws IOException {
    Message q = DnsWire.query("www.example.test.", Type.A);
    q.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    Message r = DnsWire.udp(address, q);
    assertEquals(Rcode.BADVERS, r.getRcode());
    assertNotNull(r.getOPT());
    assertEquals(0, r.getOPT().getVersion());
    assertEquals(q.getHeader().getID(), r.getHeader().getID());
    assertTrue(r.getSection(Section.ANSWER).isEmpty());
  }

  @Test
  void twoOptRecordsGetFormerr() throws IOException {
    Message q = DnsWire.query("www.example.test.", Type.A);
    q.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    q.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    Message r = DnsWire.udp(address, q);
    assertEquals(Rcode.FORMERR, r.getRcode());
    assertEquals(q.getHeader().getID(), r.getHeader().getID());
    assertEquals(q.getQuestion(), r.getQuestion());
  }

  @Test
  void optWithNonRootOwnerGetsFormerr() throws IOException {
    byte[] q = DnsWire.queryEdns("www.example.test.", Type.A, 1232, false).toWire();
    // the OPT is the last 11 bytes; give it the owner "a." instead of the root
    byte[] bad = new byte[q.length + 2];
    System.arraycopy(q, 0, bad, 0, q.length - 11);
    bad[q.length - 11] = 1;
    bad[q.length - 10] = 'a';
    System.arraycopy(q, q.length - 11, bad, q.length - 9, 11);
    Message r = new Message(DnsWire.udp(address, bad));
    assertEquals(Rcode.FORMERR, r.getRcode());
  }

  @Test
  void unknownOpcodesGetNotimp() throws IOException {
    // UPDATE (5) is served since live editing (dev.namu.server.update); see UpdateInteropTest.
    for (int opcode : new int[] {Opcode.IQUERY, Opcode.STATUS, 3, Opcode.NOTIFY, 15}) {
      Message q = DnsWire.query("www.example.test.", Type.A);
      q.getHeader().setOpcode(opcode);
      Message r = DnsWire.udp(address, q);
      assertEquals(Rcode.NOTIMP, r.getRcode(), "opcode " + opcode);
      assertEquals(q.getHeader().getID(), r.getHeader().getID());
      assertEquals(opcode, r.getHeader().getOpcode());
      assertTrue(r.getHeader().getFlag(Flags.QR));
      assertEquals(q.getQuestion(), r.getQuestion());
      assertNull(r.getOPT());
    }
    Message withOpt = DnsWire.queryEdns("www.example.test.", Type.A, 1232, true);
    withOpt.getHeader().setOpcode(Opcode.STATUS);
    Message r = DnsWire.udp(address, withOpt);
    assertEquals(Rcode.NOTIMP, r.getRcode());
    assertNotNull(r.getOPT(), "RFC 6891 6.1.1: OPT in the reply to a query with one");
    assertEquals(ExtendedFlags.DO, r.getOPT().getFlags() & ExtendedFlags.DO);
  }

  @Test
  void notimpForAnotherOpcodeClearsEveryFlagButQr() throws IOException {
    byte[] parsable = DnsWire.query("www.example.test.", Type.A).toWire();
    // a header alone, then the same with a question that parses and a body that does not
    byte[] garbled = Arrays.copyOf(parsable, parsable.length + 3);
    for (byte[] q : new byte[][] {Arrays.copyOf(parsable, 12), parsable, garbled}) {
      // opcode 15 and every flag a query can carry: AA TC RD, RA Z AD CD
      q[2] = (byte) ((15 << 3) | 0x07);
      q[3] = (byte) 0xF0;
      byte[] overUdp = DnsWire.udp(address, q);
      byte[] overTcp;
      try (Socket s = new Socket(address.getAddress(), address.getPort())) {
        s.setSoTimeout(DnsWire.TCP_TIMEOUT_MS);
        DnsWire.writeFrame(s, q);
        overTcp = DnsWire.readFrame(s);
      }
      for (byte[] r : new byte[][] {overUdp, overTcp}) {
        assertNotNull(r, "a reply to opcode 15");
        assertEquals(q[0], r[0]);
        assertEquals(q[1], r[1]);
        assertEquals((byte) (0x80 | (15 << 3)), r[2], "qr and the opcode alone: no AA, TC, RD");
        assertEquals((byte) Rcode.NOTIMP, r[3], "NOTIMP alone: no RA, Z, AD, CD");
      }
    }
  }

  @Test
  void zeroOrTwoQuestionsGetFormerr() throws IOException {
    Message none = new Message(4321);
    assertEquals(Rcode.FORMERR, DnsWire.udp(address, none).getRcode());
    assertEquals(4321, DnsWire.udp(address, none).getHeader().getID());
    Message two = DnsWire.query("www.example.test.", Type.A);
    two.addRecord(Record.newRecord(Name.fromConstantString("ns1.example.test."), Type.A, DClass.IN), Section.QUESTION);
    Message r = DnsWire.udp(address, two);
    assertEquals(Rcode.FORMERR, r.getRcode());
    assertEquals(two.getHeader().getID(), r.getHeader().getID());
    assertEquals(Rcode.FORMERR, DnsWire.tcp(address, two).getRcode());
  }

  @Test
  void unparsableQueryGetsFormerrWithItsId() throws IOException {
    byte[] q = DnsWire.query("www.example.test.", Type.A).toWire();
    byte[] cut = Arrays.copyOf(q, 20); // header says one question, the name is cut short
    Message r = new Message(DnsWire.udp(address, cut));
    assertEquals(Rcode.FORMERR, r.getRcode());
    assertEquals(WireId.of(q), r.getHeader().getID());
  }

  @Test
  void runtsAndResponsesGetNoReplyAndTheServerGoesOn() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address.getAddress(), 0))) {
      s.setSoTimeout(DnsWire.TIMEOUT_MS);
      for (int len = 0; len < 12; len++) {
        byte[] runt = new byte[len];
        Arrays.fill(runt, (byte) 0x11);
        s.send(new DatagramPacket(runt, len, address));
      }
      Message response = DnsWire.query("www.example.org.", Type.A);
      response.getHeader().setFlag(Flags.QR);
      response.getHeader().setID(7);
      byte[] r = response.toWire();
      s.send(new DatagramPacket(r, r.length, address));
      Message valid = DnsWire.query("www.example.org.", Type.A);
      valid.getHeader().setID(8);
      byte[] v = valid.toWire();
      s.send(new DatagramPacket(v, v.length, address));
      byte[] buf = new byte[4096];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      // the first and only reply is the valid query's: runts and the response got none
      assertEquals(8, new Message(Arrays.copyOf(buf, p.getLength())).getHeader().getID());
      s.setSoTimeout(200);
      assertThrowsTimeout(s);
    }
  }

  @Test
  void garbageNeverStopsTheServer() throws IOException {
    Random random = new Random(20240101L);
    byte[] valid = DnsWire.query("www.example.org.", Type.A).toWire();
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address.getAddress(), 0))) {
      for (int i = 0; i < 1500; i++) {
        byte[] junk;
        if (i % 3 == 0) {
          // a valid query with a few bytes flipped after the ID
          junk = valid.clone();
          for (int k = 0; k < 3; k++) {
            junk[2 + random.nextInt(junk.length - 2)] = (byte) random.nextInt(256);
          }
        } else {
          junk = new byte[random.nextInt(300)];
          random.nextBytes(junk);
          if (junk.length > 2) {
            junk[2] &= 0x7f; // mostly queries, so they get past triage
          }
        }
        s.send(new DatagramPacket(junk, junk.length, address));
      }
    }
    try (Socket t = new Socket(address.getAddress(), address.getPort())) {
      t.setSoTimeout(DnsWire.TCP_TIMEOUT_MS);
      for (int i = 0; i < 50; i++) {
        byte[] junk = new byte[random.nextInt(200)];
        random.nextBytes(junk);
        DnsWire.writeFrame(t, junk);
      }
      // the connection survives garbage frames: a valid query on it is still answered
      Message q = DnsWire.query("www.example.org.", Type.A);
      q.getHeader().setID(31337);
      DnsWire.writeFrame(t, q.toWire());
      boolean answered = false;
      for (int i = 0; i < 51 && !answered; i++) {
        Message r = new Message(DnsWire.readFrame(t));
        answered = r.getHeader().getID() == 31337 && r.getRcode() == Rcode.REFUSED;
      }
      assertTrue(answered, "valid query on the same connection answered after garbage");
    }
    Message q = DnsWire.query("www.example.org.", Type.A);
    // UDP may lose a datagram after a flood, as clients know: DnsWire tries three times, as they do
    byte[] reply = DnsWire.udp(address, q.toWire());
    assertNotNull(reply, "answered over UDP after the garbage");
    assertEquals(Rcode.REFUSED, new Message(reply).getRcode());
    assertEquals(Rcode.REFUSED, DnsWire.tcp(address, q).getRcode());
    assertEquals(0, server.counters().internalErrorCount(), "no internal error on garbage");
  }

  @Test
  void tcpPipelinedQueriesAllGetAnswers() throws IOException {
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.setSoTimeout(DnsWire.TCP_TIMEOUT_MS);
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        Message q = DnsWire.query("host" + i + ".example.org.", Type.A);
        q.getHeader().setID(1000 + i);
        ids.add(1000 + i);
        byte[] w = q.toWire();
        all.write(w.length >> 8);
        all.write(w.length & 0xff);
        all.write(w);
      }
      OutputStream out = s.getOutputStream();
      out.write(all.toByteArray()); // three queries in one segment
      out.flush();
      Set<Integer> got = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        Message r = new Message(DnsWire.readFrame(s));
        got.add(r.getHeader().getID());
        assertEquals(Rcode.REFUSED, r.getRcode());
      }
      assertEquals(ids, got);
    }
  }

  @Test
  void tcpFramesMayArriveInPiecesOrBeAsLargeAs65535() throws IOException {
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.setSoTimeout(DnsWire.TCP_TIMEOUT_MS);
      s.setTcpNoDelay(true);
      Message q = DnsWire.query("www.example.org.", Type.A);
      byte[] w = q.toWire();
      OutputStream out = s.getOutputStream();
      byte[] framed = new byte[w.length + 2];
      framed[0] = (byte) (w.length >> 8);
      framed[1] = (byte) w.length;
      System.arraycopy(w, 0, framed, 2, w.length);
      for (byte b : framed) {
        out.write(b); // one byte per segment
        out.flush();
      }
      assertEquals(q.getHeader().getID(), new Message(DnsWire.readFrame(s)).getHeader().getID());
      // the largest frame TCP can carry: a query padded to 65535 bytes (RFC 7830 padding option)
      Message big = DnsWire.query("www.example.org.", Type.A);
      int padding = 65535 - w.length - 11 - 4;
      big.addRecord(
          new OPTRecord(1232, 0, 0, 0, java.util.List.of(new org.xbill.DNS.GenericEDNSOption(12, new byte[padding]))),
          Section.ADDITIONAL);
      byte[] bw = big.toWire();
      assertEquals(65535, bw.length);
      DnsWire.writeFrame(s, bw);
      Message r = new Message(DnsWire.readFrame(s));
      assertEquals(big.getHeader().getID(), r.getHeader().getID());
      assertEquals(Rcode.REFUSED, r.getRcode());
    }
  }

  @Test
  void questionsNoZoneAnswersAreSettledEarly() throws IOException {
    Message chaos = Message.newQuery(
        Record.newRecord(Name.fromConstantString("version.bind."), Type.TXT, DClass.CH));
    assertEquals(Rcode.REFUSED, DnsWire.udp(address, chaos).getRcode(), "class CH is not served");
    Message axfr = DnsWire.query("example.test.", Type.AXFR);
    assertEquals(Rcode.REFUSED, DnsWire.tcp(address, axfr).getRcode(), "no zone transfers yet");
    assertEquals(Rcode.NOTIMP, DnsWire.udp(address, axfr).getRcode(), "AXFR is TCP only");
    Message belowApex = DnsWire.query("www.example.test.", Type.AXFR);
    assertEquals(Rcode.NOTAUTH, DnsWire.tcp(address, belowApex).getRcode(), "no zone's apex");
  }

  @Test
  void metaTypesGetNoDataAsNsdAndKnotAnswer() throws IOException {
    for (int type : new int[] {Type.OPT, Type.TSIG, Type.TKEY, Type.MAILA, Type.MAILB}) {
      Message r = DnsWire.udp(address, DnsWire.query("example.test.", type));
      assertEquals(Rcode.NOERROR, r.getRcode(), Type.string(type));
      assertTrue(r.getHeader().getFlag(Flags.AA), Type.string(type));
      assertEquals(0, r.getSection(Section.ANSWER).size(), Type.string(type));
      assertEquals(Type.SOA, r.getSection(Section.AUTHORITY).get(0).getType(), Type.string(type));
    }
  }

  @Test
  void cdIsCopiedAndRaIsNotOffered() throws IOException {
    Message q = DnsWire.query("www.example.test.", Type.A);
    q.getHeader().setFlag(Flags.CD);
    Message r = DnsWire.udp(address, q);
    assertTrue(r.getHeader().getFlag(Flags.CD));
    assertFalse(r.getHeader().getFlag(Flags.RA));
    assertFalse(r.getHeader().getFlag(Flags.AD));
  }

  @Test
  void closingTheServerEndsOpenConnectionsCleanly(@TempDir Path dir) throws IOException {
    NamudServer own = TestZones.serve(dir);
    InetSocketAddress a = own.boundAddresses().get(0);
    try (Socket s = new Socket(a.getAddress(), a.getPort())) {
      s.setSoTimeout(DnsWire.TCP_TIMEOUT_MS);
      Message q = DnsWire.query("www.example.org.", Type.A);
      DnsWire.writeFrame(s, q.toWire());
      assertEquals(Rcode.REFUSED, new Message(DnsWire.readFrame(s)).getRcode());
      own.close();
      // after the answers, the connection just ends: no stray bytes, no empty frame
      assertEquals(-1, s.getInputStream().read());
    } finally {
      own.close();
    }
  }

  @Test
  void idleTcpConnectionIsClosed() throws IOException {
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.setSoTimeout(5000);
      long start = System.nanoTime();
      InputStream in = s.getInputStream();
      assertEquals(-1, in.read(), "server closes the idle connection");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms >= 300 && ms < 4000, "closed after the 0.5 s idle timeout, took " + ms + " ms");
    }
  }

  @Test
  void aConnectionPastTheLimitTakesThePlaceOfTheOneIdleLongest(@TempDir Path dir) throws IOException {
    try (NamudServer limited = TestZones.serve(dir, "--tcp-max-connections", "2")) {
      InetSocketAddress a = limited.boundAddresses().get(0);
      Message q = DnsWire.query("www.example.org.", Type.A);
      try (Socket s1 = new Socket(a.getAddress(), a.getPort());
          Socket s2 = new Socket(a.getAddress(), a.getPort())) {
        s1.setSoTimeout(DnsWire.TCP_TIMEOUT_MS);
        s2.setSoTimeout(DnsWire.TCP_TIMEOUT_MS);
        // s2 answered first, so it is the one idle longest when the third connection comes
        DnsWire.writeFrame(s2, q.toWire());
        assertEquals(Rcode.REFUSED, new Message(DnsWire.readFrame(s2)).getRcode());
        DnsWire.writeFrame(s1, q.toWire());
        assertEquals(Rcode.REFUSED, new Message(DnsWire.readFrame(s1)).getRcode());
        try (Socket s3 = new Socket(a.getAddress(), a.getPort())) {
          s3.setSoTimeout(DnsWire.TCP_TIMEOUT_MS);
          DnsWire.writeFrame(s3, q.toWire());
          assertEquals(Rcode.REFUSED, new Message(DnsWire.readFrame(s3)).getRcode(), "third answered");
          int next;
          try {
            next = s2.getInputStream().read();
          } catch (IOException reset) {
            next = -1;
          }
          assertEquals(-1, next, "the connection idle longest was closed to make room");
          DnsWire.writeFrame(s1, q.toWire());
          assertEquals(Rcode.REFUSED, new Message(DnsWire.readFrame(s1)).getRcode(), "the other stays");
        }
      }
    }
  }

  @Test
  void questionCaseIsKeptInTheReply() throws IOException {
    Message q = DnsWire.query("WwW.ExAmPlE.OrG.", Type.A);
    byte[] reply = DnsWire.udp(address, q.toWire());
    byte[] wire = q.toWire();
    // the question name bytes, case included, are the query's
    int nameLen = 1 + 3 + 1 + 7 + 1 + 3 + 1;
    assertArrayEquals(Arrays.copyOfRange(wire, 12, 12 + nameLen), Arrays.copyOfRange(reply, 12, 12 + nameLen));
  }

  @Test
  void ipv6LoopbackIsServedWhenTheHostHasIt(@TempDir Path dir) throws IOException {
    boolean hostHasV6;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("::1", 0))) {
      hostHasV6 = true;
    } catch (IOException e) {
      hostHasV6 = false;
    }
    try (NamudServer both = TestZones.serve(dir, "--listen", "[::1]:0")) {
      assertEquals(hostHasV6 ? 2 : 1, both.boundAddresses().size(), "::1 skipped only when missing");
      for (InetSocketAddress a : both.boundAddresses()) {
        Message q = DnsWire.query("www.example.org.", Type.A);
        assertEquals(Rcode.REFUSED, DnsWire.udp(a, q).getRcode(), "UDP on " + a);
        assertEquals(Rcode.REFUSED, DnsWire.tcp(a, q).getRcode(), "TCP on " + a);
      }
    }
  }

  @Test
  void addressNotOnThisHostFailsWithOneClearReason() {
    // 2001:db8::/32 is for documentation (RFC 3849): never assigned here, so binding fails
    NamudStartException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            NamudStartException.class, () -> Hermetic.start("--listen", "[2001:db8::53]:0"));
    assertEquals(
        "cannot listen on [2001:db8::53]:0 (UDP: address not available on this machine);"
            + " choose another with --listen 127.0.0.1:0",
        e.getMessage());
  }

  private static void assertThrowsTimeout(DatagramSocket s) throws IOException {
    try {
      s.receive(new DatagramPacket(new byte[512], 512));
      throw new AssertionError("unexpected extra reply");
    } catch (SocketTimeoutException expected) {
      // no reply for the dropped packets
    }
  }

  /** The ID field of a wire message. */
  static final class WireId {
    static int of(byte[] m) {
      return ((m[0] & 0xff) << 8) | (m[1] & 0xff);
    }
  }
}
