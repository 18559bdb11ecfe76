package dev.namu.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamudServer;
import dev.namu.server.peers.DaemonPeer;
import dev.namu.server.peers.KnotServer;
import dev.namu.server.peers.LoopbackDnsClient;
import dev.namu.server.peers.NsdServer;
import dev.namu.server.peers.SecondaryServers;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.peers.Transport;
import dev.namu.zones.model.ZoneSnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Knot, NSD and BIND as secondaries of one namud primary, each started with its own config on a
 * free loopback port: the zone reaches them by AXFR with TSIG; twenty edits made within two
 * seconds (as fast as a loaded machine allows) through the admin API and RFC 2136 UPDATE reach every one by NOTIFY and IXFR, with a few
 * NOTIFYs per secondary rather than one per edit; afterwards each secondary answers every name and
 * type of the zone as namud does. A secondary whose daemon is not installed is skipped, with the
 * reason; the test is skipped when none is.
 */
class SecondariesInteropTest {
  private static final Name ZONE = Name.fromConstantString("sec.test.");
  private static final Name KEY = Name.fromConstantString("sec-key.");
  private static final String SECRET = "c2Vjb25kYXJpZXMtc2Vjb25kYXJpZXMtc2Vjb25kYXI=";
  private static final int EDITS = 20;
  /** How long a change may take to reach a secondary on a loaded machine. */
  private static final Duration REACH = Duration.ofSeconds(45);

  @TempDir static Path dir;
  private static NamudServer server;
  private static String api;
  private static String token;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final Map<String, DaemonPeer> secondaries = new LinkedHashMap<>();
  private static final List<String> skipped = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = NamudServer.start("--listen", "127.0.0.1:0", "--data", dir.resolve("data").toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion", "--rrl-rate", "0");
    api = "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/";
    token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
    StringBuilder text = new StringBuilder("$ORIGIN " + ZONE + "\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 86400 300\n"
        + "@ 3600 IN NS ns1\n@ 3600 IN MX 10 mail\nns1 3600 IN A 127.0.0.1\nmail 3600 IN A 192.0.2.25\n"
        + "www 3600 IN CNAME host0\n");
    for (int i = 0; i < 30; i++) {
      text.append("host").append(i).append(" 600 IN A 192.0.2.").append(100 + i).append('\n');
      text.append("host").append(i).append(" 600 IN AAAA 2001:db8::").append(Integer.toHexString(100 + i)).append('\n');
      text.append("host").append(i).append(" 600 IN TXT \"host number ").append(i).append("\"\n");
    }
    call("PUT", "zones/" + ZONE + "/text", text.toString(), 200);
    call("POST", "keys", "{\"name\":\"" + KEY + "\",\"secret\":\"" + SECRET + "\"}", 201);
    call("PUT", "zones/" + ZONE + "/transfer", "{\"allowTransfer\":[\"" + KEY + "\"]}", 200);

    SecondaryServers.Primary primary =
        new SecondaryServers.Primary(server.boundAddresses().get(0).getPort(), ZONE, KEY, SECRET);
    start("knotd", KnotServer.binary().isPresent(), "knot", () -> SecondaryServers.knot(primary));
    start("nsd", NsdServer.binary().isPresent(), "nsd", () -> SecondaryServers.nsd(primary));
    start("named", SecondaryServers.namedBinary().isPresent(), "bind9", () -> SecondaryServers.named(primary));
    List<String> targets = new ArrayList<>();
    for (DaemonPeer p : secondaries.values()) {
      targets.add("\"127.0.0.1:" + p.address().getPort() + "\"");
    }
    call("PUT", "zones/" + ZONE + "/transfer", "{\"alsoNotify\":" + targets + "}", 200);
  }

  private static void start(String binary, boolean installed, String debianPackage,
      java.util.function.Supplier<DaemonPeer> launch) {
    if (installed) {
      secondaries.put(binary, launch.get());
    } else {
      skipped.add(ToolLocator.missing(binary, debianPackage));
    }
  }

  @AfterAll
  static void stop() {
    secondaries.values().forEach(DaemonPeer::close);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void editsReachEverySecondaryByNotifyAndIxfrAndTheyAnswerAsNamudDoes() throws Exception {
    assumeTrue(!secondaries.isEmpty(), "no secondary to test: " + skipped);
    long first = served().serial();
    for (DaemonPeer p : secondaries.values()) {
      assertEquals(first, serialOf(p.address()), p.name() + " has the zone by its first transfer\n" + p.log());
    }
    long axfrsBefore = server.transfers().transfers(TransferCounters.Kind.AXFR);
    long ixfrsBefore = server.transfers().transfers(TransferCounters.Kind.IXFR);
    long notifiesBefore = server.transfers().notifiesSent();

    // twenty edits, one each 100 ms: even ones through the admin API, odd ones by UPDATE
    SimpleResolver updates = new SimpleResolver(server.boundAddresses().get(0));
    updates.setTCP(true);
    updates.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, KEY, SECRET));
    updates.setTimeout(Duration.ofSeconds(20));
    long startedAt = System.nanoTime();
    for (int i = 0; i < EDITS; i++) {
      LockSupport.parkNanos(startedAt + TimeUnit.MILLISECONDS.toNanos(100L * i) - System.nanoTime());
      if (i % 4 == 0) {
        call("POST", "zones/" + ZONE + "/records", "{\"name\":\"api" + i + "\",\"type\":\"A\",\"data\":\"198.51.100."
            + i + "\"}", 200);
      } else if (i % 4 == 2) {
        call("DELETE", "zones/" + ZONE + "/records?name=host" + i + "&type=TXT", null, 200);
      } else {
        Update u = new Update(ZONE);
        u.add(Name.fromString("upd" + i, ZONE), Type.TXT, 300, "\"edit " + i + "\"");
        u.delete(Name.fromString("host" + i, ZONE), Type.AAAA);
        Message reply = updates.send(u);
        assertEquals(Rcode.NOERROR, reply.getRcode(), "UPDATE " + i + "\n" + reply);
      }
    }
    long editsTook = System.nanoTime() - startedAt;
    long last = served().serial();
    assertTrue(last != first, "the edits moved the serial");

