package dev.namu.server.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamudServer;
import dev.namu.server.secondary.RefreshState;
import dev.namu.server.secondary.SecondaryStatus;
import dev.namu.zones.store.StoredKey;
import dev.namu.zones.store.jdbc.JdbcStoreConfig;
import dev.namu.zones.store.jdbc.JdbcZoneStore;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * namud as a secondary of Knot and of NSD, both started here on loopback: the first AXFR with
 * TSIG, a change on the primary reaching namud by NOTIFY and IXFR long before the refresh timer
 * (an hour), namud's answers equal to the primary's after each step, NOTIFY from an address that is
 * no primary refused; then, with short SOA timers, the primary stopped: answers until expire, then
 * SERVFAIL, and a restart with the primary still down serving the stored copy.
 */
class SecondaryOfPeersTest {
  private static final Name ZONE = Name.fromConstantString("sec.test.");
  /** Generous for a loaded 2-core machine: a NOTIFY and a transfer take milliseconds. */
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** An address that is no primary: 127.0.6.0/24 is used by no other test. */
  private static final String STRANGER = "127.0.6.1";
  private static final List<Integer> TYPES = List.of(Type.SOA, Type.NS, Type.A, Type.AAAA, Type.TXT, Type.MX,
      Type.CNAME);

  @TempDir Path tmp;

  @Test
  void secondaryOfKnot() throws Exception {
    assumeTrue(KnotServer.binary().isPresent(), ToolLocator.missing("knotd", "knot"));
    followsPrimary("knot");
  }

  @Test
  void secondaryOfNsd() throws Exception {
    assumeTrue(NsdServer.binary().isPresent(), ToolLocator.missing("nsd", "nsd"));
    followsPrimary("nsd");
  }

  @Test
  void expiresWithoutPrimaryAndServesStoredCopyAfterRestart() throws Exception {
    assumeTrue(KnotServer.binary().isPresent(), ToolLocator.missing("knotd", "knot"));
    Path zones = Files.createDirectories(tmp.resolve("zones"));
    // refresh 2 s, retry 1 s, expire 6 s
    Files.writeString(zones.resolve("sec.test.zone"), zone(1, "2 1 6", "www IN A 192.0.2.1\n"));
    Path data = seededDataDir();
    int port = LoopbackPort.pick();
    PrimaryPeer primary = PrimaryPeer.knot(ServedZones.in(zones), new InetSocketAddress("127.0.0.1", port));
    InetSocketAddress namudAddress;
    try (NamudServer namud = NamudServer.start(flags(port, data, primary.address()))) {
      namudAddress = namud.boundAddresses().get(0);
      await(() -> serial(namudAddress) == 1, "the first transfer");
      primary.close();
      long stopped = System.nanoTime();
      assertEquals(Rcode.NOERROR, rcode(namudAddress, "www.sec.test."), "served after the primary stopped");
      await(() -> rcode(namudAddress, "www.sec.test.") == Rcode.SERVFAIL, "SERVFAIL after expire");
      long seconds = Duration.ofNanos(System.nanoTime() - stopped).toSeconds();
      // the last success was at most one refresh (2 s) before the stop: expire (6 s) ends 4 s after it at least
      assertTrue(seconds >= 3, "expired " + seconds + " s after the primary stopped, before its 6 s expire");
      SecondaryStatus status = namud.admin().secondaries().status(ZONE);
      assertEquals(RefreshState.EXPIRED, status.state(), status.toString());
      assertTrue(zoneList(namud, data).contains("\"state\" : \"expired\""), zoneList(namud, data));
    } finally {
      primary.close();
    }
    // restart, the primary still down: the stored copy is served before any refresh succeeds
    try (NamudServer namud = NamudServer.start(flags(port, data, primary.address()))) {
      InetSocketAddress again = namud.boundAddresses().get(0);
      assertEquals(1, serial(again));
      assertEquals(Rcode.NOERROR, rcode(again, "www.sec.test."));
    }
  }

