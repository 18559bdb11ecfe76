package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
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
 * Every reply namud sends is counted once, by rcode, opcode, transport and source, and the counts
 * are what {@code GET /api/v1/status} shows: one query of every kind over real sockets, the status
 * read before and after each. The resolver forwards to a local server that answers SERVFAIL to
 * everything.
 */
class ReplyCountsTest {
  /** Generous for a loaded machine: the resolver's SERVFAIL comes after its upstream's. */
  private static final int TIMEOUT_MS = 10_000;

  @TempDir static Path dir;
  static NamudServer server;
  static InetSocketAddress dns;
  static DatagramSocket failingUpstream;
  static Thread upstreamThread;

  @BeforeAll
  static void start() throws Exception {
    failingUpstream = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    upstreamThread = new Thread(ReplyCountsTest::answerServfail, "servfail-upstream");
    upstreamThread.setDaemon(true);
    upstreamThread.start();
    Path zones = Files.createDirectories(dir.resolve("zones"));
    StringBuilder zone = new StringBuilder("""
        $ORIGIN count.test.
        $TTL 3600
        @ SOA ns hostmaster 1 3600 600 86400 300
        @ NS ns
        ns A 192.0.2.1
        www A 192.0.2.80
        """);
    for (int i = 0; i < 20; i++) {
      // 20 TXT records of 60 bytes: more than 512 bytes, so a UDP query without EDNS is truncated
      zone.append("big TXT \"").append(String.valueOf((char) ('a' + i)).repeat(60)).append("\"\n");
    }
    Files.writeString(zones.resolve("count.test.zone"), zone);
    server = NamudServer.start("--listen", "127.0.0.1:0", "--zones", zones.toString(),
        "--data", dir.resolve("data").toString(), "--api", "127.0.0.1:0", "--no-metrics",
        "--forward", "127.0.0.1:" + failingUpstream.getLocalPort());
    dns = server.boundAddresses().get(0);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    failingUpstream.close();
  }

