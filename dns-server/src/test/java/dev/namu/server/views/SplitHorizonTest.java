package dev.namu.server.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamuctlCalls;
import dev.namu.cli.Namuctl;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.interop.ToolRun;
import dev.namu.server.peers.ToolLocator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Split horizon through a real namud: a view "inside" matches the client 127.0.62.2 and the TSIG
 * key lan-key.; the client 127.0.62.3 is in no view. Queries leave sockets bound to those source
 * addresses; the view's records are edited with namuctl (the picocli entry, over the admin API)
 * and with real {@code nsupdate} signed with the view's key.
 */
class SplitHorizonTest {
  private static final InetAddress INSIDE = address("127.0.62.2");
  private static final InetAddress OUTSIDE = address("127.0.62.3");
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private static final String ZONE = String.join("\n",
      "$ORIGIN example.com.",
      "$TTL 300",
      "@ IN SOA ns1 hostmaster 1 3600 600 86400 300",
      "@ NS ns1",
      "ns1 A 203.0.113.1",
      "nas A 203.0.113.12",
      "nas TXT \"common\"",
      "www A 203.0.113.80",
      "alias CNAME www",
      "*.wild A 203.0.113.99",
      "sub NS ns.sub",
      "ns.sub A 203.0.113.53",
      "");

  @TempDir Path dir;
  private NamudServer namud;
  private InetSocketAddress dns;
  private String api;
  private Path data;

  @BeforeEach
  void start() throws Exception {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Files.writeString(zones.resolve("example.com.zone"), ZONE);
    data = dir.resolve("data");
    namud = NamudServer.start("--listen", "127.0.62.1:0", "--zones", zones.toString(), "--data", data.toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion", "--log-level", "WARN",
        "--view", "inside=127.0.62.2/32,key lan-key.", "--allow-transfer", "example.com=127.0.62.0/24");
    namud.awaitStore();
    dns = namud.boundAddresses().get(0);
    api = "http://127.0.0.1:" + namud.admin().apiAddress().orElseThrow().getPort();
    Files.writeString(dir.resolve("lan-key.key"), namuctl("key", "add", "lan-key"));
  }

  @AfterEach
  void stop() {
    if (namud != null) {
      namud.close();
    }
  }

