package dev.namu.server.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.NamuctlCalls;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.peers.ToolRun;
import dev.namu.server.peers.UnboundPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rollovers of a zone namud signs, run through a running namud end to end: Unbound, with the DS
 * {@code namuctl zone ds} prints as its trust anchor (the parent), validates namud's answers as secure
 * before, at each step of and after a ZSK rollover by pre-publication (RFC 6781 4.1.1.1) started
 * with {@code namuctl zone rollover --zsk}, and after 100 API edits; the zone's TTLs are 2 s and its
 * propagation delay 2 s, so namud's signing upkeep takes every step, each after its wait, in seconds.
 * Unbound refetches each RRset as its TTL runs out, so it meets every signature namud makes while it
 * may still hold the DNSKEY RRset of an earlier step: a step taken before its wait was over would
 * show as a bogus answer. At the end the zone by AXFR verifies with ldns-verify-zone and dnssec-verify.
 * The same for a KSK rollover by double-DS with the parent zone's DS. namud listens on 127.0.74.1,
 * Unbound on 127.0.74.3.
 */
class KeyRolloverUnboundTest {
  private static final String NAMUD = "127.0.74.1";
  private static final String UNBOUND = "127.0.74.3";
  /** How long a rollover may take at most on a loaded machine; its waits add up to about 10 s. */
  private static final long ROLLOVER_SECONDS = 90;

