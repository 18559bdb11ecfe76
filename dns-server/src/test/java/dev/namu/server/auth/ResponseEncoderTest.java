package dev.namu.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.intake.Request;
import dev.namu.server.intake.RequestDecoder;
import dev.namu.server.intake.Transport;
import dev.namu.server.intake.WireHeader;
import dev.namu.zones.lookup.AuthoritativeAnswer;
import dev.namu.zones.registry.ZoneSet;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

class ResponseEncoderTest {
  private final ResponseBuilder builder = new ResponseBuilder();
  private final ResponseEncoder encoder = new ResponseEncoder();

  private static Request request(Message q, Transport t) {
    return ((RequestDecoder.Decoded)
            new RequestDecoder()
                .decode(q.toWire(), t, new InetSocketAddress("127.0.0.1", 1), ZoneSet.empty()))
        .request();
  }

  private static RRset addresses(String owner, int n) {
    RRset set = new RRset();
    for (int i = 0; i < n; i++) {
      set.addRR(new ARecord(Name.fromConstantString(owner), DClass.IN, 60, new byte[] {10, 0, 0, (byte) i}));
    }
    return set;
  }

  @Test
  void referralWhoseGlueDoesNotFitIsTruncated() {
    Name cut = Name.fromConstantString("sub.example.");
    RRset ns = new RRset();
    List<RRset> glue = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Name host = Name.fromConstantString("ns" + i + ".sub.example.");
      ns.addRR(new NSRecord(cut, DClass.IN, 60, host));
      glue.add(new RRset(new ARecord(host, DClass.IN, 60, new byte[] {10, 0, 0, (byte) i})));
    }
    AuthoritativeAnswer referral =
        new AuthoritativeAnswer(Rcode.NOERROR, false, List.of(), List.of(ns), glue);
    Request r = request(DnsWire.query("www.sub.example.", Type.A), Transport.UDP);
    byte[] wire = encoder.encode(builder.answer(r, referral), r);
    assertTrue(wire.length <= 512);
    assertTrue((wire[2] & WireHeader.TC) != 0, "RFC 9471: glue left out means TC");
  }

  @Test
  void aSignedReferralMissingOneGlueRecordIsTruncated() throws Exception {
    // the TSIG counts in ARCOUNT: with exactly one glue record left out, ARCOUNT equals the glue
    // RRsets asked for, and only knowing the reply is signed tells the encoder one is missing
    TSIG key = new TSIG(TSIG.HMAC_SHA256, Name.fromConstantString("k."), new byte[32]);
    boolean found = false;
    for (int n = 1; n <= 40 && !found; n++) {
      Name cut = Name.fromConstantString("sub.example.");
      RRset ns = new RRset();
      List<RRset> glue = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        Name host = Name.fromConstantString("ns" + i + ".sub.example.");
        ns.addRR(new NSRecord(cut, DClass.IN, 60, host));
        glue.add(new RRset(new ARecord(host, DClass.IN, 60, new byte[] {10, 0, 0, (byte) i})));
      }
      Message q = DnsWire.query("www.sub.example.", Type.A);
      q.setTSIG(key);
      Request r = request(q, Transport.UDP);
      Message reply = builder.answer(r, new AuthoritativeAnswer(Rcode.NOERROR, false, List.of(), List.of(ns), glue));
      reply.setTSIG(key, Rcode.NOERROR, r.query().getTSIG());
      byte[] wire = encoder.encode(reply, r, true);
      long glueWritten = new Message(wire).getSection(Section.ADDITIONAL).stream()
          .filter(x -> x.getType() == Type.A).count();
      if (glueWritten == n - 1) {
        found = true;
        assertTrue((wire[2] & WireHeader.TC) != 0, "RFC 9471: one glue record left out means TC, signed or not");
      }
    }
    assertTrue(found, "a referral with exactly one glue record left out was built");
  }

  @Test
  void additionalThatDoesNotFitIsDroppedWithoutTc() throws Exception {
    RRset mx = new RRset(new MXRecord(Name.fromConstantString("example."), DClass.IN, 60, 10,
        Name.fromConstantString("mail.example.")));
    AuthoritativeAnswer answer =
        new AuthoritativeAnswer(Rcode.NOERROR, true, List.of(mx), List.of(), List.of(addresses("mail.example.", 60)));
    Request r = request(DnsWire.query("example.", Type.MX), Transport.UDP);
    byte[] wire = encoder.encode(builder.answer(r, answer), r);
    Message m = new Message(wire);
    assertFalse(m.getHeader().getFlag(org.xbill.DNS.Flags.TC), "RFC 2181 9: no TC for additional data");
    assertEquals(1, m.getSection(Section.ANSWER).size());
    assertTrue(m.getSection(Section.ADDITIONAL).isEmpty(), "the address RRset is left out whole");
  }

  @Test
  void truncationKeepsWholeRrsetsAndTheOpt() throws Exception {
    AuthoritativeAnswer answer =
        new AuthoritativeAnswer(
            Rcode.NOERROR, true,
            List.of(addresses("a.example.", 10), cname(), addresses("b.example.", 200)),
            List.of(), List.of());
    Request r = request(DnsWire.queryEdns("a.example.", Type.A, 1232, false), Transport.UDP);
    Message m = new Message(encoder.encode(builder.answer(r, answer), r));
    assertTrue(m.getHeader().getFlag(org.xbill.DNS.Flags.TC));
    assertEquals(11, m.getSection(Section.ANSWER).size(), "the first two RRsets, not part of the third");
    assertEquals(1232, m.getOPT().getPayloadSize());
  }

  private static RRset cname() {
    return new RRset(new org.xbill.DNS.CNAMERecord(Name.fromConstantString("c.example."), DClass.IN, 60,
        Name.fromConstantString("b.example.")));
  }
}
