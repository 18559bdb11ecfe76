package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.resolver.replay.ManualTicker;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.admin.AdminServices;
import dev.namu.server.config.ConfigSource;
import dev.namu.server.config.NamudCommandLine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The resolver's options as namud's flags and config keys, each seen at work through a real namud
 * over UDP: what its client gets (TTLs, SERVFAIL or a stale answer) and what its upstreams get
 * (names, EDNS size, source ports), from a scripted hierarchy on 127.0.0.61-63.
 */
class ResolverOptionsTest {
  private static final String ROOT = "127.0.0.61";
  private static final String TLD = "127.0.0.62";
  private static final String LEAF = "127.0.0.63";
  private static final Name TEST = Name.fromConstantString("test.");
  private static final Name EX = Name.fromConstantString("ex.test.");
  private static final Name STRICT = Name.fromConstantString("strict.test.");
  private static final int SLOW_MS = 15_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final ManualTicker clock = new ManualTicker();
  /** Set when the servers of test. refuse stale.test. (its upstream is down). */
  private final AtomicBoolean staleDown = new AtomicBoolean();
  /** Set when the server of test. repeats each question in lower case, as some servers do. */
  private final AtomicBoolean tldLowersCase = new AtomicBoolean();
  private Path data;
  private ScriptedHierarchy net;
  private InetSocketAddress dns;

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  // ---- the scripted hierarchy: . on .61, test. on .62 (delegating ex.test. to a server named
  // outside test.), ex.test. on .63

  private ScriptedHierarchy hierarchy() throws IOException {
    net = ScriptedHierarchy.start(
        new ScriptedHierarchy.Server(ROOT, this::root),
        new ScriptedHierarchy.Server(TLD, q -> tldLowersCase.get() ? inLowerCase(tld(q)) : tld(q)),
        new ScriptedHierarchy.Server(LEAF, this::leaf));
    running.add(net);
    return net;
  }

  private static Message reply(Message q, int rcode, boolean aa) {
    Message m = new Message(q.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    if (aa) m.getHeader().setFlag(Flags.AA);
    m.getHeader().setRcode(rcode);
    m.addRecord(q.getQuestion(), Section.QUESTION);
    return m;
  }

  /** The reply with its question in lower case, whatever the case it was asked in. */
  private static Message inLowerCase(Message m) {
    Record q = m.getQuestion();
    m.removeAllRecords(Section.QUESTION);
    m.addRecord(Record.newRecord(name(q.getName().toString().toLowerCase(java.util.Locale.ROOT)), q.getType(),
        q.getDClass()), Section.QUESTION);
    return m;
  }

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }

