package dev.namu.server.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Names of LAN devices through a real namud and real DNS queries: a hosts-file line, a dnsmasq lease
 * and a Kea lease become A and PTR records soon after their file changes, and go when the line is
 * removed, the lease expires or Kea marks it reclaimed. Each wait polls with a deadline far above
 * the quarter-second poll, so a loaded machine cannot fail it; the time each change took is printed.
 */
class LanSourcesTest {
  /** Generous: namud looks every 250 ms; this only bounds a test on a machine that stalls. */
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @TempDir Path dir;
  private NamudServer namud;
  private InetSocketAddress dns;

  @AfterEach
  void stop() {
    if (namud != null) {
      namud.close();
    }
  }

  private void start(String... sourceFlags) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("--listen", "127.0.0.1:0",
        "--zones", Files.createDirectories(dir.resolve("zones")).toString(), "--data", dir.resolve("data").toString(),
        "--no-api", "--no-metrics", "--log-level", "WARN",
        // recursion on, for the locally served private reverse zones; nothing may leave loopback
        "--forward", "127.0.0.1:1"));
    args.addAll(List.of(sourceFlags));
    namud = NamudServer.start(args.toArray(String[]::new));
    namud.awaitStore();
    dns = namud.boundAddresses().get(0);
  }

  private Message ask(String name, int type) throws Exception {
    return DnsWire.udp(dns, DnsWire.query(name, type));
  }

  private List<String> answers(String name, int type) throws Exception {
    return ask(name, type).getSection(Section.ANSWER).stream().filter(r -> r.getType() == type)
        .map(Record::rdataToString).toList();
  }

  /** Polls until {@code name}'s records of {@code type} pass {@code wanted}; returns how long it took. */
  private Duration await(String name, int type, Predicate<List<String>> wanted, String what) throws Exception {
    Instant start = Instant.now();
    Instant end = start.plus(DEADLINE);
    List<String> seen = List.of();
    while (Instant.now().isBefore(end)) {
      seen = answers(name, type);
      if (wanted.test(seen)) {
        Duration took = Duration.between(start, Instant.now());
        System.out.println("LanSourcesTest: " + what + " in " + took.toMillis() + " ms");
        return took;
      }
      Thread.sleep(20);
    }
    return fail(what + ": " + name + " " + Type.string(type) + " still " + seen + " after " + DEADLINE);
  }

  @Test
  void aHostsLineBecomesAAndPtrAndGoesWhenRemoved() throws Exception {
    Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
    start("--hosts-file", hosts.toString(), "--hosts-domain", "home.lan");
    assertEquals(Rcode.NXDOMAIN, ask("nas.home.lan.", Type.A).getRcode());
    assertEquals(List.of(), answers("localhost.home.lan.", Type.A), "loopback names no LAN device");

    Files.writeString(hosts, "127.0.0.1 localhost\n192.168.77.12 nas nas.home.lan # the NAS\n"
        + "not-an-address printer\n2001:db8:77::5 pi\n");
    await("nas.home.lan.", Type.A, a -> a.equals(List.of("192.168.77.12")), "hosts line -> A");
    assertEquals(List.of("nas.home.lan."), answers("12.77.168.192.in-addr.arpa.", Type.PTR));
    assertEquals(List.of("2001:db8:77:0:0:0:0:5"), answers("pi.home.lan.", Type.AAAA));
    assertEquals(List.of("pi.home.lan."),
        answers("5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.7.7.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", Type.PTR));
    assertEquals(Rcode.NXDOMAIN, ask("printer.home.lan.", Type.A).getRcode(), "the bad line is skipped");
    // the rest of 168.192.in-addr.arpa stays the locally served empty zone (RFC 6303)
    Message other = ask("9.78.168.192.in-addr.arpa.", Type.PTR);
    assertEquals(Rcode.NXDOMAIN, other.getRcode());
    assertTrue(other.getHeader().getFlag(Flags.AA), other.toString());

    Files.writeString(hosts, "127.0.0.1 localhost\n");
    await("nas.home.lan.", Type.A, List::isEmpty, "hosts line removed -> A gone");
    assertEquals(List.of(), answers("12.77.168.192.in-addr.arpa.", Type.PTR));
  }

  @Test
  void aFifoAsHostsFileIsSkippedNotWaitedOn() throws Exception {
    Path hosts = dir.resolve("hosts");
    Assumptions.assumeTrue(new ProcessBuilder("mkfifo", hosts.toString()).inheritIO().start().waitFor() == 0,
        "mkfifo is not available to make a FIFO");
    try {
      // reading a FIFO waits for a writer: the start (the store, UPDATE, the admin API) waited with it
      assertTimeoutPreemptively(Duration.ofSeconds(60),
          () -> start("--hosts-file", hosts.toString(), "--hosts-domain", "home.lan"));
    } catch (AssertionError timedOut) {
      // the namud that opened the FIFO is let go by a writer that opens and closes it
      Thread writer = new Thread(() -> {
        try (var w = Files.newOutputStream(hosts, java.nio.file.StandardOpenOption.WRITE)) {
          w.flush();
        } catch (java.io.IOException e) {
          // nobody read it: nothing to let go
        }
      });
      writer.setDaemon(true);
      writer.start();
      throw timedOut;
    }
    assertEquals(Rcode.NXDOMAIN, ask("nas.home.lan.", Type.A).getRcode());
    // once a regular file takes its place, its names are served
    Files.delete(hosts);
    Files.writeString(hosts, "192.0.2.12 nas\n");
    await("nas.home.lan.", Type.A, a -> a.equals(List.of("192.0.2.12")), "FIFO replaced by a file -> A");
  }

  @Test
  void aDnsmasqLeaseBecomesAAndPtrAndGoesWhenItExpires() throws Exception {
    Path leases = Files.writeString(dir.resolve("dnsmasq.leases"), "");
    start("--dhcp-leases", leases.toString(), "--hosts-domain", "home.lan");
    long expiry = Instant.now().getEpochSecond() + 4;
    Files.writeString(leases, expiry + " aa:bb:cc:dd:ee:01 192.168.77.50 printer 01:aa:bb:cc:dd:ee:01\n"
        + "0 aa:bb:cc:dd:ee:02 192.168.77.51 * *\n"
        + "garbage\n"
        + "0 aa:bb:cc:dd:ee:03 192.168.77.52 tv 01:aa:bb:cc:dd:ee:03\n");
    await("printer.home.lan.", Type.A, a -> a.equals(List.of("192.168.77.50")), "dnsmasq lease -> A");
    assertEquals(List.of("printer.home.lan."), answers("50.77.168.192.in-addr.arpa.", Type.PTR));
    assertEquals(List.of("192.168.77.52"), answers("tv.home.lan.", Type.A), "expiry 0: a lease for ever");
    assertEquals(List.of(), answers("51.77.168.192.in-addr.arpa.", Type.PTR), "no host name, no PTR");
    await("printer.home.lan.", Type.A, List::isEmpty, "dnsmasq lease expired -> A gone");
    assertTrue(Instant.now().getEpochSecond() >= expiry, "gone only once expired");
    assertEquals(List.of(), answers("50.77.168.192.in-addr.arpa.", Type.PTR));
    assertEquals(List.of("192.168.77.52"), answers("tv.home.lan.", Type.A));
  }

  @Test
  void aKeaLeaseBecomesAAndPtrAndGoesWhenReclaimed() throws Exception {
    String header = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,"
        + "user_context,pool_id\n";
    Path leases = Files.writeString(dir.resolve("kea-leases4.csv"), header);
    start("--dhcp-leases", leases.toString(), "--hosts-domain", "home.lan");
    long expire = Instant.now().getEpochSecond() + 3600;
    Files.writeString(leases, header
        + "192.168.77.60,aa:bb:cc:dd:ee:10,01:aa:bb:cc:dd:ee:10,3600," + expire + ",1,1,1,laptop.home.lan.,0,,0\n"
        + "192.168.77.61,aa:bb:cc:dd:ee:11,,3600," + expire + ",1,0,0,declined,1,,0\n");
    await("laptop.home.lan.", Type.A, a -> a.equals(List.of("192.168.77.60")), "Kea lease -> A");
    assertEquals(List.of("laptop.home.lan."), answers("60.77.168.192.in-addr.arpa.", Type.PTR));
    assertEquals(Rcode.NXDOMAIN, ask("declined.home.lan.", Type.A).getRcode(), "a declined lease names nothing");
    // Kea appends: the lease reclaimed (state 2) replaces the line before it
    Files.writeString(leases, "192.168.77.60,aa:bb:cc:dd:ee:10,01:aa:bb:cc:dd:ee:10,0," + expire
        + ",1,0,0,laptop.home.lan.,2,,0\n", java.nio.file.StandardOpenOption.APPEND);
    await("laptop.home.lan.", Type.A, List::isEmpty, "Kea lease reclaimed -> A gone");
    assertEquals(List.of(), answers("60.77.168.192.in-addr.arpa.", Type.PTR));
  }
}
