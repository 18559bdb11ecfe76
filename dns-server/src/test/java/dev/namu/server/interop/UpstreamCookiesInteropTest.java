package dev.namu.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.ToolPorts;
import dev.namu.server.peers.BindServer;
import dev.namu.server.peers.DaemonPeer;
import dev.namu.server.peers.ServedZones;
import dev.namu.server.peers.ToolLocator;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * namud forwarding to a real BIND {@code named}, which answers DNS cookies by default: namud's first
 * query carries its client cookie, and the next ones the server cookie named returned, as named's
 * own query log shows (RFC 7873 section 5.1).
 */
class UpstreamCookiesInteropTest {
  /** A query line of named's log: the name, then its flags, {@code K} or {@code V} for the cookie. */
  private static final Pattern QUERY = Pattern.compile("query: (\\S+) IN A (\\S+) \\(127\\.0\\.0\\.1\\)");

  @TempDir Path dir;

  @Test
  void namudSendsBindsServerCookieBackToIt() throws Exception {
    assumeTrue(BindServer.binary().isPresent(), ToolLocator.missing("named", "bind9"));
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Files.writeString(zones.resolve("cookie.test.zone"), """
        $TTL 300
        @ IN SOA ns.cookie.test. admin.cookie.test. 1 3600 600 86400 60
        @ IN NS ns.cookie.test.
        ns IN A 127.0.0.1
        first IN A 192.0.2.1
        second IN A 192.0.2.2
        third IN A 192.0.2.3
        """);
    try (DaemonPeer named = BindServer.start(ServedZones.in(zones));
        NamudServer namud = NamudServer.start("--listen", ToolPorts.listen(),
            "--zones", Files.createDirectories(dir.resolve("no-zones")).toString(),
            "--data", dir.resolve("data").toString(), "--no-api", "--no-metrics", "--log-level", "WARN",
            "--forward", "127.0.0.1:" + named.address().getPort(), "--no-local-zone", "test")) {
      InetSocketAddress address = namud.boundAddresses().get(0);
      for (String name : List.of("first", "second", "third")) {
        Message reply = DnsWire.udp(address, DnsWire.query(name + ".cookie.test.", Type.A));
        assertEquals(Rcode.NOERROR, reply.getRcode(), reply.toString());
        assertEquals(1, reply.getSection(Section.ANSWER).size(), reply.toString());
      }
      String log = named.log();
      assertEquals("K", cookieFlag(log, "first"), "the first query: our client cookie alone\n" + log);
      assertEquals("V", cookieFlag(log, "second"), "then named's server cookie, valid\n" + log);
      assertEquals("V", cookieFlag(log, "third"), log);
    }
  }

  /** The cookie letter of the query log line for NAME.cookie.test ("" when none). */
  private static String cookieFlag(String log, String name) {
    Matcher m = QUERY.matcher(log);
    while (m.find()) {
      if (m.group(1).equalsIgnoreCase(name + ".cookie.test")) {
        String flags = m.group(2);
        return flags.endsWith("V") ? "V" : flags.endsWith("K") ? "K" : "";
      }
    }
    throw new AssertionError("named logged no query for " + name + ".cookie.test:\n" + log);
  }
}