  private static Record a(Name owner, long ttl, String address) {
    try {
      return new ARecord(owner, DClass.IN, ttl, java.net.InetAddress.getByName(address));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Message negative(Message q, Name zone, int rcode) {
    Message m = reply(q, rcode, true);
    m.addRecord(new SOARecord(zone, DClass.IN, 3600, name("ns." + (zone.equals(Name.root) ? "" : zone)),
        name("admin." + (zone.equals(Name.root) ? "" : zone)), 1, 3600, 600, 86400, 3600), Section.AUTHORITY);
    return m;
  }

  private Message root(Message q) {
    Name qname = q.getQuestion().getName();
    if (qname.equals(Name.root) && q.getQuestion().getType() == Type.NS) {
      Message m = reply(q, Rcode.NOERROR, true);
      m.addRecord(new NSRecord(Name.root, DClass.IN, 86400, name("a.root-servers.")), Section.ANSWER);
      m.addRecord(a(name("a.root-servers."), 86400, ROOT), Section.ADDITIONAL);
      return m;
    }
    if (qname.subdomain(TEST)) {
      Message m = reply(q, Rcode.NOERROR, false);
      m.addRecord(new NSRecord(TEST, DClass.IN, 86400, name("ns.test.")), Section.AUTHORITY);
      m.addRecord(a(name("ns.test."), 86400, TLD), Section.ADDITIONAL);
      return m;
    }
    return negative(q, Name.root, Rcode.NXDOMAIN);
  }

  private Message tld(Message q) {
    Name qname = q.getQuestion().getName();
    if (qname.subdomain(EX)) {
      // ex.test.'s server is named in other., outside test.: its address here is out-of-bailiwick glue
      Message m = reply(q, Rcode.NOERROR, false);
      m.addRecord(new NSRecord(EX, DClass.IN, 86400, name("ns.ex.other.")), Section.AUTHORITY);
      m.addRecord(a(name("ns.ex.other."), 86400, LEAF), Section.ADDITIONAL);
      return m;
    }
    if (qname.subdomain(STRICT)) {
      // a server that refuses every name shorter than the one it holds, x.y.strict.test.
      return qname.labels() < 5 ? reply(q, Rcode.REFUSED, false) : answer(q, 300, "192.0.2.9");
    }
    // Names compare without case, as a real server's do (the resolver sends random case, 0x20).
    String label = qname.equals(TEST) ? "" : qname.getLabelString(0).toLowerCase(java.util.Locale.ROOT);
    if (q.getQuestion().getType() != Type.A) {
      return negative(q, TEST, Rcode.NOERROR);
    }
    return switch (qname.labels() == 3 ? label : qname.toString().toLowerCase(java.util.Locale.ROOT)) {
      case "ttl", "ttl2" -> answer(q, 3600, "192.0.2.1");
      case "short" -> answer(q, 5, "192.0.2.2");
      case "stale" -> staleDown.get() ? reply(q, Rcode.REFUSED, false) : answer(q, 10, "192.0.2.3");
      case "pre" -> answer(q, 100, "192.0.2.4");
      case "marker" -> answer(q, 300, "192.0.2.6");
      case "a.b.c.test." -> answer(q, 300, "192.0.2.5");
      // the empty non-terminals above a.b.c.test.: NODATA
      case "c", "b.c.test." -> negative(q, TEST, Rcode.NOERROR);
      default -> negative(q, TEST, Rcode.NXDOMAIN);
    };
  }

  private static Message answer(Message q, long ttl, String address) {
    Message m = reply(q, Rcode.NOERROR, true);
    m.addRecord(a(q.getQuestion().getName(), ttl, address), Section.ANSWER);
    return m;
  }

  private Message leaf(Message q) {
    if (q.getQuestion().getName().equals(name("www.ex.test.")) && q.getQuestion().getType() == Type.A) {
      return answer(q, 300, "192.0.2.63");
    }
    return negative(q, EX, Rcode.NXDOMAIN);
  }

  // ---- namud over it

  /** A recursive namud over the scripted hierarchy, on the manual clock, with these flags added. */
  private void namud(String... flags) throws IOException {
    List<String> args = new ArrayList<>(List.of("--no-api"));
    args.addAll(List.of(flags));
    start(args);
  }

  /** As {@link #namud}, with the admin API on a free port (namuctl finds its token in {@link #data}). */
  private NamudServer namudWithApi(String... flags) throws IOException {
    List<String> args = new ArrayList<>(List.of("--api", "127.0.0.1:0"));
    args.addAll(List.of(flags));
    return start(args);
  }

  private NamudServer start(List<String> flags) throws IOException {
    if (net == null) {
      hierarchy();
    }
    data = Files.createTempDirectory(dir, "data");
    List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--no-metrics",
        "--data", data.toString(),
        "--root-hints", ScriptedHierarchy.hints(dir, ROOT).toString(),
        "--upstream-port", Integer.toString(net.port), "--no-local-zone", "test", "--log-level", "WARN"));
    args.addAll(flags);
    NamudServer server = NamudServer.start(NamudCommandLine.parse(args.toArray(String[]::new)), clock);
    running.add(server);
    dns = server.boundAddresses().get(0);
    return server;
  }

  private Message ask(String name) throws IOException {
    Message q = DnsWire.query(name, Type.A);
    byte[] reply = DnsWire.udp(dns, q.toWire(), SLOW_MS);
    assertNotNull(reply, "no reply to " + name);
    return new Message(reply);
  }

  private static long ttl(Message m, int section) {
    List<Record> records = m.getSection(section);
    assertTrue(!records.isEmpty(), "nothing in section " + section + ": " + m);
    return records.get(0).getTTL();
  }

  /**
   * The names of the A queries {@code server} got, in order, in lower case: the resolver sends
   * each name's letters in random case (0x20).
   */
  private List<String> askedOf(String server) {
    return net.seen().stream().filter(s -> s.server().equals(server))
        .filter(s -> s.query().getQuestion().getType() == Type.A)
        .map(s -> s.query().getQuestion().getName().toString().toLowerCase(java.util.Locale.ROOT)).toList();
  }

