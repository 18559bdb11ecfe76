package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.ResolverConfig;
import dev.namu.server.config.NamudCommandLine;
import dev.namu.server.config.ServerConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/** The recursion flags: what they configure, and a one-line error for each bad value. */
class RecursionOptionsTest {
  @TempDir Path dir;

  private static RecursionConfig parse(String... args) {
    return NamudCommandLine.parse(args).recursion();
  }

  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> NamudCommandLine.parse(args)).getMessage();
  }

  @Test
  void defaultIsRecursionForLoopbackAndPrivateClientsOnly() throws Exception {
    RecursionConfig c = parse();
    assertTrue(c.enabled());
    RecursionAcl acl = c.acl();
    for (String ok : List.of("127.0.0.1", "::1", "10.1.2.3", "172.31.255.255", "192.168.0.2", "100.64.0.1",
        "fd00::1", "fe80::1", "::ffff:192.168.1.1")) {
      assertTrue(acl.allows(InetAddress.getByName(ok)), ok);
    }
    for (String no : List.of("8.8.8.8", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2001:db8::1", "::ffff:8.8.8.8")) {
      assertFalse(acl.allows(InetAddress.getByName(no)), no);
    }
    ResolverConfig r = ResolverSettings.of(c);
    assertTrue(r.doNotQueryLocalhost(), "with the IANA roots, loopback name servers are refused");
    assertEquals(List.of(), r.forwarders());
  }

  @Test
  void flagsConfigureTheResolver() throws Exception {
    Path hints = dir.resolve("hints");
    Files.writeString(hints, ". 3600000 NS a.root.\na.root. 3600000 A 127.0.0.11\n");
    ServerConfig s = NamudCommandLine.parse("--root-hints", hints.toString(), "--forward", "192.0.2.53",
        "--forward", "[2001:db8::53]:5353", "--forward-zone", "corp.example=10.0.0.53:5300",
        "--allow-recursion", "203.0.113.0/24", "--cache-size", "64m");
    ResolverConfig r = ResolverSettings.of(s.recursion());
    assertEquals(List.of(new InetSocketAddress("192.0.2.53", 53), new InetSocketAddress("2001:db8::53", 5353)),
        r.forwarders());
    assertEquals(List.of(new InetSocketAddress("10.0.0.53", 5300)),
        r.forwardZones().get(Name.fromString("corp.example.")));
    // 64m in all: three eighths each to the RRset and answer caches, a quarter to the reply copies
    assertEquals(24L << 20, r.cacheMaxBytes());
    assertEquals(16L << 20, s.recursion().replyCopyBytes());
    assertFalse(r.doNotQueryLocalhost(), "a root on loopback is a local hierarchy");
    assertTrue(s.recursion().acl().allows(InetAddress.getByName("203.0.113.9")));
    assertFalse(s.recursion().acl().allows(InetAddress.getByName("127.0.0.1")), "the list replaces the default");

    ResolverConfig test = ResolverSettings.of(parse("--upstream-port", "5300", "--forward", "127.0.0.1",
        "--cache-size", "5000"));
    assertEquals(5300, test.upstreamPort());
    assertEquals(List.of(new InetSocketAddress("127.0.0.1", 5300)), test.forwarders(), "test mode port");
    assertEquals(5000, test.cacheMaxEntries());
    assertEquals(1250, parse("--cache-size", "5000").replyCopyEntries(), "a quarter as many reply copies");
    assertFalse(parse("--no-recursion").enabled());
  }

  @Test
  void badValuesGetOneLineErrors() {
    assertTrue(error("--allow-recursion", "10.0.0.0/33").contains("prefix length must be 0..32"));
    assertTrue(error("--allow-recursion", "lan").contains("not an address range"));
    assertTrue(error("--forward", "dns.example").contains("expected an IP address"));
    assertTrue(error("--forward", "192.0.2.1:99999").contains("port must be 1..65535"));
    assertTrue(error("--forward-zone", "corp.example").contains("expected ZONE=ADDR[:PORT]"));
    assertTrue(error("--upstream-port", "0").contains("--upstream-port 0: must be 1..65535"));
    assertTrue(error("--cache-size", "lots").contains("--cache-size lots"));
    assertTrue(error("--no-recursion", "--forward", "192.0.2.1").contains("contradicts"));
    String missing = assertThrows(IllegalArgumentException.class,
        () -> ResolverSettings.of(parse("--root-hints", dir.resolve("nope").toString()))).getMessage();
    assertEquals("--root-hints " + dir.resolve("nope") + ": no such file", missing);
  }
}
