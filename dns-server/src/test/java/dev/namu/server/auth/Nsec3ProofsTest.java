package dev.namu.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * The NSEC3 records of negative answers with DO, asked over UDP of a zone signed by
 * dnssec-signzone (NSEC3, no salt, no extra iterations): each proves what RFC 5155 7.2 says for
 * the name asked, checked here by hashing the names afresh. Several names share a closest
 * encloser, whose part of the proof namud makes once: each must still get the NSEC3 covering its
 * own next closer name.
 */
class Nsec3ProofsTest {

  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, false);
  /** The zone's NSEC3PARAM: SHA-1, no extra iterations, no salt. */
  private static final NSEC3PARAMRecord PARAM;

  static {
    try {
      PARAM = new NSEC3PARAMRecord(Name.fromString("signed3.test."), 1, 0, 1, 0, 0, null);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @TempDir static Path dir;
  static NamudServer server;
  static InetSocketAddress dns;

  @BeforeAll
  static void start() throws Exception {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    try (InputStream in = Nsec3ProofsTest.class.getResourceAsStream("/differential-signed/signed3.test.zone")) {
      assertNotNull(in, "test resource differential-signed/signed3.test.zone is missing");
      Files.copy(in, zones.resolve("signed3.test.zone"));
    }
    server = NamudServer.start("--listen", "127.0.0.1:0", "--zones", zones.toString(),
        "--data", dir.resolve("data").toString(), "--no-api", "--no-metrics", "--no-recursion");
    dns = server.boundAddresses().get(0);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** RFC 5155 7.2.2: the closest encloser proof and the NSEC3 covering the wildcard at it. */
  @ParameterizedTest
  @CsvSource({
    "nx1.signed3.test., signed3.test.",
    "nx2.signed3.test., signed3.test.",
    "deep.nx3.signed3.test., signed3.test.",
    "x.b.ent.signed3.test., b.ent.signed3.test.",
    "y.b.ent.signed3.test., b.ent.signed3.test.",
    "q.p.www.signed3.test., www.signed3.test.",
    "r.www.signed3.test., www.signed3.test.",
  })
  void nxdomainProvesTheNameAskedAndTheWildcard(String qname, String encloser) throws Exception {
    Message reply = ask(qname, Type.A);
    assertEquals(Rcode.NXDOMAIN, reply.getRcode(), reply::toString);
    List<NSEC3Record> nsec3 = nsec3s(reply);
    Name asked = Name.fromString(qname);
    Name closest = Name.fromString(encloser);
    Name nextCloser = new Name(asked, asked.labels() - closest.labels() - 1);
    assertTrue(matches(nsec3, closest), "no NSEC3 matches the closest encloser " + encloser + ":\n" + reply);
    assertTrue(covers(nsec3, nextCloser), "no NSEC3 covers the next closer " + nextCloser + ":\n" + reply);
    Name wildcard = Name.concatenate(Name.fromString("*"), closest);
    assertTrue(covers(nsec3, wildcard), "no NSEC3 covers " + wildcard + ":\n" + reply);
  }

  /** RFC 5155 7.2.3: NODATA at a name that exists, the NSEC3 matching it (asked twice). */
  @ParameterizedTest
  @CsvSource({"www.signed3.test., MX", "www.signed3.test., SRV", "mail.signed3.test., TXT", "signed3.test., TXT"})
  void nodataCarriesTheNsec3OfTheName(String qname, String type) throws Exception {
    for (int i = 0; i < 2; i++) {
      Message reply = ask(qname, Type.value(type));
      assertEquals(Rcode.NOERROR, reply.getRcode(), reply::toString);
      assertEquals(0, reply.getSection(Section.ANSWER).size(), reply::toString);
      assertTrue(matches(nsec3s(reply), Name.fromString(qname)), "no NSEC3 matches " + qname + ":\n" + reply);
    }
  }

  private static Message ask(String name, int type) throws Exception {
    Message reply = DnsWire.udp(dns, DnsWire.queryEdns(name, type, 1232, true));
    assertNotNull(reply, "no reply to " + name);
    return reply;
  }

  private static List<NSEC3Record> nsec3s(Message reply) {
    List<NSEC3Record> out = new ArrayList<>();
    for (Record r : reply.getSection(Section.AUTHORITY)) {
      if (r instanceof NSEC3Record n) {
        out.add(n);
      }
    }
    assertTrue(!out.isEmpty(), () -> "no NSEC3 in the authority section:\n" + reply);
    return out;
  }

  private static boolean matches(List<NSEC3Record> records, Name name) throws Exception {
    byte[] h = PARAM.hashName(name);
    for (NSEC3Record r : records) {
      if (Arrays.equals(owner(r), h)) {
        return true;
      }
    }
    return false;
  }

  /** RFC 5155 3.1.7: owner hash < h < next hash, or past the last owner when the chain wraps. */
  private static boolean covers(List<NSEC3Record> records, Name name) throws Exception {
    byte[] h = PARAM.hashName(name);
    for (NSEC3Record r : records) {
      byte[] from = owner(r);
      byte[] to = r.getNext();
      boolean after = Arrays.compareUnsigned(from, h) < 0;
      boolean before = Arrays.compareUnsigned(h, to) < 0;
      boolean wraps = Arrays.compareUnsigned(from, to) >= 0;
      if (wraps ? (after || before) : (after && before)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] owner(NSEC3Record r) {
    return BASE32HEX.fromString(r.getName().getLabelString(0));
  }
}