  /** The names of the A queries {@code server} got, in order, as they were spelt on the wire. */
  private List<String> spelledOf(String server) {
    return net.seen().stream().filter(s -> s.server().equals(server))
        .filter(s -> s.query().getQuestion().getType() == Type.A)
        .map(s -> s.query().getQuestion().getName().toString()).toList();
  }

  // ---- the options

  @Test
  void cacheTtlBoundsCapAndRaiseWhatClientsAreGiven() throws Exception {
    namud("--cache-max-ttl", "60", "--cache-min-ttl", "30", "--cache-max-negative-ttl", "20");
    assertEquals(60, ttl(ask("ttl.test."), Section.ANSWER), "3600 upstream, capped");
    assertEquals(30, ttl(ask("short.test."), Section.ANSWER), "5 upstream, raised");
    Message nx = ask("nx.test.");
    assertEquals(Rcode.NXDOMAIN, nx.getRcode());
    assertEquals(20, ttl(nx, Section.AUTHORITY), "SOA minimum 3600 upstream, capped");
    clock.advanceSeconds(40);
    assertEquals(20, ttl(ask("ttl.test."), Section.ANSWER), "the capped entry counts down from 60");
  }

  @Test
  void qnameMinimisationOffSendsTheFullNameFirst() throws Exception {
    namud("--qname-minimisation", "off");
    assertEquals("192.0.2.5", ask("a.b.c.test.").getSection(Section.ANSWER).get(0).rdataToString());
    assertEquals(List.of("a.b.c.test."), askedOf(ROOT));
    assertEquals(List.of("a.b.c.test."), askedOf(TLD));
  }

  @Test
  void qnameMinimisationOnShowsOneLabelMoreEachStep() throws Exception {
    namud();
    assertEquals("192.0.2.5", ask("a.b.c.test.").getSection(Section.ANSWER).get(0).rdataToString());
    assertEquals(List.of("test."), askedOf(ROOT));
    assertEquals(List.of("c.test.", "b.c.test.", "a.b.c.test."), askedOf(TLD));
  }

  @Test
  void strictMinimisationNeverFallsBackToTheFullName() throws Exception {
    namud("--qname-minimisation", "strict");
    assertEquals(Rcode.SERVFAIL, ask("x.y.strict.test.").getRcode());
    assertTrue(askedOf(TLD).stream().noneMatch("x.y.strict.test."::equals), "full name never sent: " + askedOf(TLD));
    assertTrue(askedOf(TLD).contains("strict.test."), askedOf(TLD).toString());
  }

  @Test
  void relaxedMinimisationFallsBackToTheFullName() throws Exception {
    namud("--qname-minimisation", "on");
    Message m = ask("x.y.strict.test.");
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(List.of("strict.test.", "x.y.strict.test."), askedOf(TLD));
  }

  @Test
  void hardenGlueNoUsesAReferralsGlueFromOutsideItsZone() throws Exception {
    namud("--harden-glue", "no");
    Message m = ask("www.ex.test.");
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
    assertEquals("192.0.2.63", m.getSection(Section.ANSWER).get(0).rdataToString());
  }

  @Test
  void hardenGlueYesNeverUsesIt() throws Exception {
    namud();
    assertEquals(Rcode.SERVFAIL, ask("www.ex.test.").getRcode(), "ns.ex.other. has no address but the glue");
    assertTrue(askedOf(LEAF).isEmpty(), "the out-of-bailiwick address was never queried");
  }

  @Test
  void serveStaleOffGivesServfailWhenTheUpstreamFails() throws Exception {
    namud("--serve-stale", "off");
    assertEquals(Rcode.NOERROR, ask("stale.test.").getRcode());
    staleDown.set(true);
    clock.advanceSeconds(20);
    assertEquals(Rcode.SERVFAIL, ask("stale.test.").getRcode());
  }

  @Test
  void serveStaleAnswersWithItsTtlWithinItsWindow() throws Exception {
    namud("--serve-stale-ttl", "7", "--serve-stale-window", "60");
    assertEquals(Rcode.NOERROR, ask("stale.test.").getRcode());
    staleDown.set(true);
    clock.advanceSeconds(20);
    Message stale = ask("stale.test.");
    assertEquals(Rcode.NOERROR, stale.getRcode(), stale.toString());
    assertEquals(7, ttl(stale, Section.ANSWER));
    clock.advanceSeconds(60);
    assertEquals(Rcode.SERVFAIL, ask("stale.test.").getRcode(), "expired 70 s ago: past the window");
  }

