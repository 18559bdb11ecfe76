package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.peers.ToolLocator;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * A DNSSEC-signed hierarchy on loopback, signed when the test starts with BIND's dnssec-keygen
 * and dnssec-signzone and served by three NSD processes on one port (each zone signed by one
 * key that signs every RRset, dnssec-signzone -z):
 *
 * <pre>
 *   .       127.0.65.1   signed (ECDSAP256SHA256); its DS is the trust anchor ({@link #anchor})
 *   test.   127.0.65.2   signed, DS for every signed leaf below, none for insecure.test
 *   leaves  127.0.65.3   one zone per case of {@link #LEAVES}
 *   agg.test's NS        127.0.65.4, a {@link CountingRelay} to 127.0.65.3
 * </pre>
 *
 * Every leaf has {@code www} (A), so {@code www.LEAF A} is an answer, {@code nx.LEAF A} a name
 * error and {@code www.LEAF TXT} no data. The broken cases are made after signing: one RRSIG
 * byte changed (badsig), signatures whose validity ended (expired), the DNSKEY RRset removed
 * (nokey).
 */
final class SignedHierarchy implements AutoCloseable {
  static final String ROOT = "127.0.65.1";
  static final String TLD = "127.0.65.2";
  static final String LEAF = "127.0.65.3";
  /** A relay to the leaves' server that counts what it passes on, the address of agg.test's NS. */
  static final String RELAY = "127.0.65.4";
  static final String COUNTED = "agg.test.";

  /** The leaves: zone -> how it is signed. */
  static final Map<String, Leaf> LEAVES = new LinkedHashMap<>();

  /** How a leaf is signed and broken. */
  record Leaf(String algorithm, boolean signed, boolean nsec3, String damage) {}

  static {
    LEAVES.put("rsasha256.test.", new Leaf("RSASHA256", true, false, null));
    LEAVES.put("rsasha512.test.", new Leaf("RSASHA512", true, false, null));
    LEAVES.put("ecdsap256.test.", new Leaf("ECDSAP256SHA256", true, false, null));
    LEAVES.put("ecdsap384.test.", new Leaf("ECDSAP384SHA384", true, false, null));
    LEAVES.put("ed25519.test.", new Leaf("ED25519", true, false, null));
    LEAVES.put("nsec3.test.", new Leaf("ECDSAP256SHA256", true, true, null));
    LEAVES.put("badsig.test.", new Leaf("ECDSAP256SHA256", true, false, "badsig"));
    LEAVES.put("expired.test.", new Leaf("ECDSAP256SHA256", true, false, "expired"));
    LEAVES.put("nokey.test.", new Leaf("ECDSAP256SHA256", true, false, "nokey"));
    LEAVES.put("insecure.test.", new Leaf(null, false, false, null));
    LEAVES.put(COUNTED, new Leaf("ECDSAP256SHA256", true, false, null));
  }

  /**
   * Where a hierarchy is served and what it holds: the addresses of the root's, test.'s and the
   * leaves' servers and of the relay, the zone whose NS is the relay (to the server of that zone),
   * the leaves, and how many names {@code h0 ... hN} each leaf has besides {@code www}.
   */
  record Layout(String root, String tld, String leaf, String relay, String relayed, Map<String, Leaf> leaves,
      int names) {
    /** The server the relay passes queries on to: test.'s for test., else the leaves'. */
    String relayTo() {
      return relayed.equals("test.") ? tld : leaf;
    }

    /** The address of {@code zone}'s NS. */
    String serverOf(String zone, String server) {
      return zone.equals(relayed) ? relay : server;
    }
  }

  /** The hierarchy of {@link #LEAVES} on 127.0.65.x, with agg.test. behind the relay. */
  static final Layout DEFAULT = new Layout(ROOT, TLD, LEAF, RELAY, COUNTED, LEAVES, 0);

  final Layout layout;
  final Path dir;
  final int port;
  /** The root's DS, a trust anchor file for namud and Unbound. */
  final Path anchor;
  /** A named.root naming the root server. */
  final Path hints;
  private final List<Process> servers = new ArrayList<>();
  private CountingRelay relay;

  private SignedHierarchy(Layout layout, Path dir, int port, Path anchor, Path hints) {
    this.layout = layout;
    this.dir = dir;
    this.port = port;
    this.anchor = anchor;
    this.hints = hints;
  }

  /** Skips the calling test when a tool it needs is missing. */
  static void assumeTools() {
    for (String[] tool : new String[][] {{"dnssec-keygen", "bind9-utils"}, {"dnssec-signzone", "bind9-utils"},
        {"dnssec-dsfromkey", "bind9-utils"}, {"nsd", "nsd"}}) {
      assumeTrue(ToolLocator.find(tool[0]).isPresent(), ToolLocator.missing(tool[0], tool[1]));
    }
  }

  /** The questions asked of every zone: the apex of test., then each leaf's three. */
  static List<String> questions() {
    List<String> out = new ArrayList<>(List.of("test. SOA", "nx.test. A"));
    for (String leaf : LEAVES.keySet()) {
      out.add("www." + leaf + " A");
      out.add("nx." + leaf + " A");
      out.add("www." + leaf + " TXT");
    }
    return out;
  }

  static SignedHierarchy start(Path dir) throws Exception {
    return start(dir, DEFAULT);
  }

  static SignedHierarchy start(Path dir, Layout layout) throws Exception {
    assumeTools();
    Path zones = Files.createDirectories(dir.resolve("zones"));
    StringBuilder tld = new StringBuilder("""
        $TTL 3600
        test. IN SOA ns.nic.test. hostmaster.nic.test. 1 3600 600 86400 60
        test. IN NS ns.nic.test.
        ns.nic.test. IN A %s
        """.formatted(layout.serverOf("test.", layout.tld())));
    for (Map.Entry<String, Leaf> e : layout.leaves().entrySet()) {
      String z = e.getKey();
      Leaf leaf = e.getValue();
      String server = layout.serverOf(z, layout.leaf());
      tld.append(z).append(" IN NS ns.").append(z).append('\n')
          .append("ns.").append(z).append(" IN A ").append(server).append('\n');
      String text = """
          $TTL 300
          %1$s IN SOA ns.%1$s hostmaster.%1$s 1 3600 600 86400 60
          %1$s IN NS ns.%1$s
          ns.%1$s IN A %2$s
          www.%1$s IN A 192.0.2.1
          """.formatted(z, server) + names(z, layout.names());
      if (!leaf.signed()) {
        Files.writeString(zones.resolve(z + "zone"), text);
        continue;
      }
      String key = sign(zones, z, text, leaf.algorithm(), leaf.nsec3(), "expired".equals(leaf.damage()));
      tld.append(ds(zones, key));
      Path signed = zones.resolve(z + "zone");
      if ("badsig".equals(leaf.damage())) {
        Files.write(signed, damageSignature(Files.readAllLines(signed), "www." + z));
      } else if ("nokey".equals(leaf.damage())) {
        Files.write(signed, Files.readAllLines(signed).stream()
            .filter(l -> !l.matches("\\S+\\s+\\d+\\s+IN\\s+(DNSKEY|RRSIG\\s+DNSKEY)\\s.*")).toList());
      }
    }
    String tldKey = sign(zones, "test.", tld.toString(), "ECDSAP256SHA256", false, false);
    String root = """
        $TTL 86400
        . IN SOA a.root-servers. hostmaster.root-servers. 1 3600 600 86400 60
        . IN NS a.root-servers.
        a.root-servers. IN A %s
        test. IN NS ns.nic.test.
        ns.nic.test. IN A %s
        """.formatted(layout.root(), layout.serverOf("test.", layout.tld())) + ds(zones, tldKey);
    String rootKey = sign(zones, ".", root, "ECDSAP256SHA256", false, false);
    Path anchor = Files.writeString(dir.resolve("root.ds"), ds(zones, rootKey));
    Path hints = Files.writeString(dir.resolve("named.root"), """
        . 3600000 NS a.root-servers.
        a.root-servers. 3600000 A %s
        """.formatted(layout.root()));

    int port = freePort(List.of(layout.root(), layout.tld(), layout.leaf(), layout.relay()));
    SignedHierarchy h = new SignedHierarchy(layout, dir, port, anchor, hints);
    try {
      h.serve(layout.root(), List.of("."));
      h.serve(layout.tld(), List.of("test."));
      h.serve(layout.leaf(), List.copyOf(layout.leaves().keySet()));
      h.relay = new CountingRelay(new InetSocketAddress(layout.relay(), port),
          new InetSocketAddress(layout.relayTo(), port));
      h.awaitAnswering(layout.root(), ".");
      h.awaitAnswering(layout.tld(), "test.");
      for (String z : layout.leaves().keySet()) {
        h.awaitAnswering(layout.leaf(), z);
      }
    } catch (Exception | AssertionError e) {
      h.close();
      throw e;
    }
    return h;
  }

  /**
   * Signs {@code text} as zone {@code zone} with one new key (a KSK that signs every RRset,
   * {@code -z}), written to zones/ZONE.zone; returns the key's file name (K...).
   */
  private static String sign(Path zones, String zone, String text, String algorithm, boolean nsec3,
      boolean expired) throws Exception {
    Path keys = Files.createDirectories(zones.resolve("keys"));
    List<String> keygen = new ArrayList<>(List.of(tool("dnssec-keygen"), "-q", "-K", keys.toString(),
        "-a", algorithm, "-f", "KSK"));
    if (algorithm.startsWith("RSA")) {
      keygen.addAll(List.of("-b", "2048"));
    }
    keygen.add(zone);
    String key = run(keygen, zones).strip();
    Path unsigned = zones.resolve((zone.equals(".") ? "root." : zone) + "unsigned");
    Files.writeString(unsigned, text + "$INCLUDE " + keys.resolve(key + ".key") + "\n");
    List<String> signzone = new ArrayList<>(List.of(tool("dnssec-signzone"), "-q", "-z", "-O", "full",
        "-K", keys.toString(), "-o", zone, "-f", zones.resolve(fileName(zone)).toString()));
    if (nsec3) {
      // RFC 9276 3.1: no extra iterations, no salt
      signzone.addAll(List.of("-3", "-", "-H", "0"));
    }
    if (expired) {
      // valid for a month, ended years ago (RFC 4034 3.1.5); -P: no check of what cannot verify
      signzone.addAll(List.of("-P", "-s", "20200101000000", "-e", "20200201000000"));
    }
    signzone.add(unsigned.toString());
    signzone.add(key);
    run(signzone, zones);
    return key;
  }

  /** {@code h0 ... h(count - 1)} of {@code zone}, A records, as zone-file lines. */
  private static String names(String zone, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      out.append('h').append(i).append('.').append(zone).append(" IN A 192.0.2.").append(i % 250 + 1).append('\n');
    }
    return out.toString();
  }

  /** The zone file NSD reads for {@code zone}. */
  static String fileName(String zone) {
    return zone.equals(".") ? "root.zone" : zone + "zone";
  }

  /** The SHA-256 DS of a key, as a zone-file line. */
  private static String ds(Path zones, String key) throws Exception {
    return run(List.of(tool("dnssec-dsfromkey"), "-2", zones.resolve("keys").resolve(key + ".key").toString()),
        zones).strip() + "\n";
  }

  /** {@code lines} with one letter of the signature over {@code owner}'s A RRset changed. */
  static List<String> damageSignature(List<String> lines, String owner) {
    List<String> out = new ArrayList<>(lines);
    for (int i = 0; i < out.size(); i++) {
      String l = out.get(i);
      if (l.startsWith(owner + " ") || l.startsWith(owner + "\t")) {
        String[] f = l.trim().split("\\s+");
        if (f.length > 5 && f[3].equals("RRSIG") && f[4].equals("A")) {
          String sig = f[f.length - 1];
          int at = sig.length() / 2;
          char c = sig.charAt(at) == 'A' ? 'B' : 'A';
          f[f.length - 1] = sig.substring(0, at) + c + sig.substring(at + 1);
          out.set(i, String.join(" ", f));
          return out;
        }
      }
    }
    throw new IllegalStateException("no RRSIG A at " + owner + " in the signed zone");
  }

  private void serve(String address, List<String> zones) throws IOException {
    String name = "nsd-" + address.substring(address.lastIndexOf('.') + 1);
    Path work = Files.createDirectories(dir.resolve(name));
    StringBuilder c = new StringBuilder("server:\n")
        .append("  ip-address: ").append(address).append('@').append(port).append('\n')
        .append("  port: ").append(port).append('\n')
        .append("  do-ip6: no\n  username: \"\"\n  chroot: \"\"\n")
        .append("  zonesdir: \"").append(dir.resolve("zones")).append("\"\n")
        .append("  pidfile: \"").append(work.resolve("nsd.pid")).append("\"\n")
        .append("  database: \"\"\n")
        .append("  xfrdfile: \"").append(work.resolve("xfrd.state")).append("\"\n")
        .append("  zonelistfile: \"").append(work.resolve("zone.list")).append("\"\n")
        .append("  logfile: \"").append(work.resolve("nsd.log")).append("\"\n")
        .append("  server-count: 1\n  verbosity: 1\n")
        .append("remote-control:\n  control-enable: no\n");
    for (String z : zones) {
      c.append("zone:\n  name: \"").append(z).append("\"\n  zonefile: \"").append(fileName(z)).append("\"\n");
    }
    Path conf = Files.writeString(work.resolve("nsd.conf"), c.toString());
    servers.add(new ProcessBuilder(tool("nsd"), "-d", "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("nsd.out").toFile()).start());
  }

  private void awaitAnswering(String address, String zone) throws IOException {
    InetSocketAddress server = new InetSocketAddress(address, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Message probe = DnsWire.query(zone, Type.SOA);
    while (System.nanoTime() < deadline) {
      for (Process p : servers) {
        if (!p.isAlive()) {
          throw new IllegalStateException("nsd exited: " + logs());
        }
      }
      byte[] reply = DnsWire.udp(server, probe.toWire(), 300);
      if (reply != null && new Message(reply).getRcode() == 0) {
        return;
      }
    }
    throw new IllegalStateException("nsd did not answer " + zone + " SOA on " + server + ": " + logs());
  }

  String logs() {
    StringBuilder out = new StringBuilder();
    for (String n : List.of("nsd-1", "nsd-2", "nsd-3")) {
      for (String f : List.of("nsd.out", "nsd.log")) {
        Path p = dir.resolve(n).resolve(f);
        try {
          if (Files.exists(p)) out.append("\n--- ").append(n).append('/').append(f).append('\n').append(Files.readString(p));
        } catch (IOException e) {
          out.append(e);
        }
      }
    }
    return out.toString();
  }

  /** A port free on every address of the hierarchy, UDP and TCP. */
  private static int freePort(List<String> addresses) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
      if (addresses.stream().allMatch(a -> freeOn(port, a))) {
        return port;
      }
    }
    throw new IOException("no free port on " + addresses);
  }

  /** The queries the servers of {@link #COUNTED} have been sent. */
  long countedQueries() {
    return relay.queries();
  }

  /** The relay in front of the relayed zone's server. */
  CountingRelay relay() {
    return relay;
  }

  private static boolean freeOn(int port, String address) {
    InetSocketAddress a = new InetSocketAddress(address, port);
    try (DatagramSocket u = new DatagramSocket(a); ServerSocket t = new ServerSocket()) {
      t.bind(a);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String tool(String name) {
    return ToolLocator.find(name).orElseThrow().toString();
  }

  /** Runs a tool to its end; its standard output, or an exception with what it printed. */
  private static String run(List<String> command, Path in) throws Exception {
    Process p = new ProcessBuilder(command).directory(in.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
    byte[] err;
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out
          + new String(err, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public void close() {
    if (relay != null) {
      relay.close();
    }
    for (Process p : servers) {
      p.destroy();
    }
    for (Process p : servers) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
