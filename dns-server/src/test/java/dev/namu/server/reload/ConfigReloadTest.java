package dev.namu.server.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.cli.Namuctl;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.admin.AdminServices;
import dev.namu.server.config.ConfigSource;
import dev.namu.server.pipeline.ReplyCounters;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A reload of namud's config file through the admin API and namuctl, checked over real sockets:
 * listen addresses, the recursion ACL and forwarders, the zones directory, a bad file, and what a
 * reload keeps (the resolver's cache, the prepared answers of unchanged zones).
 */
class ConfigReloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZONE = """
      $ORIGIN %s
      @ 300 IN SOA ns hostmaster 1 3600 600 86400 60
      @ 300 IN NS ns
      ns 300 IN A 192.0.2.53
      www 300 IN A %s
      """;

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  private Path zones(String name, String... origins) throws IOException {
    Path zones = Files.createDirectories(dir.resolve(name));
    for (String origin : origins) {
      Files.writeString(zones.resolve(origin + "zone"), ZONE.formatted(origin, "192.0.2.80"));
    }
    return zones;
  }

  private Path config(String... lines) throws IOException {
    return Files.writeString(dir.resolve("namud.yaml"), String.join("\n", lines) + "\n");
  }

  /** The lines every config of these tests starts with: its data directory and an API on a free port. */
  private String[] base(String... lines) {
    List<String> all = new ArrayList<>(List.of("data: " + dir.resolve("data"), "api: {listen: 127.0.0.1:0}",
        "log-level: WARN"));
    all.addAll(List.of(lines));
    return all.toArray(String[]::new);
  }

  /** namud as its command line starts it: {@code --config FILE}, the same file read on each reload. */
  private NamudServer start(Path file) {
    ConfigSource source = ConfigSource.commandLine(List.of("--config", file.toString()), dir.resolve("absent.yaml"));
    NamudServer server = NamudServer.launch(source.read(), source, AdminServices::openStore);
    running.add(server);
    server.awaitStore();
    return server;
  }

  /** An authoritative namud for fwd.test. alone, for the server under test to forward to. */
  private InetSocketAddress upstream() throws IOException {
    return upstream("fwd.test.");
  }

  /** An authoritative namud for {@code origin} alone, for the server under test to forward to. */
  private InetSocketAddress upstream(String origin) throws IOException {
    NamudServer up = NamudServer.start("--listen", "127.0.0.1:0", "--no-api", "--no-recursion",
        "--data", dir.resolve("up-data").toString(), "--zones", zones("up-zones", origin).toString(),
        "--log-level", "WARN");
    running.add(up);
    return up.boundAddresses().get(0);
  }

  private HttpResponse<String> reload(NamudServer server) throws Exception {
    String token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
    int port = server.admin().apiAddress().orElseThrow().getPort();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/reload"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode reloaded(NamudServer server) throws Exception {
    HttpResponse<String> r = reload(server);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static Message ask(InetSocketAddress server, String name) throws IOException {
    return DnsWire.udp(server, DnsWire.query(name, Type.A));
  }

  private static String address(Message m) {
    return m.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.A)
        .map(r -> r.rdataToString()).findFirst().orElse("none: " + Rcode.string(m.getRcode()));
  }

  private static String text(JsonNode list) {
    List<String> items = new ArrayList<>();
    list.forEach(n -> items.add(n.asText()));
    return String.join(", ", items);
  }

  @Test
  void aReloadAddsAListenAddressAndRemovesOne() throws Exception {
    Path zones = zones("zones", "lab.test.");
    Path file = config(base("listen: [127.0.0.1:0]", "zones: " + zones, "recursion: {enabled: false}"));
    NamudServer server = start(file);
    InetSocketAddress old = server.boundAddresses().get(0);
    assertEquals("192.0.2.80", address(ask(old, "www.lab.test.")));

    config(base("listen: [127.0.0.2:0]", "zones: " + zones, "recursion: {enabled: false}"));
    JsonNode r = reloaded(server);
    assertEquals("listen (+127.0.0.2:0 -127.0.0.1:0)", text(r.get("applied")), r.toString());
    assertEquals(1, server.boundAddresses().size(), server.boundAddresses().toString());
    InetSocketAddress added = server.boundAddresses().get(0);
    assertEquals(InetAddress.getByName("127.0.0.2"), added.getAddress());
    assertEquals("192.0.2.80", address(ask(added, "www.lab.test.")), "answered on the new address, UDP");
    assertEquals("192.0.2.80", address(DnsWire.tcp(added, DnsWire.query("www.lab.test.", Type.A))), "and TCP");
    try (Socket s = new Socket()) {
      assertThrows(ConnectException.class, () -> s.connect(old, DnsWire.TIMEOUT_MS), "no longer listening on TCP");
    }
  }

  @Test
  void anAddressThatCannotBeBoundRefusesTheWholeReload() throws Exception {
    Path zones = zones("zones", "lab.test.");
    Path file = config(base("listen: [127.0.0.1:0]", "zones: " + zones, "recursion: {enabled: false}"));
    NamudServer server = start(file);
    InetSocketAddress old = server.boundAddresses().get(0);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.3"));
        DatagramSocket takenUdp = new DatagramSocket(taken.getLocalPort(), InetAddress.getByName("127.0.0.3"))) {
      String busy = "127.0.0.3:" + taken.getLocalPort();
      Path other = zones("other", "new.test.");
      config(base("listen: [127.0.0.4:0, " + busy + "]", "zones: " + other, "recursion: {enabled: false}"));
      HttpResponse<String> r = reload(server);
      assertEquals(422, r.statusCode(), r.body());
      assertTrue(r.body().contains("cannot listen on " + busy + " (UDP: address in use by another program)"),
          r.body());
      assertEquals(List.of(old), server.boundAddresses(), "127.0.0.4 bound first, then let go");
      assertEquals("192.0.2.80", address(ask(old, "www.lab.test.")), "the old zones serve on");
      assertEquals(Rcode.REFUSED, ask(old, "www.new.test.").getRcode(), "the new directory is not read");
    }
  }

  @Test
  void aReloadChangesTheRecursionAclAndReportsWhatNeedsARestart() throws Exception {
    InetSocketAddress up = upstream();
    Path zones = zones("zones", "lab.test.");
    String forward = "recursion: {local-zones-disabled: [test], forward: [\"" + up.getHostString() + ":" + up.getPort() + "\"], ";
    Path file = config(base("listen: [127.0.0.1:0]", "zones: " + zones, forward + "allow: [10.0.0.0/8]}"));
    NamudServer server = start(file);
    InetSocketAddress dns = server.boundAddresses().get(0);
    assertEquals(Rcode.REFUSED, ask(dns, "www.fwd.test.").getRcode(), "127.0.0.1 may not recurse");

    config(base("listen: [127.0.0.1:0]", "zones: " + zones, forward + "allow: [127.0.0.0/8]}", "threads: 1"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), "server", "reload",
        "--server", "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort(),
        "--data", dir.resolve("data").toString());
    assertEquals(0, exit, out + "\n" + err);
    assertEquals(List.of("reloaded: 1 file zones loaded", "applied: recursion.allow", "needs a restart: threads"),
        out.toString().lines().toList());
    Message served = ask(dns, "www.fwd.test.");
    assertEquals("192.0.2.80", address(served), "served after the reload");
    assertTrue(served.getHeader().getFlag(Flags.RA), "recursion available to this client now");
  }

  /** A loopback zone turned off by a reload: its names go to the forwarder from then on. */
  @Test
  void aReloadTurnsOffTheLocalhostZone() throws Exception {
    InetSocketAddress up = upstream("localhost.");
    Path zones = zones("zones", "lab.test.");
    String recursion = "recursion: {forward: [\"" + up.getHostString() + ":" + up.getPort() + "\"], local-zones-disabled: ";
    Path file = config(base("listen: [127.0.0.1:0]", "zones: " + zones, recursion + "[test]}"));
    NamudServer server = start(file);
    InetSocketAddress dns = server.boundAddresses().get(0);
    assertEquals(Rcode.NXDOMAIN, ask(dns, "www.localhost.").getRcode(), "namud's own localhost zone answers");

    config(base("listen: [127.0.0.1:0]", "zones: " + zones, recursion + "[test, localhost]}"));
    reloaded(server);
    assertEquals("192.0.2.80", address(ask(dns, "www.localhost.")), "forwarded after the reload");
    assertEquals("192.0.2.80", address(ask(dns, "www.lab.test.")), "the zone files still served");
  }

  @Test
  void aReloadServesTheZonesOfTheDirectoryNowNamed() throws Exception {
    Path first = zones("zones", "lab.test.");
    Path file = config(base("listen: [127.0.0.1:0]", "zones: " + first, "recursion: {enabled: false}"));
    NamudServer server = start(file);
    InetSocketAddress dns = server.boundAddresses().get(0);
    assertEquals(Rcode.REFUSED, ask(dns, "www.new.test.").getRcode());

    Path second = zones("zones-2", "lab.test.", "new.test.");
    config(base("listen: [127.0.0.1:0]", "zones: " + second, "recursion: {enabled: false}"));
    JsonNode r = reloaded(server);
    assertEquals("zones", text(r.get("applied")), r.toString());
    assertEquals(2, r.get("zonesLoaded").asInt(), r.toString());
    Message added = ask(dns, "www.new.test.");
    assertEquals("192.0.2.80", address(added), "the zone added is served");
    assertTrue(added.getHeader().getFlag(Flags.AA));
    assertEquals("192.0.2.80", address(ask(dns, "www.lab.test.")));
    Message ptr = DnsWire.udp(dns, DnsWire.query("1.0.0.127.in-addr.arpa.", Type.PTR));
    assertEquals("localhost.", ptr.getSection(Section.ANSWER).stream().findFirst()
        .map(rec -> rec.rdataToString()).orElse("none"), "the loopback zones are served beside the files still");
  }

  @Test
  void aBadConfigFileKeepsTheRunningOneAndSaysWhyOnItsLine() throws Exception {
    Path zones = zones("zones", "lab.test.");
    Path file = config(base("listen: [127.0.0.1:0]", "zones: " + zones, "recursion: {enabled: false}"));
    NamudServer server = start(file);
    InetSocketAddress dns = server.boundAddresses().get(0);
    Files.writeString(file, "listen: [127.0.0.2:0]\ntcp:\n  idle-timout: 5\n");

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), "server", "reload",
        "--server", "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort(),
        "--data", dir.resolve("data").toString());
    assertEquals(1, exit, out + "\n" + err);
    String line = file + ":3: tcp.idle-timout: unknown key; known here: idle-timeout, max-connections,"
        + " max-connections-per-client";
    assertTrue(err.toString().contains(line), err.toString());
    assertFalse(err.toString().contains("Exception"), err.toString());
    assertEquals(List.of(dns), server.boundAddresses(), "nothing changed");
    assertEquals("192.0.2.80", address(ask(dns, "www.lab.test.")), "still serving");
  }

  @Test
  void theCacheAndThePreparedAnswersOfUnchangedZonesOutliveAReload() throws Exception {
    InetSocketAddress up = upstream();
    Path zones = zones("zones", "lab.test.");
    Path file = config(base("listen: [127.0.0.1:0]", "zones: " + zones,
        "recursion: {local-zones-disabled: [test], forward: [\"" + up.getHostString() + ":" + up.getPort() + "\"]}"));
    NamudServer server = start(file);
    InetSocketAddress dns = server.boundAddresses().get(0);
    ReplyCounters counters = server.counters();
    for (int i = 0; i < 2; i++) {
      assertEquals("192.0.2.80", address(ask(dns, "www.fwd.test.")));
      assertEquals("192.0.2.80", address(ask(dns, "www.lab.test.")));
    }
    long upstreamQueries = server.recursion().orElseThrow().resolver().stats().upstreamQueries();
    long cached = counters.sourceCount(ReplyCounters.Source.CACHE);
    long prepared = counters.preparedHits();
    assertTrue(cached >= 1 && prepared >= 1, "the second round came from the copies: " + counters.snapshot());

    // A forwarder that never answers: a name asked upstream after the reload could not be answered.
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      config(base("listen: [127.0.0.1:0]", "zones: " + zones,
          "recursion: {local-zones-disabled: [test], forward: [\"127.0.0.1:" + silent.getLocalPort() + "\"]}"));
      dev.namu.zones.registry.ZoneSet zonesBefore = server.zones().current();
      JsonNode r = reloaded(server);
      assertEquals("recursion.forward", text(r.get("applied")), r.toString());
      assertTrue(zonesBefore == server.zones().current(), "zones unchanged: the zone set is not published again");

      assertEquals("192.0.2.80", address(ask(dns, "www.fwd.test.")), "the hot name is still cached");
      assertEquals(cached + 1, counters.sourceCount(ReplyCounters.Source.CACHE), counters.snapshot().toString());
      assertEquals(upstreamQueries, server.recursion().orElseThrow().resolver().stats().upstreamQueries(),
          "nothing asked upstream");
      assertEquals("192.0.2.80", address(ask(dns, "www.lab.test.")));
      assertEquals(prepared + 1, counters.preparedHits(), "the unchanged zone's answer stayed prepared");
    }
  }

  @Test
  void aReloadThatChangesOneZoneKeepsThePreparedAnswersOfTheOthers() throws Exception {
    Path zones = zones("zones", "lab.test.", "other.test.");
    Path file = config(base("listen: [127.0.0.1:0]", "zones: " + zones, "recursion: {enabled: false}"));
    NamudServer server = start(file);
    InetSocketAddress dns = server.boundAddresses().get(0);
    ReplyCounters counters = server.counters();
    for (int i = 0; i < 2; i++) {
      assertEquals("192.0.2.80", address(ask(dns, "www.lab.test.")));
      assertEquals("192.0.2.80", address(ask(dns, "www.other.test.")));
    }
    assertEquals(2, server.preparedAnswers(), "both answers prepared");

    Files.writeString(zones.resolve("other.test.zone"), ZONE.formatted("other.test.", "192.0.2.81"));
    reloaded(server);
    // the changed zone's answer is built anew and prepared under the new zone set, which starts
    // carrying the unchanged zone's answers over, off the event loops
    assertEquals("192.0.2.81", address(ask(dns, "www.other.test.")), "the changed zone is served");
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (server.preparedAnswers() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    long prepared = counters.preparedHits();
    assertEquals("192.0.2.80", address(ask(dns, "www.lab.test.")));
    assertEquals(prepared + 1, counters.preparedHits(),
        "the unchanged zone's answer was prepared before its first question after the reload");
    assertEquals("192.0.2.81", address(ask(dns, "www.other.test.")), "never the old answer of the changed zone");
  }
}
