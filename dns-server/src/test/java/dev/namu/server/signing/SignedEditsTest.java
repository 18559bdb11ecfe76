package dev.namu.server.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamuctlCalls;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.peers.ToolRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Edits of a signed zone without delegations or wildcards, the kind namud signs by patching the zone
 * it serves (only the touched names and the NSEC/NSEC3 records around them are made anew): after
 * adds, deletes, names that leave the chain, and empty non-terminals that come and go, the zone
 * transferred by AXFR verifies with dnssec-verify and ldns-verify-zone, and its NSEC or NSEC3 chain
 * is the one the same records get when signed from scratch ({@code namuctl zone unsign} then
 * {@code zone sign}). namud listens on 127.0.73.1.
 */
class SignedEditsTest {
  private static final String ZONE = "flat.test";

  @TempDir Path dir;
  private NamudServer namud;
  private String api;
  private Path data;

  @BeforeEach
  void start() {
    data = dir.resolve("data");
    namud = NamudServer.start("--listen", "127.0.73.1:0", "--data", data.toString(), "--api", "127.0.73.1:0",
        "--no-metrics", "--no-recursion", "--rrl-rate", "0");
    api = "http://127.0.73.1:" + namud.admin().apiAddress().orElseThrow().getPort();
    namuctl("zone", "create", ZONE, "--ns", "ns1." + ZONE + ".");
    namuctl("record", "add", ZONE, "ns1", "A", "192.0.2.53");
    for (String host : List.of("c", "e", "g", "x.y.k", "m")) {
      namuctl("record", "add", ZONE, host, "A", "192.0.2.1");
    }
    namuctl("zone", "update", ZONE, "--allow-transfer", "127.0.73.0/24");
  }

