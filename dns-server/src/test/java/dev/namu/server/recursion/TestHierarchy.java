package dev.namu.server.recursion;

import dev.namu.server.NamudServer;
import dev.namu.zones.file.ZoneFileLoader;
import dev.namu.zones.file.ZoneLoad;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneSet;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.Name;

/**
 * A small DNS hierarchy served by namud authoritative servers on 127.0.0.x, all on one port:
 *
 * <pre>
 *   .              127.0.0.11   root
 *   test.          127.0.0.12   delegates alpha.test (glue), dead.test (one dead, one live
 *                               server), gone.test (only a dead server)
 *   example.       127.0.0.13   delegates beta.example to ns.alpha.test (glueless)
 *   alpha.test, dead.test, beta.example   127.0.0.14
 *   127.0.0.16, 127.0.0.17      nothing listens (dead servers)
 * </pre>
 *
 * Each server is a namud with --no-api, --no-recursion and its own --data directory; the zones
 * are published into its registry (the root zone has no NAME.zone file name).
 */
final class TestHierarchy implements AutoCloseable {
  static final String ROOT = "127.0.0.11";
  static final String DEAD = "127.0.0.16";

  static final Map<String, String> ZONES = new LinkedHashMap<>();

  static {
    ZONES.put(".", """
        . 86400 IN SOA a.root-servers. hostmaster.root-servers. 1 3600 600 86400 60
        . 86400 IN NS a.root-servers.
        a.root-servers. 86400 IN A 127.0.0.11
        test. 86400 IN NS ns.nic.test.
        ns.nic.test. 86400 IN A 127.0.0.12
        example. 86400 IN NS ns.nic.example.
        ns.nic.example. 86400 IN A 127.0.0.13
        """);
    ZONES.put("test.", """
        test. 3600 IN SOA ns.nic.test. hostmaster.nic.test. 1 3600 600 86400 60
        test. 3600 IN NS ns.nic.test.
        ns.nic.test. 3600 IN A 127.0.0.12
        alpha.test. 3600 IN NS ns1.alpha.test.
        ns1.alpha.test. 3600 IN A 127.0.0.14
        dead.test. 3600 IN NS ns1.dead.test.
        dead.test. 3600 IN NS ns2.dead.test.
        ns1.dead.test. 3600 IN A 127.0.0.16
        ns2.dead.test. 3600 IN A 127.0.0.14
        gone.test. 3600 IN NS ns.gone.test.
        ns.gone.test. 3600 IN A 127.0.0.17
        """);
    ZONES.put("example.", """
        example. 3600 IN SOA ns.nic.example. hostmaster.nic.example. 1 3600 600 86400 60
        example. 3600 IN NS ns.nic.example.
        ns.nic.example. 3600 IN A 127.0.0.13
        beta.example. 3600 IN NS ns.alpha.test.
        """);
    ZONES.put("alpha.test.", """
        alpha.test. 300 IN SOA ns1.alpha.test. hostmaster.alpha.test. 1 3600 600 86400 60
        alpha.test. 300 IN NS ns1.alpha.test.
        ns1.alpha.test. 300 IN A 127.0.0.14
        ns.alpha.test. 300 IN A 127.0.0.14
        www.alpha.test. 300 IN A 192.0.2.1
        www.alpha.test. 300 IN AAAA 2001:db8::1
        mail.alpha.test. 300 IN MX 10 www.alpha.test.
        txt.alpha.test. 300 IN TXT "hello"
        alias.alpha.test. 300 IN CNAME www.beta.example.
        chain.alpha.test. 300 IN CNAME alias.alpha.test.
        dangling.alpha.test. 300 IN CNAME nothing.beta.example.
        """);
    ZONES.put("beta.example.", """
        beta.example. 300 IN SOA ns.alpha.test. hostmaster.beta.example. 1 3600 600 86400 60
        beta.example. 300 IN NS ns.alpha.test.
        www.beta.example. 300 IN A 192.0.2.2
        back.beta.example. 300 IN CNAME www.alpha.test.
        """);
    ZONES.put("dead.test.", """
        dead.test. 300 IN SOA ns2.dead.test. hostmaster.dead.test. 1 3600 600 86400 60
        dead.test. 300 IN NS ns1.dead.test.
        dead.test. 300 IN NS ns2.dead.test.
        ns1.dead.test. 300 IN A 127.0.0.16
        ns2.dead.test. 300 IN A 127.0.0.14
        host.dead.test. 300 IN A 192.0.2.3
        """);
  }

