package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The answer rules of RFC 1034 4.3.2 and friends as a client sees them: every case asked over
 * UDP and over TCP of a namud started on a loopback port with the test zone.
 */
class ServerAnswersTest {
  @TempDir static Path zonesDir;
  static NamudServer server;
  static InetSocketAddress address;

  @BeforeAll
  static void start() throws IOException {
    server = TestZones.serve(zonesDir);
    address = server.boundAddresses().get(0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Both transports, so every rule is checked over UDP and TCP. */
  private static final List<BiFunction<InetSocketAddress, Message, Message>> TRANSPORTS =
      List.of(ServerAnswersTest::overUdp, ServerAnswersTest::overTcp);

  private static Message overUdp(InetSocketAddress a, Message q) {
    try {
      return DnsWire.udp(a, q);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Message overTcp(InetSocketAddress a, Message q) {
    try {
      return DnsWire.tcp(a, q);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void forBoth(Message q, java.util.function.Consumer<Message> check) {
    for (BiFunction<InetSocketAddress, Message, Message> t : TRANSPORTS) {
      Message r = t.apply(address, q);
      assertEquals(q.getHeader().getID(), r.getHeader().getID());
      check.accept(r);
    }
  }

  private static List<Record> section(Message r, int s) {
    return r.getSection(s);
  }

  private static List<Integer> types(Message r, int s) {
    return r.getSection(s).stream().map(Record::getType).collect(Collectors.toList());
  }

  @Test
  void exactMatchIsAuthoritative() {
    forBoth(
        DnsWire.query("www.example.test.", Type.A),
        r -> {
          assertEquals(Rcode.NOERROR, r.getRcode());
          assertTrue(r.getHeader().getFlag(Flags.AA));
          assertEquals(1, section(r, Section.ANSWER).size());
          assertEquals("192.0.2.80", section(r, Section.ANSWER).get(0).rdataToString());
        });
  }

  @Test
  void cnameChainIsFollowed() {
    forBoth(
        DnsWire.query("alias2.example.test.", Type.A),
        r -> {
          assertEquals(Rcode.NOERROR, r.getRcode());
          assertTrue(r.getHeader().getFlag(Flags.AA));
          assertEquals(List.of(Type.CNAME, Type.CNAME, Type.A), types(r, Section.ANSWER));
        });
  }

  @Test
  void cnameLoopIsStopped() {
    forBoth(
        DnsWire.query("loop1.example.test.", Type.A),
        r -> {
          assertEquals(Rcode.NOERROR, r.getRcode());
          List<Integer> t = types(r, Section.ANSWER);
          assertTrue(t.size() >= 2 && t.size() <= 17, "each CNAME of the loop once: " + t);
          assertTrue(t.stream().allMatch(x -> x == Type.CNAME));
        });
  }

  @Test
  void wildcardIsSynthesizedWithTheQueryName() {
    forBoth(
        DnsWire.query("anything.wild.example.test.", Type.A),
        r -> {
          assertEquals(Rcode.NOERROR, r.getRcode());
          Record a = section(r, Section.ANSWER).get(0);
          assertEquals(Name.fromConstantString("anything.wild.example.test."), a.getName());
          assertEquals("192.0.2.99", a.rdataToString());
        });
  }

  @Test
  void dnameSynthesizesACname() {
    forBoth(
        DnsWire.query("host.dname.example.test.", Type.A),
        r -> {
          assertEquals(Rcode.NOERROR, r.getRcode());
          List<Integer> t = types(r, Section.ANSWER);
          assertEquals(Type.DNAME, t.get(0));
          assertEquals(Type.CNAME, t.get(1));
          assertEquals("host.example.net.", section(r, Section.ANSWER).get(1).rdataToString());
        });
  }

  @Test
  void delegationIsAReferralWithGlue() {
    forBoth(
        DnsWire.query("host.sub.example.test.", Type.A),
        r -> {
          assertEquals(Rcode.NOERROR, r.getRcode());
          assertFalse(r.getHeader().getFlag(Flags.AA));
          assertTrue(section(r, Section.ANSWER).isEmpty());
          assertTrue(types(r, Section.AUTHORITY).contains(Type.NS));
          assertTrue(
              section(r, Section.ADDITIONAL).stream()
                  .anyMatch(x -> x.getType() == Type.A && x.rdataToString().equals("192.0.2.53")));
        });
  }

  @Test
  void dsIsAnsweredByTheParent() {
    forBoth(
        DnsWire.query("sub.example.test.", Type.DS),
        r -> {
          assertEquals(Rcode.NOERROR, r.getRcode());
          assertTrue(r.getHeader().getFlag(Flags.AA));
          assertEquals(List.of(Type.DS), types(r, Section.ANSWER));
        });
  }

  @Test
  void nxdomainCarriesSoaWithNegativeTtl() {
    forBoth(
        DnsWire.query("nope.example.test.", Type.A),
        r -> {
          assertEquals(Rcode.NXDOMAIN, r.getRcode());
          assertTrue(r.getHeader().getFlag(Flags.AA));
          Record soa = section(r, Section.AUTHORITY).get(0);
          assertTrue(soa instanceof SOARecord);
          assertEquals(300, soa.getTTL(), "min(SOA TTL 3600, MINIMUM 300)");
        });
  }

  /** A name without the type, and an empty non-terminal (RFC 4592 2.2.2): NODATA with the SOA. */
  @ParameterizedTest
  @CsvSource({"mail.example.test., AAAA", "b.ent.example.test., A"})
  void nodataCarriesSoa(String name, String type) {
    forBoth(
        DnsWire.query(name, Type.value(type)),
        r -> {
          assertEquals(Rcode.NOERROR, r.getRcode());
          assertTrue(section(r, Section.ANSWER).isEmpty());
          assertEquals(List.of(Type.SOA), types(r, Section.AUTHORITY));
        });
  }

  @Test
  void nameOutsideServedZonesIsRefused() {
    forBoth(
        DnsWire.query("www.example.com.", Type.A),
        r -> assertEquals(Rcode.REFUSED, r.getRcode()));
  }

  @Test
  void caseOfTheQuestionIsKept() {
    forBoth(
        DnsWire.query("WwW.eXaMpLe.TeSt.", Type.A),
        r -> {
          assertEquals("WwW.eXaMpLe.TeSt.", r.getQuestion().getName().toString());
          assertEquals("WwW.eXaMpLe.TeSt.", section(r, Section.ANSWER).get(0).getName().toString());
        });
  }

  @Test
  void anyIsAnsweredMinimally() {
    forBoth(
        DnsWire.query("www.example.test.", Type.ANY),
        r -> {
          assertEquals(Rcode.NOERROR, r.getRcode());
          assertFalse(section(r, Section.ANSWER).isEmpty());
          assertEquals(1, types(r, Section.ANSWER).stream().distinct().count(), "one RRset");
        });
  }

  @Test
  void mxTargetAddressIsInAdditional() {
    forBoth(
        DnsWire.query("example.test.", Type.MX),
        r -> {
          assertEquals(List.of(Type.MX), types(r, Section.ANSWER));
          assertTrue(
              section(r, Section.ADDITIONAL).stream()
                  .anyMatch(x -> x.getType() == Type.A && x.rdataToString().equals("192.0.2.25")));
        });
  }

  @Test
  void bigAnswerIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
    Message q = DnsWire.queryEdns("big.example.test.", Type.TXT, 4096, false);
    byte[] udp = DnsWire.udp(address, q.toWire());
    assertTrue(udp.length <= 1232, "never above our 1232 payload: " + udp.length);
    Message u = new Message(udp);
    assertTrue(u.getHeader().getFlag(Flags.TC));
    assertNotNull(u.getOPT(), "OPT kept in a truncated reply");
    Message t = DnsWire.tcp(address, q);
    assertFalse(t.getHeader().getFlag(Flags.TC));
    assertEquals(40, section(t, Section.ANSWER).size());
  }

  @Test
  void withoutEdnsTheLimitIs512() throws IOException {
    Message q = DnsWire.query("medium.example.test.", Type.TXT);
    byte[] plain = DnsWire.udp(address, q.toWire());
    assertTrue(plain.length <= 512);
    assertTrue(new Message(plain).getHeader().getFlag(Flags.TC));
    Message e = DnsWire.udp(address, DnsWire.queryEdns("medium.example.test.", Type.TXT, 1232, false));
    assertFalse(e.getHeader().getFlag(Flags.TC));
    assertEquals(10, section(e, Section.ANSWER).size());
    // a client size below 512 counts as 512 (RFC 6891 6.2.5)
    byte[] small = DnsWire.udp(address, DnsWire.queryEdns("example.test.", Type.NS, 100, false).toWire());
    assertTrue(small.length > 100, "a reply above the client's 100 bytes: " + small.length);
    assertFalse(new Message(small).getHeader().getFlag(Flags.TC));
  }

  @Test
  void truncatedReplyMakesARealClientRetryOverTcp() throws IOException {
    SimpleResolver resolver = new SimpleResolver(address);
    resolver.setTimeout(java.time.Duration.ofSeconds(2));
    Message r = resolver.send(DnsWire.query("big.example.test.", Type.TXT));
    assertFalse(r.getHeader().getFlag(Flags.TC));
    assertEquals(40, section(r, Section.ANSWER).size());
  }

  @Test
  void loopbackAddressesHavePtrToLocalhost() {
    forBoth(
        DnsWire.query("1.0.0.127.in-addr.arpa.", Type.PTR),
        r -> {
          assertEquals(Rcode.NOERROR, r.getRcode());
          assertTrue(r.getHeader().getFlag(Flags.AA));
          assertEquals("localhost.", section(r, Section.ANSWER).get(0).rdataToString());
        });
    forBoth(
        DnsWire.query(
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa.", Type.PTR),
        r -> assertEquals("localhost.", section(r, Section.ANSWER).get(0).rdataToString()));
    forBoth(
        DnsWire.query("localhost.", Type.A),
        r -> assertEquals("127.0.0.1", section(r, Section.ANSWER).get(0).rdataToString()));
    forBoth(
        DnsWire.query("localhost.", Type.AAAA),
        r ->
            assertEquals(
                "0:0:0:0:0:0:0:1",
                ((org.xbill.DNS.AAAARecord) section(r, Section.ANSWER).get(0))
                    .getAddress()
                    .getHostAddress()));
  }
}