  @AfterEach
  void stop() {
    if (namud != null) {
      namud.close();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void editsKeepTheChainOfAZoneSignedFromScratch(boolean nsec3) throws Exception {
    sign(nsec3);
    namuctl("record", "add", ZONE, "d", "A", "198.51.100.4");             // joins between c and e
    namuctl("record", "add", ZONE, "zzz", "TXT", "last");                 // joins at the end
    namuctl("record", "add", ZONE, "a", "A", "198.51.100.1");             // joins right after the apex
    namuctl("record", "add", ZONE, "e", "AAAA", "2001:db8::e");           // a new type at a name
    namuctl("record", "add", ZONE, "p.q.r", "TXT", "below two new empty non-terminals");
    namuctl("record", "delete", ZONE, "zzz", "TXT");                      // the last leaves
    namuctl("record", "delete", ZONE, "c", "A");                          // one in the middle leaves
    namuctl("record", "delete", ZONE, "e", "A");                          // a type goes, the name stays
    namuctl("record", "delete", ZONE, "x.y.k", "A");                      // its empty non-terminals go too
    namuctl("record", "delete", ZONE, "m", "A");
    namuctl("record", "add", ZONE, "m", "TXT", "back with another type");
    for (int i = 0; i < 20; i++) {
      namuctl("record", "add", ZONE, "h" + i, "A", "198.51.100." + (10 + i));
      if (i % 3 == 0) {
        namuctl("record", "delete", ZONE, "h" + i, "A");
      }
    }
    List<String> edited = chain(verifiedTransfer("edited", nsec3), nsec3);
    assertTrue(edited.stream().noneMatch(l -> l.startsWith("c." + ZONE + ".") || l.startsWith("zzz.")), edited.toString());
    // the served proofs come from the chain as edited: a name where c was, and one below x.y.k
    for (String missing : List.of("ca", "z.y.k")) {
      ToolRun nx = dig("+dnssec", "+noall", "+comments", "+authority", missing + "." + ZONE + ".", "A");
      assertTrue(nx.out().contains("status: NXDOMAIN"), nx.out());
      List<String> proof = entries(lines(nx.out()), nsec3);
      assertFalse(proof.isEmpty(), nx.out());
      assertTrue(edited.containsAll(proof), proof + " not all in " + edited);
    }

    namuctl("zone", "unsign", ZONE);
    sign(nsec3);
    List<String> fromScratch = chain(verifiedTransfer("from-scratch", nsec3), nsec3);
    assertEquals(fromScratch, edited);
  }

  private void sign(boolean nsec3) {
    String out = nsec3 ? namuctl("zone", "sign", ZONE, "--nsec3") : namuctl("zone", "sign", ZONE);
    assertTrue(out.contains(" DS "), out);
  }

  /**
   * The zone's NSEC or NSEC3 records as owner, next and type bitmap (sorted; TTLs and signatures
   * left out: those differ between two signings), and no record of the other kind.
   */
  private static List<String> chain(List<String[]> records, boolean nsec3) {
    List<String> out = entries(records, nsec3);
    assertTrue(out.size() > 5, "a chain of " + out.size() + " records");
    return out;
  }

  private static List<String> entries(List<String[]> records, boolean nsec3) {
    String type = nsec3 ? "NSEC3" : "NSEC";
    TreeSet<String> out = new TreeSet<>();
    for (String[] f : records) {
      assertFalse(f[3].equals(nsec3 ? "NSEC" : "NSEC3"), String.join(" ", f));
      if (f[3].equals(type)) {
        // NSEC: next, types...; NSEC3: hash, flags, iterations, salt, next, types...
        List<String> rest = Arrays.asList(f).subList(4, f.length);
        List<String> types = new ArrayList<>(rest.subList(nsec3 ? 5 : 1, rest.size()));
        types.sort(null);
        out.add(f[0] + " " + rest.get(nsec3 ? 4 : 0) + " " + String.join(" ", types));
      }
    }
    return List.copyOf(out);
  }

  /** The zone by AXFR, checked by dnssec-verify and ldns-verify-zone; its records split in fields. */
  private List<String[]> verifiedTransfer(String label, boolean nsec3) throws Exception {
    ToolRun axfr = dig("+onesoa", ZONE + ".", "axfr");
    assertFalse(axfr.out().contains("Transfer failed"), axfr.out());
    List<String> lines = Arrays.stream(axfr.out().split("\n")).filter(l -> !l.isBlank() && !l.startsWith(";")).toList();
    Path file = dir.resolve(label + ".zone");
    Files.write(file, lines, StandardCharsets.UTF_8);
    var verify = ToolLocator.find("dnssec-verify");
    assumeTrue(verify.isPresent(), ToolLocator.missing("dnssec-verify", "bind9-utils"));
    ToolRun bind = ToolRun.of(verify.get().toString(), "-o", ZONE + ".", file.toString());
    assertEquals(0, bind.exit(), label + ": dnssec-verify\n" + bind.out());
    var ldns = ToolLocator.find("ldns-verify-zone");
    assumeTrue(ldns.isPresent(), ToolLocator.missing("ldns-verify-zone", "ldnsutils"));
    ToolRun l = ToolRun.of(ldns.get().toString(), file.toString());
    assertEquals(0, l.exit(), label + ": ldns-verify-zone\n" + l.out());
    return lines(axfr.out());
  }

  /** The records of dig's output (comment lines left out), each split in fields. */
  private static List<String[]> lines(String digOut) {
    return Arrays.stream(digOut.split("\n")).filter(l -> !l.isBlank() && !l.startsWith(";"))
        .map(l -> l.trim().split("\\s+")).toList();
  }

  private ToolRun dig(String... args) throws Exception {
    var dig = ToolLocator.find("dig");
    assumeTrue(dig.isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
    List<String> cmd = new ArrayList<>(List.of(dig.get().toString(), "@127.0.73.1", "-b", "127.0.73.2", "-p",
        Integer.toString(namud.boundAddresses().get(0).getPort()), "+tries=1", "+time=10", "+nocmd", "+nostats"));
    cmd.addAll(List.of(args));
    ToolRun r = ToolRun.of(cmd.toArray(String[]::new));
    assertEquals(0, r.exit(), r.out());
    return r;
  }

  private String namuctl(String... args) {
    return NamuctlCalls.succeed(api, data, args);
  }
}