  /** Which zones each server address serves. */
  static final Map<String, List<String>> SERVERS =
      Map.of(
          "127.0.0.11", List.of("."),
          "127.0.0.12", List.of("test."),
          "127.0.0.13", List.of("example."),
          "127.0.0.14", List.of("alpha.test.", "dead.test.", "beta.example."));

  /** The names a differential test asks, with their types. */
  static final List<String> QUESTIONS =
      List.of(
          "www.alpha.test. A", "www.alpha.test. AAAA", "mail.alpha.test. MX", "txt.alpha.test. TXT",
          "txt.alpha.test. A", "nope.alpha.test. A", "alias.alpha.test. A", "chain.alpha.test. A",
          "dangling.alpha.test. A", "www.beta.example. A", "back.beta.example. A", "host.dead.test. A",
          "no.such.tld. A", "nx.example. A", "alpha.test. NS", "alpha.test. SOA", "www.beta.example. MX",
          "deep.www.alpha.test. A");

  final int port;
  final Path dir;
  final Path hints;
  private final List<NamudServer> servers = new ArrayList<>();

  private TestHierarchy(int port, Path dir, Path hints) {
    this.port = port;
    this.dir = dir;
    this.hints = hints;
  }

  /** Starts the four servers on one free port shared by all their addresses. */
  static TestHierarchy start(Path dir) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      int port = freePort();
      TestHierarchy h = new TestHierarchy(port, dir, dir.resolve("root.hints"));
      try {
        h.startServers();
        Files.writeString(h.hints, ". 3600000 NS a.root-servers.\na.root-servers. 3600000 A " + ROOT + "\n");
        return h;
      } catch (RuntimeException e) {
        // someone took the port between the probe and the bind: try another
        h.close();
        last = new IOException("could not start the hierarchy on port " + port + ": " + e.getMessage(), e);
      }
    }
    throw last;
  }

  private void startServers() throws IOException {
    for (Map.Entry<String, List<String>> s : SERVERS.entrySet()) {
      Path data = Files.createTempDirectory(dir, "data");
      NamudServer server =
          NamudServer.start(
              "--listen", s.getKey() + ":" + port, "--no-api", "--no-metrics", "--no-recursion", "--data", data.toString(),
              "--zones", Files.createTempDirectory(dir, "zones").toString(), "--log-level", "WARN");
      servers.add(server);
      List<ZoneSnapshot> zones = new ArrayList<>();
      for (String origin : s.getValue()) {
        zones.add(load(origin));
      }
      server.zones().publish(ZoneSet.of(zones));
    }
  }

  /**
   * Writes a zone that a recursor serves itself (beside the hierarchy) to {@code zones} as
   * ORIGIN.zone: the apex SOA and NS {@code ns}, ns's address, then {@code records}.
   */
  static void writeServedZone(Path zones, String origin, String nsAddress, String records) throws IOException {
    Files.writeString(zones.resolve(origin + "zone"), "$ORIGIN " + origin + "\n"
        + "@ 300 IN SOA ns hostmaster 1 3600 600 86400 60\n"
        + "@ 300 IN NS ns\n"
        + "ns 300 IN A " + nsAddress + "\n"
        + records);
  }

  ZoneSnapshot load(String origin) throws IOException {
    Path file = Files.createTempFile(dir, "zone", ".txt");
    Files.writeString(file, ZONES.get(origin));
    ZoneLoad load = new ZoneFileLoader().load(file, Name.fromString(origin));
    return load.zone().orElseThrow(() -> new IllegalStateException(origin + ": " + load.problems()));
  }

  /** A port free for UDP and TCP on every address of the hierarchy (and the dead ones stay dead). */
  static int freePort() throws IOException {
    for (int i = 0; i < 200; i++) {
      int port = ThreadLocalRandom.current().nextInt(20000, 60000);
      if (bindsEverywhere(port)) {
        return port;
      }
    }
    throw new IOException("no port free on all of 127.0.0.11-17");
  }

  private static boolean bindsEverywhere(int port) {
    for (String a : List.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14", "127.0.0.16", "127.0.0.17")) {
      try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(a), port));
          ServerSocket t = new ServerSocket()) {
        t.bind(new InetSocketAddress(InetAddress.getByName(a), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    for (NamudServer s : servers) {
      s.close();
    }
    servers.clear();
  }
}
