package dev.namu.resolver.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ScrubberTest {
  private static Name n(String s) {
    return Name.fromConstantString(s);
  }

  private static Message reply(String qname, int qtype) {
    Message m = new Message(1);
    m.getHeader().setFlag(Flags.QR);
    m.addRecord(Record.newRecord(n(qname), qtype, DClass.IN), Section.QUESTION);
    return m;
  }

  private static ARecord a(String name, String addr) throws Exception {
    return new ARecord(n(name), DClass.IN, 300, InetAddress.getByName(addr));
  }

  @Test
  void signaturesOfACnameWithoutTheCnameAreNoChain() throws Exception {
    Message m = reply("www.example.com.", Type.A);
    // an RRSIG covering CNAME at the question name, and no CNAME: dnsjava makes it an RRset of
    // type CNAME whose first record is the signature
    m.addRecord(new org.xbill.DNS.RRSIGRecord(n("www.example.com."), DClass.IN, 300, Type.CNAME,
        8, 300, java.time.Instant.EPOCH.plusSeconds(2_000_000_000L), java.time.Instant.EPOCH, 1,
        n("example.com."), new byte[] {1, 2, 3}), Section.ANSWER);
    ScrubbedResponse r = Scrubber.scrub(m, n("www.example.com."), Type.A, n("example.com."));
    assertFalse(r.complete());
    assertEquals(List.of(), r.chain());
  }

  @Test
  void outOfBailiwickAnswersAuthorityAndGlueAreDropped() throws Exception {
    Message m = reply("www.example.com.", Type.A);
    m.addRecord(a("www.example.com.", "192.0.2.1"), Section.ANSWER);
    m.addRecord(a("www.bank.test.", "6.6.6.6"), Section.ANSWER);
    m.addRecord(new NSRecord(n("com."), DClass.IN, 300, n("ns.evil.test.")), Section.AUTHORITY);
    m.addRecord(new NSRecord(n("example.com."), DClass.IN, 300, n("ns.example.com.")), Section.AUTHORITY);
    m.addRecord(a("ns.example.com.", "192.0.2.53"), Section.ADDITIONAL);
    m.addRecord(a("ns.evil.test.", "6.6.6.6"), Section.ADDITIONAL);
    ScrubbedResponse r = Scrubber.scrub(m, n("www.example.com."), Type.A, n("example.com."));
    assertTrue(r.complete());
    assertEquals(1, r.chain().size());
    assertEquals(List.of(n("example.com.")), r.authority().stream().map(x -> x.getName()).toList());
    assertEquals(List.of(n("ns.example.com.")), r.additional().stream().map(x -> x.getName()).toList());
    assertTrue(r.droppedNs());
  }

  /** A referral from com. to example.com., whose server is named (and glued) in net. */
  private static Message referralWithGlueOutside(String qname) throws Exception {
    Message m = reply(qname, Type.A);
    m.addRecord(new NSRecord(n("example.com."), DClass.IN, 300, n("ns.example.net.")), Section.AUTHORITY);
    m.addRecord(a("ns.example.net.", "192.0.2.53"), Section.ADDITIONAL);
    m.addRecord(a("www.example.net.", "6.6.6.6"), Section.ADDITIONAL);
    return m;
  }

  @Test
  void glueOutsideTheBailiwickIsKeptOnlyForAReferralWithHardenGlueOff() throws Exception {
    Message referral = referralWithGlueOutside("www.example.com.");
    Name com = n("com.");
    assertEquals(List.of(), Scrubber.scrub(referral, n("www.example.com."), Type.A, com, 20, true).additional());
    assertEquals(List.of(n("ns.example.net.")), Scrubber.scrub(referral, n("www.example.com."), Type.A, com, 20, false)
        .additional().stream().map(x -> x.getName()).toList(), "the NS name's address, not another name's");

    Message answer = referralWithGlueOutside("www.example.com.");
    answer.addRecord(a("www.example.com.", "192.0.2.1"), Section.ANSWER);
    assertEquals(List.of(), Scrubber.scrub(answer, n("www.example.com."), Type.A, com, 20, false).additional(),
        "beside an answer it would only be passed on");
  }

  @Test
  void dataAfterACnameIsNotTakenFromTheSameReply() throws Exception {
    Message m = reply("www.example.com.", Type.A);
    m.addRecord(new CNAMERecord(n("www.example.com."), DClass.IN, 300, n("web.example.com.")), Section.ANSWER);
    m.addRecord(a("web.example.com.", "192.0.2.9"), Section.ANSWER);
    ScrubbedResponse r = Scrubber.scrub(m, n("www.example.com."), Type.A, n("example.com."));
    assertFalse(r.complete());
    assertEquals(n("web.example.com."), r.finalName());
    assertEquals(1, r.chain().size());
  }

  @Test
  void anAuthoritativeChainIsFollowedInsideTheBailiwickOnly() throws Exception {
    Message m = reply("www.example.com.", Type.A);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(new CNAMERecord(n("www.example.com."), DClass.IN, 300, n("web.example.com.")), Section.ANSWER);
    m.addRecord(new CNAMERecord(n("web.example.com."), DClass.IN, 300, n("cdn.other.test.")), Section.ANSWER);
    m.addRecord(a("cdn.other.test.", "6.6.6.6"), Section.ANSWER);
    ScrubbedResponse r = Scrubber.scrub(m, n("www.example.com."), Type.A, n("example.com."));
    assertFalse(r.complete());
    assertEquals(n("cdn.other.test."), r.finalName());
    assertEquals(List.of(n("www.example.com."), n("web.example.com.")), r.chain().stream().map(x -> x.getName()).toList());
  }

  @Test
  void aCnameLoopInOneReplyEndsTheChain() throws Exception {
    Message m = reply("a.example.com.", Type.A);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(new CNAMERecord(n("a.example.com."), DClass.IN, 300, n("b.example.com.")), Section.ANSWER);
    m.addRecord(new CNAMERecord(n("b.example.com."), DClass.IN, 300, n("a.example.com.")), Section.ANSWER);
    ScrubbedResponse r = Scrubber.scrub(m, n("a.example.com."), Type.A, n("example.com."));
    assertFalse(r.complete());
    assertEquals(n("a.example.com."), r.finalName());
    assertEquals(2, r.chain().size());
  }

  @Test
  void dnameIsResynthesisedAndOverflowIsYxdomain() throws Exception {
    Message m = reply("a.old.example.", Type.A);
    m.addRecord(new DNAMERecord(n("old.example."), DClass.IN, 300, n("new.example.")), Section.ANSWER);
    m.addRecord(new CNAMERecord(n("a.old.example."), DClass.IN, 300, n("forged.test.")), Section.ANSWER);
    ScrubbedResponse r = Scrubber.scrub(m, n("a.old.example."), Type.A, n("example."));
    assertEquals(n("a.new.example."), r.finalName());
    assertEquals(2, r.chain().size());

    String label = "a".repeat(63);
    Name longName = n(label + "." + label + "." + label + ".x.");
    Message big = reply(longName.toString(), Type.A);
    big.addRecord(new DNAMERecord(n("x."), DClass.IN, 300, n(label + "." + label + ".y.")), Section.ANSWER);
    ScrubbedResponse yx = Scrubber.scrub(big, longName, Type.A, Name.root);
    assertEquals(Rcode.YXDOMAIN, yx.rcode());
  }

  @Test
  void privateAddressesAreRemovedExceptForPrivateDomains() throws Exception {
    PrivateAddressFilter f = new PrivateAddressFilter(List.of("10.0.0.0/8", "192.168.0.0/16", "fd00::/8"),
        List.of(n("home.lan.")));
    Message m = reply("mix.example.com.", Type.A);
    m.addRecord(a("mix.example.com.", "10.1.2.3"), Section.ANSWER);
    m.addRecord(a("mix.example.com.", "192.0.2.7"), Section.ANSWER);
    ScrubbedResponse r = f.apply(Scrubber.scrub(m, n("mix.example.com."), Type.A, n("example.com.")));
    assertEquals(1, r.chain().get(0).size());
    assertEquals("192.0.2.7", ((ARecord) r.chain().get(0).first()).getAddress().getHostAddress());

    Message only = reply("nas.example.com.", Type.A);
    only.addRecord(a("nas.example.com.", "192.168.1.5"), Section.ANSWER);
    ScrubbedResponse gone = f.apply(Scrubber.scrub(only, n("nas.example.com."), Type.A, n("example.com.")));
    assertTrue(gone.chain().isEmpty());
    assertFalse(gone.complete());

    Message lan = reply("nas.home.lan.", Type.A);
    lan.addRecord(a("nas.home.lan.", "192.168.1.5"), Section.ANSWER);
    ScrubbedResponse kept = f.apply(Scrubber.scrub(lan, n("nas.home.lan."), Type.A, n("home.lan.")));
    assertTrue(kept.complete());
  }

  @Test
  void nsSetsAreCappedWithTheirGlue() throws Exception {
    Message m = reply("www.big.example.", Type.A);
    for (int i = 0; i < 30; i++) {
      m.addRecord(new NSRecord(n("big.example."), DClass.IN, 300, n("ns" + i + ".big.example.")), Section.AUTHORITY);
      m.addRecord(a("ns" + i + ".big.example.", "192.0.2." + (i + 1)), Section.ADDITIONAL);
    }
    ScrubbedResponse r = Scrubber.scrub(m, n("www.big.example."), Type.A, n("example."), 20);
    assertEquals(20, r.ns().size());
    assertEquals(20, r.additional().size());
  }

  @Test
  void rangesParseAndMatch() throws Exception {
    PrivateAddressFilter.Range r = PrivateAddressFilter.Range.parse("172.16.0.0/12");
    assertTrue(r.contains(InetAddress.getByName("172.31.255.1")));
    assertFalse(r.contains(InetAddress.getByName("172.32.0.1")));
    assertFalse(r.contains(InetAddress.getByName("::1")));
    assertTrue(PrivateAddressFilter.Range.parse("fe80::/10").contains(InetAddress.getByName("fe80::1")));
    assertThrows(IllegalArgumentException.class, () -> PrivateAddressFilter.Range.parse("10.0.0.0/40"));
    assertThrows(IllegalArgumentException.class, () -> PrivateAddressFilter.Range.parse("example.com/8"));
  }
}