  @Test
  void insideAndOutsideGetTheirOwnAnswerForTheViewsNameAndTheSameForEveryOther() throws Exception {
    namuctl("record", "add", "example.com", "nas", "A", "192.168.0.12", "--view", "inside");

    assertEquals(List.of("192.168.0.12"), addresses(INSIDE, "nas.example.com.", Type.A));
    assertEquals(List.of("203.0.113.12"), addresses(OUTSIDE, "nas.example.com.", Type.A));
    // twice: the second reply of each comes from its view's prepared answers
    assertEquals(List.of("192.168.0.12"), addresses(INSIDE, "nas.example.com.", Type.A));
    assertEquals(List.of("203.0.113.12"), addresses(OUTSIDE, "nas.example.com.", Type.A));

    Object[][] others = {
        {"nas.example.com.", Type.TXT}, // a type the view does not define at its name: the common RRset
        {"nas.example.com.", Type.AAAA}, // NODATA at the view's name
        {"www.example.com.", Type.A},
        {"www.example.com.", Type.MX}, // NODATA
        {"nothere.example.com.", Type.A}, // NXDOMAIN
        {"alias.example.com.", Type.A}, // CNAME
        {"host.wild.example.com.", Type.A}, // wildcard
        {"host.sub.example.com.", Type.A}, // below a delegation: a referral
        {"example.com.", Type.SOA},
        {"example.com.", Type.NS},
    };
    int[] rcodes = new int[others.length];
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < others.length; i++) {
        Message query = DnsWire.query((String) others[i][0], (Integer) others[i][1]);
        byte[] inside = ask(INSIDE, query.toWire());
        byte[] outside = ask(OUTSIDE, query.toWire());
        assertArrayEquals(outside, inside, others[i][0] + " " + Type.string((Integer) others[i][1])
            + " round " + round + ":\ninside\n" + new Message(inside) + "\noutside\n" + new Message(outside));
        rcodes[i] = new Message(inside).getRcode();
      }
    }
    // the list really holds the cases it names
    assertEquals(Rcode.NXDOMAIN, rcodes[4]);
    assertEquals(0, new Message(ask(INSIDE, DnsWire.query("www.example.com.", Type.MX).toWire()))
        .getSection(Section.ANSWER).size());
  }

  @Test
  void anUpdateSignedWithTheViewsKeyChangesOnlyTheView() throws Exception {
    var found = ToolLocator.find("nsupdate");
    assumeTrue(found.isPresent(), ToolLocator.missing("nsupdate", "bind9-dnsutils"));
    long serial = serial(OUTSIDE);
    Path script = Files.writeString(dir.resolve("update.txt"), "server 127.0.62.1 " + dns.getPort()
        + "\nzone example.com\nupdate add nas.example.com 60 A 192.168.0.13\nsend\n");
    ToolRun run = ToolRun.run(LIMIT, List.of(found.get().toString(), "-k", dir.resolve("lan-key.key").toString(),
        script.toString()));
    assertEquals(0, run.exitCode(), run.transcript());

    assertEquals(List.of("192.168.0.13"), addresses(INSIDE, "nas.example.com.", Type.A));
    assertEquals(List.of("203.0.113.12"), addresses(OUTSIDE, "nas.example.com.", Type.A));
    assertEquals(serial, serial(OUTSIDE), "the common zone is unchanged");
    assertTrue(namuctl("record", "list", "example.com", "nas", "--view", "inside").contains("192.168.0.13"));
    assertTrue(!namuctl("record", "list", "example.com", "nas").contains("192.168.0.13"));

    // a query signed with the view's key is in the view from any address (match-clients "key lan-key.")
    Message signed = DnsWire.query("nas.example.com.", Type.A);
    signed.setTSIG(key(), Rcode.NOERROR, null);
    // toWire(size) signs (toWire() would leave the TSIG out)
    Message reply = new Message(ask(OUTSIDE, signed.toWire(65535)));
    assertNotNull(reply.getTSIG(), reply.toString());
    assertEquals(List.of("192.168.0.13"), reply.getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == Type.A).map(Record::rdataToString).toList());
  }

  @Test
  void namuctlEditsTheViewAloneAndDeletingItsRecordsShowsTheCommonOnesAgain() throws Exception {
    long serial = serial(OUTSIDE);
    namuctl("record", "add", "example.com", "www", "A", "192.168.0.80", "--view", "inside");
    namuctl("record", "add", "example.com", "printer", "A", "192.168.0.9", "--view", "inside");
    assertEquals(List.of("192.168.0.80"), addresses(INSIDE, "www.example.com.", Type.A));
    assertEquals(List.of("192.168.0.9"), addresses(INSIDE, "printer.example.com.", Type.A));
    assertEquals(List.of("203.0.113.80"), addresses(OUTSIDE, "www.example.com.", Type.A));
    assertEquals(Rcode.NXDOMAIN, new Message(ask(OUTSIDE, DnsWire.query("printer.example.com.", Type.A).toWire()))
        .getRcode());
    assertEquals(serial, serial(OUTSIDE));

    namuctl("record", "delete", "example.com", "www", "A", "--view", "inside");
    assertEquals(List.of("203.0.113.80"), addresses(INSIDE, "www.example.com.", Type.A));
    assertEquals(List.of("192.168.0.9"), addresses(INSIDE, "printer.example.com.", Type.A));
  }

  @Test
  void aViewsRecordsOutliveARestart() throws Exception {
    namuctl("record", "add", "example.com", "nas", "A", "192.168.0.12", "--view", "inside");
    namud.close();
    namud = NamudServer.start("--listen", "127.0.62.1:0", "--zones", dir.resolve("zones").toString(),
        "--data", data.toString(), "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion", "--log-level", "WARN",
        "--view", "inside=127.0.62.2/32");
    namud.awaitStore();
    dns = namud.boundAddresses().get(0);
    assertEquals(List.of("192.168.0.12"), addresses(INSIDE, "nas.example.com.", Type.A));
    assertEquals(List.of("203.0.113.12"), addresses(OUTSIDE, "nas.example.com.", Type.A));
  }

  @Test
  void explainNamesTheViewThatAnswered() {
    namuctl("record", "add", "example.com", "nas", "A", "192.168.0.12", "--view", "inside");
    String inside = namuctl("explain", "nas.example.com", "A", "--client", "127.0.62.2");
    assertTrue(inside.contains("(view inside)") && inside.contains("192.168.0.12"), inside);
    String outside = namuctl("explain", "nas.example.com", "A", "--client", "127.0.62.3");
    assertTrue(!outside.contains("view") && outside.contains("203.0.113.12"), outside);
  }

  @Test
  void aTransferToAClientInTheViewSendsTheViewsZone() throws Exception {
    namuctl("record", "add", "example.com", "nas", "A", "192.168.0.12", "--view", "inside");
    assertEquals(List.of("192.168.0.12"), transferred(INSIDE));
    assertEquals(List.of("203.0.113.12"), transferred(OUTSIDE));
  }

  @Test
  void anIxfrToAClientInTheViewSendsTheViewsWholeZoneNotTheJournalsDifferences() throws Exception {
    namuctl("zone", "create", "example.net", "--ns", "ns1.example.net.");
    namuctl("record", "add", "example.net", "nas", "A", "203.0.113.12");
    namuctl("zone", "update", "example.net", "--allow-transfer", "127.0.62.0/24");
    namuctl("record", "add", "example.net", "nas", "A", "192.168.0.12", "--view", "inside");
    long before = serial(OUTSIDE, "example.net.");
    namuctl("record", "add", "example.net", "www", "A", "203.0.113.80");

    ZoneTransferIn inside = ixfr(INSIDE, before);
    assertTrue(inside.isAXFR(), "the whole zone, not the common zone's differences");
    assertEquals(List.of("192.168.0.12"), addresses(inside.getAXFR(), "nas.example.net."));
    ZoneTransferIn outside = ixfr(OUTSIDE, before);
    assertTrue(outside.isIXFR(), "a client in no view gets the journal's differences");
  }

  private ZoneTransferIn ixfr(InetAddress source, long serial) throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newIXFR(new Name("example.net."), serial, false, dns, null);
    xfr.setLocalAddress(new InetSocketAddress(source, 0));
    xfr.setTimeout(Duration.ofSeconds(10));
    xfr.run();
    return xfr;
  }

  private static List<String> addresses(List<Record> records, String name) throws Exception {
    Name owner = new Name(name);
    return records.stream().filter(r -> r.getName().equals(owner) && r.getType() == Type.A)
        .map(Record::rdataToString).toList();
  }

  @Test
  void anEditOfAViewNoFlagDefinesIsAClearError() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), "record", "add", "example.com", "nas",
        "A", "192.168.0.12", "--view", "guest", "--server", api, "--data", data.toString());
    assertTrue(exit != 0, out.toString() + err);
    assertTrue(err.toString().contains("no view guest (views: inside)"), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
  }

  /** The addresses of nas.example.com in an AXFR of example.com asked from {@code source}. */
  private List<String> transferred(InetAddress source) throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(new Name("example.com."), dns, null);
    xfr.setLocalAddress(new InetSocketAddress(source, 0));
    xfr.setTimeout(Duration.ofSeconds(10));
    xfr.run();
    List<String> out = new ArrayList<>();
    for (Record r : xfr.getAXFR()) {
      if (r.getName().equals(new Name("nas.example.com.")) && r.getType() == Type.A) {
        out.add(r.rdataToString());
      }
    }
    return out;
  }

  private TSIG key() throws Exception {
    // namuctl key add prints the key as nsupdate reads it: key "lan-key." { algorithm ...; secret "..."; };
    String text = Files.readString(dir.resolve("lan-key.key"));
    String secret = text.replaceAll("(?s).*secret \"([^\"]+)\".*", "$1");
    Base64.getDecoder().decode(secret); // fails the test clearly if the format changed
    return new TSIG(TSIG.HMAC_SHA256, new Name("lan-key."), secret);
  }

  private long serial(InetAddress source) throws Exception {
    return serial(source, "example.com.");
  }

  private long serial(InetAddress source, String zone) throws Exception {
    Message m = new Message(ask(source, DnsWire.query(zone, Type.SOA).toWire()));
    return ((org.xbill.DNS.SOARecord) m.getSection(Section.ANSWER).get(0)).getSerial();
  }

  private List<String> addresses(InetAddress source, String name, int type) throws Exception {
    Message m = new Message(ask(source, DnsWire.query(name, type).toWire()));
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
    return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
  }

  /** One UDP query from a socket bound to {@code source}; the reply's bytes. */
  private byte[] ask(InetAddress source, byte[] query) throws Exception {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(source, 0))) {
      s.setSoTimeout(DnsWire.TIMEOUT_MS);
      byte[] buf = new byte[65535];
      for (int attempt = 0; attempt < 3; attempt++) {
        s.send(new DatagramPacket(query, query.length, dns));
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          s.receive(p);
          byte[] reply = Arrays.copyOf(p.getData(), p.getLength());
          assertNotNull(reply);
          return reply;
        } catch (SocketTimeoutException e) {
          // a lost datagram on a busy machine: ask again
        }
      }
      throw new SocketTimeoutException("no reply from " + dns + " to " + source);
    }
  }

  private String namuctl(String... args) {
    return NamuctlCalls.succeed(api, data, args);
  }

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