  /** The upstream: SERVFAIL, with the query's ID and question, to every query. */
  private static void answerServfail() {
    byte[] buf = new byte[65535];
    while (!failingUpstream.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        failingUpstream.receive(p);
        Message q = new Message(Arrays.copyOf(buf, p.getLength()));
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.RA);
        r.getHeader().setRcode(Rcode.SERVFAIL);
        if (q.getQuestion() != null) {
          r.addRecord(q.getQuestion(), Section.QUESTION);
        }
        byte[] out = r.toWire();
        failingUpstream.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        // a query it cannot read: no answer, as a failing server would
      }
    }
  }

  @Test
  void everyKindOfReplyIsCountedOnce() throws Exception {
    Message good = udp(DnsWire.query("www.count.test.", Type.A).toWire(), "good", "NOERROR", "zone");
    assertEquals(Rcode.NOERROR, good.getRcode());
    Message prepared = udp(DnsWire.query("www.count.test.", Type.A).toWire(), "prepared", "NOERROR", "prepared");
    assertEquals(good.getSection(Section.ANSWER), prepared.getSection(Section.ANSWER));

    byte[] twoQuestions = DnsWire.query("www.count.test.", Type.A).toWire();
    twoQuestions[5] = 2; // QDCOUNT 2: the header triage answers FORMERR
    assertEquals(Rcode.FORMERR, udp(twoQuestions, "FORMERR", "FORMERR", "server").getRcode());

    Message status = DnsWire.query("www.count.test.", Type.A);
    status.getHeader().setOpcode(Opcode.STATUS);
    assertEquals(Rcode.NOTIMP, udp(status.toWire(), "NOTIMP", "NOTIMP", "server").getRcode());

    Message chaos = Message.newQuery(Record.newRecord(Name.fromString("version.bind."), Type.TXT, DClass.CH));
    assertEquals(Rcode.REFUSED, udp(chaos.toWire(), "REFUSED", "REFUSED", "zone").getRcode());

    Message v1 = DnsWire.query("www.count.test.", Type.A);
    v1.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    assertEquals(Rcode.BADVERS, udp(v1.toWire(), "BADVERS", "BADVERS", "server").getRcode());

    Message update = new Message();
    update.getHeader().setOpcode(Opcode.UPDATE);
    update.addRecord(Record.newRecord(Name.fromString("count.test."), Type.SOA, DClass.IN), Section.ZONE);
    Message refusedUpdate = udp(update.toWire(), "UPDATE refused", "REFUSED", "server");
    assertEquals(Rcode.REFUSED, refusedUpdate.getRcode());
    assertEquals(Opcode.UPDATE, refusedUpdate.getHeader().getOpcode());
    assertEquals(1, delta(before, after, "opcode", "UPDATE"), "counted as an UPDATE");

    Message servfail = udp(DnsWire.query("www.example.org.", Type.A).toWire(), "resolver SERVFAIL", "SERVFAIL", "resolver");
    assertEquals(Rcode.SERVFAIL, servfail.getRcode());

    Message truncated = udp(DnsWire.query("big.count.test.", Type.TXT).toWire(), "truncated", "NOERROR", "zone");
    assertTrue(truncated.getHeader().getFlag(Flags.TC), truncated.toString());
    assertEquals(1, delta(before, after, "transport", "udp"));

    counted("over TCP", "NOERROR", "prepared", () -> {
      try (Socket s = new Socket(dns.getAddress(), dns.getPort())) {
        s.setSoTimeout(TIMEOUT_MS);
        DnsWire.writeFrame(s, DnsWire.query("www.count.test.", Type.A).toWire());
        return DnsWire.readFrame(s);
      }
    });
    assertEquals(1, delta(before, after, "transport", "tcp"));
  }

  @Test
  void aResponseIsDroppedAndCountedAsSuch() throws Exception {
    byte[] response = DnsWire.query("www.count.test.", Type.A).toWire();
    response[2] |= (byte) 0x80; // QR: a response is never answered (RFC 1035 7.3)
    JsonNode first = counters();
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      s.setSoTimeout(TIMEOUT_MS);
      s.send(new DatagramPacket(response, response.length, dns));
      // a query after it from the same socket: its reply comes once the response was read
      byte[] query = DnsWire.query("ns.count.test.", Type.A).toWire();
      s.send(new DatagramPacket(query, query.length, dns));
      byte[] buf = new byte[65535];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      assertEquals(Rcode.NOERROR, new Message(Arrays.copyOf(buf, p.getLength())).getRcode());
    }
    JsonNode second = counters();
    assertEquals(1, second.path("dropped").path("response").asLong() - first.path("dropped").path("response").asLong());
    assertEquals(1, second.path("replies").asLong() - first.path("replies").asLong(), "the query's reply only");
    assertEquals(2, second.path("received").asLong() - first.path("received").asLong());
  }

  private JsonNode before;
  private JsonNode after;

  /** Sends one datagram, waits for its reply, and checks the counts moved by one, as said. */
  private Message udp(byte[] query, String what, String rcode, String source) throws Exception {
    return counted(what, rcode, source, () -> {
      byte[] reply = DnsWire.udp(dns, query, TIMEOUT_MS);
      assertNotNull(reply, what + ": no reply");
      return reply;
    });
  }

  private interface Exchange {
    byte[] run() throws Exception;
  }

  private Message counted(String what, String rcode, String source, Exchange exchange) throws Exception {
    before = counters();
    Message reply = new Message(exchange.run());
    after = counters();
    assertEquals(1, after.path("replies").asLong() - before.path("replies").asLong(), what + ": one reply counted");
    assertEquals(1, delta(before, after, "rcode", rcode), what + ": counted as " + rcode + " in " + after);
    assertEquals(1, delta(before, after, "source", source), what + ": counted from " + source + " in " + after);
    assertEquals(1, after.path("received").asLong() - before.path("received").asLong(), what + ": one received");
    return reply;
  }

  private static long delta(JsonNode before, JsonNode after, String kind, String name) {
    return after.path(kind).path(name).asLong() - before.path(kind).path(name).asLong();
  }

  /** The counters as {@code GET /api/v1/status} shows them. */
  private static JsonNode counters() throws Exception {
    String token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/status"))
            .header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode counters = new ObjectMapper().readTree(r.body()).path("counters");
    assertTrue(counters.isObject(), "status shows the counters: " + r.body());
    return counters;
  }
}
