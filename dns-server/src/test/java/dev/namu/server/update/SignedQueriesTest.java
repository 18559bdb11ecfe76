package dev.namu.server.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Queries signed with TSIG, built with dnsjava and sent to namud over real sockets: every reply to
 * a signed query is signed (RFC 8945 5.3), its errors as 5.2 and 5.3.2 say. The key is added
 * through the admin API, as {@code namuctl key add} does.
 */
class SignedQueriesTest {

  @TempDir static Path dir;
  static NamudServer server;
  static InetSocketAddress dns;
  static byte[] secret;

  @BeforeAll
  static void start() throws Exception {
    server = NamudServer.start("--listen", "127.0.0.1:0", "--zones",
        Files.createDirectories(dir.resolve("zones")).toString(), "--data", dir.resolve("data").toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion");
    dns = server.boundAddresses().get(0);
    api("POST", "zones", "{\"name\":\"signed.test\"}");
    api("POST", "zones/signed.test/records", "{\"name\":\"www\",\"type\":\"A\",\"data\":\"192.0.2.80\"}");
    String key = api("POST", "keys", "{\"name\":\"acme\"}");
    secret = Base64.getDecoder().decode(new ObjectMapper().readTree(key).get("secret").asText());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static String api(String method, String path, String body) throws Exception {
    String token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/" + path))
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    return r.body();
  }

  static TSIG key(String name, byte[] secret, Clock clock) throws Exception {
    return new TSIG(TSIG.HMAC_SHA256, Name.fromString(name + "."), new SecretKeySpec(secret, "HmacSHA256"), clock);
  }

  static TSIG acme() throws Exception {
    return key("acme", secret, Clock.systemUTC());
  }

  /** An A query with an OPT, as dig sends: the reply's TSIG must come after its OPT (RFC 8945 5.1). */
  static Message edns(String name) {
    return DnsWire.queryEdns(name, Type.A, 1232, false);
  }

  /** The query signed with {@code key}, as sent. */
  static byte[] signed(Message query, TSIG key) {
    query.setTSIG(key);
    return query.toWire(Message.MAXLENGTH);
  }

  static byte[] udp(byte[] query) throws Exception {
    byte[] reply = DnsWire.udp(dns, query);
    assertNotNull(reply, "no reply over UDP");
    return reply;
  }

  /** Checks the reply's TSIG with the key, as the client that sent {@code query} does. */
  static int verify(TSIG key, byte[] query, byte[] reply) throws Exception {
    return key.verify(new Message(reply), reply, new Message(query).getTSIG());
  }

  @Test
  void aSignedQueryGetsASignedAnswerOverUdpAndTcp() throws Exception {
    byte[] query = signed(DnsWire.queryEdns("www.signed.test.", Type.A, 1232, false), acme());
    byte[] reply = udp(query);
    Message m = new Message(reply);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals("192.0.2.80", m.getSection(Section.ANSWER).get(0).rdataToString());
    assertNotNull(m.getTSIG(), m.toString());
    assertEquals(Rcode.NOERROR, verify(acme(), query, reply), m.toString());

    byte[] tcpQuery = signed(DnsWire.query("signed.test.", Type.SOA), acme());
    byte[] tcpReply;
    try (Socket s = new Socket(dns.getAddress(), dns.getPort())) {
      s.setSoTimeout(DnsWire.TCP_TIMEOUT_MS);
      DnsWire.writeFrame(s, tcpQuery);
      tcpReply = DnsWire.readFrame(s);
    }
    assertEquals(Rcode.NOERROR, new Message(tcpReply).getRcode());
    assertEquals(Rcode.NOERROR, verify(acme(), tcpQuery, tcpReply));
  }

  /**
   * RFC 8945 4.2: the MAC covers the message under its Original ID, which a verifier puts back in
   * the header. Kea's DHCP-DDNS signs its updates with ID 0 and sends them under another ID.
   */
  @Test
  void aMessageSentUnderAnotherIdThanItWasSignedWithIsVerified() throws Exception {
    Message query = DnsWire.query("www.signed.test.", Type.A);
    query.getHeader().setID(0);
    byte[] sent = signed(query, acme());
    sent[0] = 0x5a;
    sent[1] = 0x17;
    Message reply = new Message(udp(sent));
    assertEquals(0x5a17, reply.getHeader().getID());
    assertEquals(Rcode.NOERROR, reply.getRcode(), reply.toString());
    assertEquals("192.0.2.80", reply.getSection(Section.ANSWER).get(0).rdataToString());
  }

  @Test
  void negativeAnswersAndRefusalsAreSignedToo() throws Exception {
    byte[] nx = signed(DnsWire.query("nothere.signed.test.", Type.SOA), acme());
    byte[] nxReply = udp(nx);
    assertEquals(Rcode.NXDOMAIN, new Message(nxReply).getRcode());
    assertEquals(Rcode.NOERROR, verify(acme(), nx, nxReply));
    // not a served name, no recursion: REFUSED, signed
    byte[] elsewhere = signed(DnsWire.query("example.org.", Type.A), acme());
    byte[] refused = udp(elsewhere);
    assertEquals(Rcode.REFUSED, new Message(refused).getRcode());
    assertEquals(Rcode.NOERROR, verify(acme(), elsewhere, refused));
  }

  @Test
  void aPreparedAnswerIsNotServedUnsignedToASignedQuery() throws Exception {
    // plain queries first, so the answer is prepared as wire bytes
    for (int i = 0; i < 3; i++) {
      assertEquals(Rcode.NOERROR, DnsWire.udp(dns, DnsWire.query("www.signed.test.", Type.A)).getRcode());
    }
    long hits = server.counters().preparedHits();
    assertTrue(hits > 0, "the plain query was answered from a prepared answer");
    byte[] query = signed(DnsWire.query("www.signed.test.", Type.A), acme());
    byte[] reply = udp(query);
    assertEquals(Rcode.NOERROR, verify(acme(), query, reply), new Message(reply).toString());
    assertEquals(hits, server.counters().preparedHits());
  }

  @Test
  void anUnknownKeyIsBadkeyWithAnEmptyMac() throws Exception {
    byte[] query = signed(edns("www.signed.test."), key("nobody", secret, Clock.systemUTC()));
    Message reply = new Message(udp(query));
    assertEquals(Rcode.NOTAUTH, reply.getRcode());
    assertTrue(reply.getSection(Section.ANSWER).isEmpty(), reply.toString());
    TSIGRecord tsig = reply.getTSIG();
    assertNotNull(tsig, reply.toString());
    assertEquals(Rcode.BADKEY, tsig.getError());
    assertEquals(0, tsig.getSignature().length, "RFC 8945 5.3.2: unsigned");
  }

  @Test
  void aWrongSecretIsBadsigWithAnEmptyMac() throws Exception {
    byte[] wrong = new byte[32];
    byte[] query = signed(edns("www.signed.test."), key("acme", wrong, Clock.systemUTC()));
    Message reply = new Message(udp(query));
    assertEquals(Rcode.NOTAUTH, reply.getRcode());
    assertTrue(reply.getSection(Section.ANSWER).isEmpty(), reply.toString());
    assertEquals(Rcode.BADSIG, reply.getTSIG().getError());
    assertEquals(0, reply.getTSIG().getSignature().length, "RFC 8945 5.3.2: unsigned");
  }

  @Test
  void aSkewedClockIsBadtimeSignedWithTheServersTime() throws Exception {
    // the client's clock an hour ahead: far outside the 300 s fudge
    TSIG skewed = key("acme", secret, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
    byte[] query = signed(edns("www.signed.test."), skewed);
    Instant before = Instant.now();
    byte[] replyWire = udp(query);
    Instant after = Instant.now();
    Message reply = new Message(replyWire);
    assertEquals(Rcode.NOTAUTH, reply.getRcode());
    assertTrue(reply.getSection(Section.ANSWER).isEmpty(), reply.toString());
    TSIGRecord tsig = reply.getTSIG();
    assertEquals(Rcode.BADTIME, tsig.getError());
    // Time Signed is the request's, so the skewed client's own time check passes; the MAC holds
    assertEquals(new Message(query).getTSIG().getTimeSigned(), tsig.getTimeSigned());
    assertEquals(Rcode.NOERROR, verify(skewed, query, replyWire), reply.toString());
    // Other Data: the server's time, 48 bits of seconds
    DNSInput other = new DNSInput(tsig.getOther());
    long serverTime = ((long) other.readU16() << 32) | other.readU32();
    assertTrue(serverTime >= before.getEpochSecond() && serverTime <= after.getEpochSecond(),
        serverTime + " not within " + before + ".." + after);
  }

  @Test
  void aSignedReplyKeepsRecursionDesiredAndTheQuestion() throws Exception {
    byte[] query = signed(DnsWire.query("WWW.Signed.TEST.", Type.A), acme());
    byte[] replyWire = udp(query);
    Message reply = new Message(replyWire);
    assertTrue(reply.getHeader().getFlag(Flags.RD));
    assertArrayEquals(new Message(query).getQuestion().getName().toWire(),
        reply.getQuestion().getName().toWire());
    assertEquals(Rcode.NOERROR, verify(acme(), query, replyWire));
  }
}