  /** pre.test. is asked again at 95 of its 100 seconds; then a marker name goes to the same server. */
  private long refreshesOfPre() throws IOException {
    assertEquals(Rcode.NOERROR, ask("pre.test.").getRcode());
    clock.advanceSeconds(95);
    assertEquals(Rcode.NOERROR, ask("pre.test.").getRcode());
    // The refresh, if any, was sent before that reply; the server answers in order, so once the
    // marker is answered the refresh has been seen.
    assertEquals(Rcode.NOERROR, ask("marker.test.").getRcode());
    return askedOf(TLD).stream().filter("pre.test."::equals).count() - 1;
  }

  @Test
  void prefetchOffRefreshesNothing() throws Exception {
    namud("--prefetch", "off");
    assertEquals(0, refreshesOfPre());
  }

  @Test
  void prefetchOnRefreshesAnAnswerNearItsExpiry() throws Exception {
    namud("--prefetch", "on");
    assertEquals(1, refreshesOfPre());
  }

  @Test
  void ednsBufferSizeIsTheSizeUpstreamsSee() throws Exception {
    namud("--edns-buffer-size", "1400");
    ask("ttl.test.");
    Set<Integer> sizes = net.seen().stream().map(s -> s.query().getOPT() == null ? -1 : s.query().getOPT().getPayloadSize())
        .collect(Collectors.toSet());
    assertEquals(Set.of(1400), sizes);
  }

  @Test
  void outgoingRangeBoundsTheSourcePorts() throws Exception {
    namud("--outgoing-range", "41000-41999");
    ask("ttl.test.");
    ask("a.b.c.test.");
    List<Integer> ports = net.seen().stream().map(ScriptedHierarchy.Seen::sourcePort).toList();
    assertTrue(ports.size() >= 3, ports.toString());
    assertTrue(ports.stream().allMatch(p -> p >= 41000 && p <= 41999), "source ports " + ports);
  }

  @Test
  void useCapsForIdOffAsksUpstreamInTheCaseTheClientAsked() throws Exception {
    namud("--use-caps-for-id", "off", "--qname-minimisation", "off");
    assertEquals(Rcode.NOERROR, ask("Marker.TEST.").getRcode());
    assertEquals(Rcode.NOERROR, ask("ttl.test.").getRcode());
    assertEquals(List.of("Marker.TEST.", "ttl.test."), spelledOf(TLD));
  }

  @Test
  void useCapsForIdOnAsksUpstreamInRandomCase() throws Exception {
    namud("--use-caps-for-id", "on", "--qname-minimisation", "off");
    List<String> names = List.of("marker.test.", "ttl.test.", "short.test.", "pre.test.");
    for (String n : names) {
      assertEquals(Rcode.NOERROR, ask(n).getRcode(), n);
    }
    List<String> spelt = spelledOf(TLD);
    assertEquals(names, spelt.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList(), "asked once each");
    // 33 letters, each sent in upper case with a chance of one half: all in lower case once in 2^33
    assertTrue(spelt.stream().anyMatch(n -> !n.equals(n.toLowerCase(java.util.Locale.ROOT))), "random case: " + spelt);
  }

  @Test
  void aServerThatRepeatsTheQuestionInLowerCaseIsShownCaseBlindInCacheInfra() throws Exception {
    tldLowersCase.set(true);
    NamudServer server = namudWithApi("--qname-minimisation", "off");
    // asked in random case, answered in lower case: after the timeout asked again as spelt
    Message m = ask("marker.test.");
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
    List<String> spelt = spelledOf(TLD);
    assertTrue(spelt.size() >= 2 && spelt.get(spelt.size() - 1).equals("marker.test."), "asked " + spelt);

    JsonNode servers = JSON.readTree(namuctl(server, "cache", "infra", "--json")).path("servers");
    java.util.Map<String, Boolean> blind = new java.util.TreeMap<>();
    servers.forEach(s -> blind.put(s.path("address").asText(), s.path("caseBlind").asBoolean()));
    assertEquals(true, blind.get(TLD), servers.toString());
    assertEquals(false, blind.get(ROOT), "the root repeats the case it is asked in: " + servers);

    String table = namuctl(server, "cache", "infra");
    assertTrue(table.lines().findFirst().orElse("").contains("CASE-BLIND"), table);
    assertTrue(table.lines().anyMatch(l -> l.matches("127\\.0\\.0\\.62\\s+\\d+ ms\\s+\\d+\\s+yes\\s+-\\s+-\\s+yes\\s+.*")),
        table);
    assertTrue(table.lines().anyMatch(l -> l.matches("127\\.0\\.0\\.61\\s+\\d+ ms\\s+\\d+\\s+yes\\s+-\\s+-\\s+-\\s+.*")),
        table);
  }