  private void followsPrimary(String kind) throws Exception {
    Path zones = Files.createDirectories(tmp.resolve("zones"));
    Path file = zones.resolve("sec.test.zone");
    // refresh an hour: only a NOTIFY brings a change within the test's wait
    Files.writeString(file, zone(1, "3600 600 1209600",
        "www IN A 192.0.2.1\nwww IN AAAA 2001:db8::1\nmail IN A 192.0.2.25\n@ IN MX 10 mail\n"
            + "alias IN CNAME www\ntxt IN TXT \"first\"\n"));
    Path data = seededDataDir();
    int port = LoopbackPort.pick();
    InetSocketAddress notifyTo = new InetSocketAddress("127.0.0.1", port);
    try (PrimaryPeer primary = kind.equals("knot") ? PrimaryPeer.knot(ServedZones.in(zones), notifyTo)
        : PrimaryPeer.nsd(ServedZones.in(zones), notifyTo);
        NamudServer namud = NamudServer.start(flags(port, data, primary.address()))) {
      InetSocketAddress ns = namud.boundAddresses().get(0);
      await(() -> serial(ns) == 1, "the first transfer from " + kind);
      // the copy is served before its refresh is recorded: wait for the record too
      await(() -> namud.admin().secondaries().status(ZONE).lastResult().contains("XFR from"), "the first refresh's result");
      SecondaryStatus first = namud.admin().secondaries().status(ZONE);
      assertTrue(first.lastResult().startsWith("AXFR"), first.toString());
      assertSameAnswers(primary, ns, zones);
      assertTrue(zoneList(namud, data).contains("\"source\" : \"secondary\""), zoneList(namud, data));

      assertEquals(Rcode.REFUSED, notifyFrom(STRANGER, ns, ZONE, null).getRcode());
      assertEquals(Rcode.NOTAUTH,
          notifyFrom("127.0.0.1", ns, Name.fromConstantString("other.test."), null).getRcode());

      Files.writeString(file, zone(2, "3600 600 1209600",
          "www IN A 192.0.2.2\nwww IN AAAA 2001:db8::1\nmail IN A 192.0.2.25\n@ IN MX 10 mail\n"
              + "alias IN CNAME www\ntxt IN TXT \"second\"\nnew IN A 192.0.2.99\n"));
      primary.reload();
      await(() -> serial(ns) == 2, "the change by NOTIFY from " + kind + "; its log:\n" + primary.log());
      await(() -> namud.admin().secondaries().status(ZONE).lastResult().contains(", serial 2,"),
          "the second refresh's result");
      SecondaryStatus second = namud.admin().secondaries().status(ZONE);
      if (kind.equals("knot")) {
        // Knot keeps the difference (zonefile-load: difference): an incremental transfer
        assertTrue(second.lastResult().startsWith("IXFR"), second.toString());
      }
      assertEquals(RefreshState.FRESH, second.state());
      assertSameAnswers(primary, ns, zones);
    }
  }