  @TempDir Path dir;
  private NamudServer namud;
  private UnboundPeer unbound;
  private String api;
  private Path data;
  private int port;
  /** The zone whose keys roll. */
  private String zone;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    var unboundBin = ToolLocator.find("unbound");
    assumeTrue(unboundBin.isPresent(), ToolLocator.missing("unbound", "unbound"));
    data = dir.resolve("data");
    namud = NamudServer.start("--listen", NAMUD + ":0", "--data", data.toString(), "--api", NAMUD + ":0",
        "--no-metrics", "--no-recursion", "--rrl-rate", "0");
    api = "http://" + NAMUD + ":" + namud.admin().apiAddress().orElseThrow().getPort();
    port = namud.boundAddresses().get(0).getPort();
  }

  /** Imports a zone whose TTLs are all 2 s (the SOA's, and so the DNSKEY RRset's, among them). */
  private void importZone(String name, String records) throws IOException {
    Path file = Files.writeString(dir.resolve(name + ".zone"), "$ORIGIN " + name + ".\n$TTL 2\n"
        + "@ SOA ns1 hostmaster 1 3600 600 86400 2\n@ NS ns1\nns1 A 192.0.2.53\n" + records);
    NamuctlCalls.succeed(api, data, "zone", "import", file.toString());
    // dig's queries to 127.0.74.1 leave from 127.0.0.1
    NamuctlCalls.succeed(api, data, "zone", "update", name, "--allow-transfer", "127.0.0.0/8");
  }

  /** Imports the zone whose keys roll, with a few names to ask. */
  private void importRollingZone(String name) throws IOException {
    zone = name;
    importZone(name, "www A 192.0.2.80\nmail TXT \"rolled\"\n");
  }

  @AfterEach
  void stop() {
    if (unbound != null) {
      unbound.close();
    }
    if (namud != null) {
      namud.close();
    }
  }

  @Test
  void unboundFindsEveryAnswerSecureThroughAZskRolloverAndEdits() throws Exception {
    importRollingZone("roll.test");
    NamuctlCalls.succeed(api, data, "zone", "sign", zone, "--propagation-delay", "2");
    startUnbound(ds(), zone);
    assertAllSecure("signed");
    JsonNode signed = show();
    int oldZsk = tags(signed, "ZSK", "active").get(0);

    String started = NamuctlCalls.succeed(api, data, "zone", "rollover", zone, "--zsk");
    assertTrue(started.contains("ZSK " + oldZsk + " active"), started);
    Matcher publishedKey = Pattern.compile("ZSK (\\d+) published").matcher(started);
    assertTrue(publishedKey.find(), started);
    int newZsk = Integer.parseInt(publishedKey.group(1));
    // each key state the zone goes through, as namuctl zone show tells it, in the order seen; every
    // question is asked through Unbound again at each look, so at every step and between steps
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ROLLOVER_SECONDS);
    while (true) {
      JsonNode now = show();
      String states = states(now);
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(states)) {
        seen.add(states);
      }
      assertAllSecure(states);
      List<Integer> published = tags(now, "ZSK", "published");
      if (!published.isEmpty()) {
        assertEquals(List.of(newZsk), published);
        Set<Integer> signers = signerTags("www." + zone + ".", "A");
        if (tags(show(), "ZSK", "published").equals(published)) {
          // pre-publication: the new key is in the DNSKEY RRset, the old one still signs
          assertEquals(Set.of(oldZsk), signers, states);
        }
      }
      if (tags(now, "ZSK", "active").equals(List.of(newZsk))
          && tags(now, "ZSK", "retired").isEmpty()) {
        break;
      }
      assertTrue(System.nanoTime() < deadline, "the ZSK rollover did not end in " + ROLLOVER_SECONDS
          + " s; key states seen: " + seen);
    }
    assertNotEquals(oldZsk, newZsk);
    // the states seen are the steps of a pre-publication rollover in order, ending with it done (on a
    // loaded machine a look may come only after a step's few seconds are over: not every step is seen)
    List<String> steps = List.of("KSK active, ZSK active, ZSK published", "KSK active, ZSK active, ZSK retired",
        "KSK active, ZSK active");
    int at = 0;
    for (String state : seen) {
      while (at < steps.size() && !steps.get(at).equals(state)) {
        at++;
      }
      assertTrue(at < steps.size(), "key states out of order or unknown: " + seen);
    }
    assertEquals(steps.get(steps.size() - 1), seen.get(seen.size() - 1));
    assertEquals(Set.of(newZsk), signerTags("www." + zone + ".", "A"));
    assertEquals(tags(signed, "KSK", "active"), tags(show(), "KSK", "active"), "the KSK did not change");
    assertAllSecure("rolled");

    for (int i = 0; i < 100; i++) {
      NamuctlCalls.succeed(api, data, "record", "add", zone, "host" + i, "A", "198.51.100." + i);
    }
    assertAllSecure("edited");
    assertSecure("host99." + zone + ".", "A");
    assertSecure("host5." + zone + ".", "TXT");
    assertTrue(verifiedTransfer().contains("host99." + zone + "."));
  }

  /**
   * A KSK rollover by double-DS (RFC 6781 4.1.2) with its parent: {@code parent.test}, a zone namud signs
   * too, holds the child's DS (added and removed with namuctl, as a registrar would) and is Unbound's
   * one trust anchor. The new KSK's DS goes to the parent beside the old; once that DS set's TTL has
   * passed, {@code namuctl zone ds-published} swaps the KSKs in the child's DNSKEY RRset at once;
   * then the old DS goes. Every answer is secure through all of it.
   */
  @Test
  void unboundFindsEveryAnswerSecureThroughAKskRolloverByDoubleDs() throws Exception {
    importZone("parent.test", "roll NS ns1.roll\nns1.roll A 192.0.2.53\n");
    importRollingZone("roll.parent.test");
    NamuctlCalls.succeed(api, data, "zone", "sign", "parent.test", "--propagation-delay", "1");
    NamuctlCalls.succeed(api, data, "zone", "sign", zone, "--propagation-delay", "1");
    List<String> oldDs = ds();
    assertEquals(1, oldDs.size(), oldDs.toString());
    addDs(oldDs.get(0));
    startUnbound(ds("parent.test"), "parent.test");
    assertAllSecure("signed, the DS at the parent");
    int oldKsk = tags(show(), "KSK", "active").get(0);

    NamuctlCalls.succeed(api, data, "zone", "rollover", zone, "--ksk");
    assertEquals("KSK active, KSK ds-pending, ZSK active", states(show()));
    List<String> both = ds();
    assertEquals(2, both.size(), both.toString());
    assertTrue(both.containsAll(oldDs), both.toString());
    String newDs = both.stream().filter(d -> !oldDs.contains(d)).findFirst().orElseThrow();
    assertAllSecure("the new KSK waits for its DS");
    addDs(newDs);
    // the parent serves both DS: wait for the DS RRset's TTL (2 s) to pass, asking all along
    awaitAllSecure(Duration.ofSeconds(3), "both DS at the parent");

    NamuctlCalls.succeed(api, data, "zone", "ds-published", zone);
    JsonNode rolled = show();
    assertEquals("KSK active, ZSK active", states(rolled));
    assertNotEquals(List.of(oldKsk), tags(rolled, "KSK", "active"));
    assertEquals(List.of(newDs), ds());
    // Unbound may hold the old DNSKEY RRset for its TTL: both DS keep either secure
    awaitAllSecure(Duration.ofSeconds(3), "the new KSK signs, both DS at the parent");

    NamuctlCalls.succeed(api, data, "record", "delete", "parent.test", "roll", "DS", rdata(oldDs.get(0)));
    awaitAllSecure(Duration.ofSeconds(3), "the old DS gone from the parent");
    verifiedTransfer();
  }

  /** The child's DS record, as {@code namuctl zone ds} printed it, added to the parent. */
  private void addDs(String ds) {
    NamuctlCalls.succeed(api, data, "record", "add", "parent.test", "roll", "DS", rdata(ds), "--ttl", "2");
  }

  /** The RDATA of a DS line: key tag, algorithm, digest type, digest. */
  private static String rdata(String ds) {
    return ds.replaceFirst("^\\S+\\s+(\\d+\\s+)?(IN\\s+)?DS\\s+", "");
  }

  /** Asks every question through Unbound again and again for {@code span}: each answer must be secure. */
  private void awaitAllSecure(Duration span, String when) throws Exception {
    long end = System.nanoTime() + span.toNanos();
    do {
      assertAllSecure(when);
    } while (System.nanoTime() < end);
  }

  /** The DS lines {@code namuctl zone ds} prints for the test zone, the parent's. */
  private List<String> ds() {
    return ds(zone);
  }

  private List<String> ds(String name) {
    return Arrays.stream(NamuctlCalls.succeed(api, data, "zone", "ds", name).split("\n"))
        .map(String::trim).filter(l -> l.matches(".*\\sDS\\s.*")).sorted().toList();
  }

  private JsonNode show() throws IOException {
    return json.readTree(NamuctlCalls.succeed(api, data, "zone", "show", zone, "--json")).path("signing");
  }

  /** The zone's keys as role and state, sorted: "KSK active, ZSK active, ZSK published". */
  private static String states(JsonNode signing) {
    List<String> all = new ArrayList<>();
    signing.path("keys").forEach(k -> all.add(k.path("role").asText() + " " + k.path("state").asText()));
    all.sort(null);
    return String.join(", ", all);
  }

  private static List<Integer> tags(JsonNode signing, String role, String state) {
    List<Integer> tags = new ArrayList<>();
    signing.path("keys").forEach(k -> {
      if (k.path("role").asText().equals(role) && k.path("state").asText().equals(state)) {
        tags.add(k.path("tag").asInt());
      }
    });
    return tags;
  }

  /** The key tags of the RRSIGs namud answers {@code name}/{@code type} with. */
  private Set<Integer> signerTags(String name, String type) throws Exception {
    String out = dig(NAMUD, port, "+dnssec", "+norec", name, type);
    Set<Integer> tags = new TreeSet<>();
    Matcher m = Pattern.compile("\\tRRSIG\\t" + type + " \\d+ \\d+ \\d+ \\d+ \\d+ (\\d+) ").matcher(out);
    while (m.find()) {
      tags.add(Integer.parseInt(m.group(1)));
    }
    assertTrue(!tags.isEmpty(), "no RRSIG in\n" + out);
    return tags;
  }

  /** Asks through Unbound for data, a name that does not exist, a type that does not, the apex. */
  private void assertAllSecure(String when) throws Exception {
    assertSecure("www." + zone + ".", "A", when);
    assertSecure("mail." + zone + ".", "TXT", when);
    assertSecure("nope." + zone + ".", "A", when);
    assertSecure("www." + zone + ".", "AAAA", when);
    assertSecure(zone + ".", "SOA", when);
    assertSecure(zone + ".", "DNSKEY", when);
  }

  private void assertSecure(String name, String type) throws Exception {
    assertSecure(name, type, "");
  }

  private void assertSecure(String name, String type, String when) throws Exception {
    String out = dig(UNBOUND, unbound.port(), "+dnssec", name, type);
    assertTrue(out.matches("(?s).*flags:[^;]* ad[ ;].*") && !out.contains("SERVFAIL"),
        name + " " + type + " is not secure (" + when + "):\n" + out + "\nunbound log:\n" + unbound.log());
  }

  /** Unbound with {@code anchors} as its trust anchors, asking namud for the names in {@code stub}. */
  private void startUnbound(List<String> anchors, String stub) throws Exception {
    assertTrue(!anchors.isEmpty(), "no DS for the trust anchor");
    int unboundPort = UnboundPeer.freePort(UNBOUND);
    StringBuilder conf = UnboundPeer.config(dir, UNBOUND, unboundPort).append("  module-config: \"validator iterator\"\n");
    for (String ds : anchors) {
      conf.append("  trust-anchor: \"").append(ds).append("\"\n");
    }
    conf.append("stub-zone:\n  name: \"" + stub + ".\"\n  stub-addr: " + NAMUD + "@" + port + "\n")
        .append(UnboundPeer.deadRootStub(UNBOUND));
    unbound = UnboundPeer.start(dir, conf, new InetSocketAddress(UNBOUND, unboundPort), zone + ".");
  }

  /** The zone by AXFR from namud, checked by ldns-verify-zone and BIND's dnssec-verify. */
  private String verifiedTransfer() throws Exception {
    String axfr = dig(NAMUD, port, zone + ".", "AXFR");
    assertTrue(axfr.contains("\tRRSIG\t") && axfr.contains("www." + zone + "."), axfr);
    List<String> lines = Arrays.stream(axfr.split("\n")).filter(l -> !l.isBlank() && !l.startsWith(";")).toList();
    Path file = dir.resolve("transferred.zone");
    // AXFR ends with the SOA again: once in the file
    Files.write(file, lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
    var ldns = ToolLocator.find("ldns-verify-zone");
    assumeTrue(ldns.isPresent(), ToolLocator.missing("ldns-verify-zone", "ldnsutils"));
    ToolRun l = ToolRun.of(ldns.get().toString(), file.toString());
    assertEquals(0, l.exit(), "ldns-verify-zone\n" + l.out());
    var verify = ToolLocator.find("dnssec-verify");
    assumeTrue(verify.isPresent(), ToolLocator.missing("dnssec-verify", "bind9-utils"));
    ToolRun b = ToolRun.of(verify.get().toString(), "-o", zone + ".", file.toString());
    assertEquals(0, b.exit(), "dnssec-verify\n" + b.out());
    return axfr;
  }

  private static String dig(String server, int port, String... args) throws Exception {
    var dig = ToolLocator.find("dig");
    assumeTrue(dig.isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
    List<String> cmd = new ArrayList<>(List.of(dig.get().toString(), "@" + server, "-p", Integer.toString(port),
        "+tries=2", "+time=5"));
    cmd.addAll(List.of(args));
    return ToolRun.of(cmd.toArray(String[]::new)).out();
  }
}