    long deadline = System.nanoTime() + REACH.toNanos();
    for (DaemonPeer p : secondaries.values()) {
      long theirs = -1;
      while (System.nanoTime() < deadline && (theirs = serialOf(p.address())) != last) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
      assertEquals(last, theirs, p.name() + " serves the last serial within " + REACH.toSeconds() + " s\n" + p.log());
    }

    // the secondaries followed by IXFR: no whole zone was transferred for the burst
    assertEquals(axfrsBefore, server.transfers().transfers(TransferCounters.Kind.AXFR),
        "no AXFR after the first ones\n" + logs());
    assertTrue(server.transfers().transfers(TransferCounters.Kind.IXFR) - ixfrsBefore >= secondaries.size(),
        "an IXFR per secondary at least");
    if (secondaries.containsKey("knotd")) {
      assertTrue(secondaries.get("knotd").log().contains("IXFR, incoming"), secondaries.get("knotd").log());
    }
    long notifies = server.transfers().notifiesSent() - notifiesBefore;
    System.out.printf("%d edits in %d ms reached %s by %d NOTIFYs and %d IXFRs%n", EDITS,
        TimeUnit.NANOSECONDS.toMillis(editsTook), secondaries.keySet(), notifies,
        server.transfers().transfers(TransferCounters.Kind.IXFR) - ixfrsBefore);
    assertTrue(notifies >= secondaries.size() && notifies <= 10L * secondaries.size(),
        notifies + " NOTIFYs for " + EDITS + " edits to " + secondaries.size() + " secondaries");

    ZoneSnapshot zone = served();
    TreeSet<String> questions = new TreeSet<>();
    for (Record r : zone.records()) {
      questions.add(r.getName() + " " + Type.string(r.getType()));
    }
    for (int i = 0; i < EDITS; i++) {
      questions.add("host" + i + "." + ZONE + " TXT"); // some removed by the edits
      questions.add("host" + i + "." + ZONE + " AAAA");
    }
    questions.add("absent." + ZONE + " A");
    assertTrue(questions.size() > 100, "the differential check asks about the whole zone");
    try (LoopbackDnsClient client = new LoopbackDnsClient(Duration.ofSeconds(10))) {
      Function<InetSocketAddress, Function<String, String>> ask = at -> q -> answer(client, at, q);
      for (String q : questions) {
        String ours = ask.apply(server.boundAddresses().get(0)).apply(q);
        for (DaemonPeer p : secondaries.values()) {
          assertEquals(ours, ask.apply(p.address()).apply(q), p.name() + " answers " + q + " as namud does");
        }
      }
    }
  }

  /** The rcode and answer records of {@code question} ("name TYPE"), sorted, over TCP. */
  private static String answer(LoopbackDnsClient client, InetSocketAddress at, String question) {
    String[] q = question.split(" ");
    try {
      Message reply = client.send(at, LoopbackDnsClient.question(Name.fromString(q[0]), Type.value(q[1])),
          Transport.TCP);
      TreeSet<String> records = new TreeSet<>();
      for (Record r : reply.getSection(Section.ANSWER)) {
        records.add(r.toString());
      }
      return Rcode.string(reply.getRcode()) + " " + records;
    } catch (IOException e) {
      return "no answer: " + e.getMessage();
    }
  }

  private static long serialOf(InetSocketAddress at) {
    try (LoopbackDnsClient client = new LoopbackDnsClient(Duration.ofSeconds(2))) {
      Message reply = client.send(at, LoopbackDnsClient.question(ZONE, Type.SOA), Transport.UDP);
      for (Record r : reply.getSection(Section.ANSWER)) {
        if (r instanceof SOARecord soa) {
          return soa.getSerial();
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static String logs() {
    StringBuilder b = new StringBuilder();
    secondaries.values().forEach(p -> b.append("--- ").append(p.name()).append('\n').append(p.log()));
    return b.toString();
  }

  private static ZoneSnapshot served() {
    return server.zones().current().zone(ZONE);
  }

  private static void call(String method, String path, String body, int status) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
  }
}