  @Test
  void notifyOnlyFromPrimaryWithItsKey() throws Exception {
    assumeTrue(KnotServer.binary().isPresent(), ToolLocator.missing("knotd", "knot"));
    Path zones = Files.createDirectories(tmp.resolve("zones"));
    Path file = zones.resolve("sec.test.zone");
    Files.writeString(file, zone(1, "3600 600 1209600", "www IN A 192.0.2.1\n"));
    Path data = seededDataDir();
    int port = LoopbackPort.pick();
    // Knot notifies a port nobody listens on: every NOTIFY namud gets is the test's
    InetSocketAddress nowhere = new InetSocketAddress("127.0.0.1", LoopbackPort.pick());
    try (PrimaryPeer primary = PrimaryPeer.knot(ServedZones.in(zones), nowhere);
        NamudServer namud = NamudServer.start(flags(port, data, primary.address()))) {
      InetSocketAddress ns = namud.boundAddresses().get(0);
      await(() -> serial(ns) == 1, "the first transfer");
      Files.writeString(file, zone(2, "3600 600 1209600", "www IN A 192.0.2.2\n"));
      primary.reload();
      await(() -> serialAt(primary.address()) == 2, "knot serving serial 2");
      SecondaryStatus before = namud.admin().secondaries().status(ZONE);

      Message refused = notifyFrom(STRANGER, ns, ZONE, null);
      assertEquals(Rcode.REFUSED, refused.getRcode());
      // unsigned, from the primary's address: the zone has a key, so REFUSED too
      assertEquals(Rcode.REFUSED, notifyFrom("127.0.0.1", ns, ZONE, null).getRcode());
      // no check started: the copy stays at serial 1 (the refresh timer is an hour)
      long window = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < window) {
        assertEquals(1, serial(ns), "a refused NOTIFY made namud transfer");
        Thread.sleep(100);
      }
      SecondaryStatus after = namud.admin().secondaries().status(ZONE);
      assertEquals(before.refreshes() + before.failures(), after.refreshes() + after.failures(), after.toString());

      Message ok = notifyFrom("127.0.0.1", ns, ZONE, new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256,
          PrimaryPeer.KEY, PrimaryPeer.SECRET));
      assertEquals(Rcode.NOERROR, ok.getRcode());
      assertTrue(ok.getHeader().getFlag(Flags.AA), ok.toString());
      assertEquals(ZONE, ok.getQuestion().getName());
      assertTrue(ok.isSigned() && ok.isVerified(), "the reply to a signed NOTIFY is signed: " + ok);
      await(() -> serial(ns) == 2, "the change after the primary's NOTIFY");
    }
  }

  /** Every owner of the zone file and a few names that do not exist, each type: same rcode and answer. */
  private static void assertSameAnswers(PrimaryPeer primary, InetSocketAddress namud, Path zones)
      throws IOException {
    Set<String> owners = new TreeSet<>();
    for (String line : Files.readAllLines(zones.resolve("sec.test.zone"))) {
      if (!line.isBlank() && !line.startsWith("$") && !line.startsWith(";") && !Character.isWhitespace(line.charAt(0))) {
        owners.add(line.split("\\s+")[0]);
      }
    }
    owners.add("nothing-here");
    owners.add("deep.below.www");
    List<String> differences = new ArrayList<>();
    try (LoopbackDnsClient client = new LoopbackDnsClient(Duration.ofSeconds(2))) {
      for (String owner : owners) {
        Name name = owner.equals("@") ? ZONE : Name.fromString(owner, ZONE);
        for (int type : TYPES) {
          Message q = LoopbackDnsClient.question(name, type);
          String theirs = digest(client.send(primary.address(), q, Transport.UDP));
          String ours = digest(client.send(namud, q, Transport.UDP));
          if (!theirs.equals(ours)) {
            differences.add(name + "/" + Type.string(type) + ": " + primary.name() + " " + theirs + ", namud " + ours);
          }
        }
      }
    }
    assertTrue(differences.isEmpty(), String.join("\n", differences));
  }

  /** The rcode, AA and the answer section's records, sorted. */
  private static String digest(Message reply) {
    List<String> answer = new ArrayList<>();
    for (Record r : reply.getSection(Section.ANSWER)) {
      answer.add(r.toString().toLowerCase());
    }
    answer.sort(null);
    return Rcode.string(reply.getRcode()) + (reply.getHeader().getFlag(Flags.AA) ? " aa " : " ") + answer;
  }

  private static String zone(long serial, String timers, String records) {
    return "$ORIGIN sec.test.\n$TTL 300\n"
        + "@ IN SOA ns1.sec.test. hostmaster.sec.test. " + serial + " " + timers + " 60\n"
        + "@ IN NS ns1.sec.test.\nns1 IN A 192.0.2.53\n" + records;
  }

  /** A data directory whose store holds the transfer key, as {@code namuctl key add} leaves it. */
  private Path seededDataDir() {
    Path data = tmp.resolve("data");
    try (JdbcZoneStore store = JdbcZoneStore.open(JdbcStoreConfig.h2(data))) {
      store.putKey(new StoredKey(Name.fromConstantString(PrimaryPeer.KEY), "hmac-sha256", PrimaryPeer.SECRET,
          Instant.now()));
    }
    return data;
  }

  private static String[] flags(int port, Path data, InetSocketAddress primary) {
    return new String[] {"--listen", "127.0.0.1:" + port, "--data", data.toString(), "--api", "127.0.0.1:0",
        "--no-metrics", "--no-recursion",
        "--secondary", "sec.test=127.0.0.1:" + primary.getPort(),
        "--secondary-key", "sec.test=" + PrimaryPeer.KEY};
  }

  /** GET /api/v1/zones, as namuctl zone list --json asks it. */
  private static String zoneList(NamudServer namud, Path data) {
    InetSocketAddress api = namud.admin().apiAddress().orElseThrow();
    try {
      String token = Files.readString(data.resolve("api-token")).strip();
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + api.getPort() + "/api/v1/zones"))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      return r.body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long serial(InetSocketAddress server) {
    try (LoopbackDnsClient client = new LoopbackDnsClient(Duration.ofSeconds(2))) {
      Message reply = client.send(server, LoopbackDnsClient.question(ZONE, Type.SOA), Transport.UDP);
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

  private static int rcode(InetSocketAddress server, String name) {
    try (LoopbackDnsClient client = new LoopbackDnsClient(Duration.ofSeconds(2))) {
      return client.send(server, LoopbackDnsClient.question(Name.fromString(name), Type.A), Transport.UDP).getRcode();
    } catch (IOException e) {
      return -1;
    }
  }

  private static long serialAt(InetSocketAddress server) {
    return serial(server);
  }

  /** A NOTIFY for {@code zone} sent from {@code source}, signed with {@code key} (null: unsigned); the reply. */
  private static Message notifyFrom(String source, InetSocketAddress server, Name zone, org.xbill.DNS.TSIG key)
      throws IOException {
    Message notify = new Message();
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    notify.getHeader().setFlag(Flags.AA);
    notify.addRecord(Record.newRecord(zone, Type.SOA, DClass.IN), Section.QUESTION);
    if (key != null) {
      notify.setTSIG(key);
    }
    byte[] wire = notify.toWire(65535);
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(source), 0))) {
      socket.setSoTimeout(5000);
      socket.send(new DatagramPacket(wire, wire.length, server));
      DatagramPacket in = new DatagramPacket(new byte[512], 512);
      socket.receive(in);
      byte[] got = java.util.Arrays.copyOf(in.getData(), in.getLength());
      Message reply = new Message(got);
      if (key != null) {
        key.verify(reply, got, new Message(wire).getTSIG());
      }
      assertEquals(notify.getHeader().getID(), reply.getHeader().getID());
      assertEquals(Opcode.NOTIFY, reply.getHeader().getOpcode());
      return reply;
    }
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
      }
      Thread.sleep(50);
    }
  }
}