  /** namuctl's own entry point against {@code server}'s admin API; its output, after exit 0. */
  private String namuctl(NamudServer server, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort(),
        "--data", data.toString()));
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int exit = dev.namu.cli.Namuctl.execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
        all.toArray(new String[0]));
    assertEquals(0, exit, err.toString());
    return out.toString();
  }

  // ---- reload

  private Path configFile;
  private NamudServer reloadable;

  /** namud started with {@code --config FILE}, its recursion keys those given. */
  private void namudWithConfig(String recursionKeys) throws IOException {
    hierarchy();
    configFile = dir.resolve("namud.yaml");
    writeConfig(recursionKeys);
    ConfigSource source = ConfigSource.commandLine(List.of("--config", configFile.toString()), dir.resolve("absent.yaml"));
    reloadable = NamudServer.launch(source.read(), source, AdminServices::openStore, clock);
    running.add(reloadable);
    reloadable.awaitStore();
    dns = reloadable.boundAddresses().get(0);
  }

  private void writeConfig(String recursionKeys) throws IOException {
    Files.writeString(configFile, "data: " + dir.resolve("data") + "\napi: {listen: 127.0.0.1:0}\n"
        + "metrics: {enabled: false}\nlisten: [127.0.0.1:0]\nlog-level: WARN\nrecursion:\n  root-hints: "
        + ScriptedHierarchy.hints(dir, ROOT) + "\n  upstream-port: " + net.port + "\n  local-zones-disabled: [test]\n" + recursionKeys);
  }

  /** Writes the config file with these recursion keys and reloads it through the admin API. */
  private JsonNode reload(String recursionKeys) throws Exception {
    writeConfig(recursionKeys);
    String token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
    int port = reloadable.admin().apiAddress().orElseThrow().getPort();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/reload"))
            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @Test
  void aReloadAppliesANewTtlCapToNewEntriesAndKeepsTheCache() throws Exception {
    namudWithConfig("  cache-max-ttl: 3600\n");
    assertEquals(3600, ttl(ask("ttl.test."), Section.ANSWER));

    JsonNode report = reload("  cache-max-ttl: 60\n");
    assertEquals("[\"recursion.cache-max-ttl\"]", report.get("applied").toString(), report.toString());
    assertEquals("[]", report.get("needsRestart").toString(), report.toString());

    assertEquals(3600, ttl(ask("ttl.test."), Section.ANSWER), "the cached entry stays as it was");
    assertEquals(60, ttl(ask("ttl2.test."), Section.ANSWER), "a new entry gets the new cap");
  }

  @Test
  void aReloadShortensTheServeStaleWindowAndNamesOutgoingRangeForARestart() throws Exception {
    namudWithConfig("");
    assertEquals(Rcode.NOERROR, ask("stale.test.").getRcode());
    staleDown.set(true);
    clock.advanceSeconds(30);
    assertEquals(Rcode.NOERROR, ask("stale.test.").getRcode(), "expired 20 s ago: served stale");

    JsonNode report = reload("  serve-stale-window: 10\n  outgoing-range: 30000-39999\n");
    assertEquals("[\"recursion.serve-stale-window\"]", report.get("applied").toString(), report.toString());
    assertEquals("[\"recursion.outgoing-range\"]", report.get("needsRestart").toString(), report.toString());
    clock.advanceSeconds(6); // past the failure the last refresh left (RFC 9520, 5 s)
    assertEquals(Rcode.SERVFAIL, ask("stale.test.").getRcode(), "expired 26 s ago: past the window now");
  }
}
