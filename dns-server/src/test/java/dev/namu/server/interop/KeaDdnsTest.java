package dev.namu.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamuctlCalls;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * ISC Kea's DHCP-DDNS server (D2, {@code kea-dhcp-ddns}), the real process on 127.0.63.1, keeps a
 * DHCP client's A and PTR in namud's stored zones with TSIG-signed RFC 2136 updates: it is handed
 * NameChangeRequests as a Kea DHCP server sends them (UDP, a two-byte length then JSON) and sends
 * namud the updates of RFC 4703 conflict resolution, DHCID records and their prerequisites
 * included. Each wait is on D2's own log line saying how the request ended.
 */
class KeaDdnsTest {
  private static final String HOST = "127.0.63.1";
  private static final Duration OUTCOME_LIMIT = Duration.ofSeconds(60);
  private static final String FQDN = "laptop.home.test.";
  private static final String REVERSE = "50.63.0.127.in-addr.arpa.";
  private static final Pattern OUTCOME =
      Pattern.compile("DHCP_DDNS_(ADD|REMOVE)_(SUCCEEDED|FAILED) .*Request ID ([0-9A-F]+)");

  @TempDir Path dir;
  private NamudServer namud;
  private InetSocketAddress dns;
  private String api;
  private Path data;
  private LoggedProcess d2;
  private InetSocketAddress d2Address;

  @BeforeEach
  void start() throws Exception {
    var found = ToolLocator.find("kea-dhcp-ddns");
    assumeTrue(found.isPresent(), ToolLocator.missing("kea-dhcp-ddns", "kea-dhcp-ddns-server"));
    data = dir.resolve("data");
    namud = NamudServer.start("--listen", HOST + ":0", "--zones",
        Files.createDirectories(dir.resolve("zones")).toString(), "--data", data.toString(),
        "--api", HOST + ":0", "--no-metrics", "--no-recursion", "--log-level", "WARN");
    namud.awaitStore();
    dns = namud.boundAddresses().get(0);
    api = "http://" + HOST + ":" + namud.admin().apiAddress().orElseThrow().getPort();
    namuctl("zone", "create", "home.test", "--ns", "ns.home.test.");
    // a reverse zone of namud's store, inside the built-in 127.in-addr.arpa: the more specific wins
    namuctl("zone", "create", "63.0.127.in-addr.arpa", "--ns", "ns.home.test.");
    Matcher secret = Pattern.compile("secret \"([^\"]+)\"")
        .matcher(namuctl("key", "add", "dhcp-ddns", "--zone", "home.test", "--zone", "63.0.127.in-addr.arpa"));
    assertTrue(secret.find());
    d2Address = new InetSocketAddress(HOST, freeUdpPort());
    String server = "[{\"ip-address\": \"%s\", \"port\": %d}]".formatted(HOST, dns.getPort());
    // D2 gives up on an update namud has not answered within dns-server-timeout: generous, since
    // namud writes each one to its store before it answers, on a machine that may be busy
    Path config = Files.writeString(dir.resolve("kea-dhcp-ddns.conf"), """
        {"DhcpDdns": {
          "ip-address": "%s", "port": %d, "dns-server-timeout": 10000,
          "ncr-protocol": "UDP", "ncr-format": "JSON",
          "tsig-keys": [{"name": "dhcp-ddns.", "algorithm": "HMAC-SHA256", "secret": "%s"}],
          "forward-ddns": {"ddns-domains": [{"name": "home.test.", "key-name": "dhcp-ddns.", "dns-servers": %s}]},
          "reverse-ddns": {"ddns-domains": [{"name": "63.0.127.in-addr.arpa.", "key-name": "dhcp-ddns.",
            "dns-servers": %s}]},
          "loggers": [{"name": "kea-dhcp-ddns", "severity": "DEBUG", "debuglevel": 0,
            "output_options": [{"output": "stdout"}]}]
        }}
        """.formatted(HOST, d2Address.getPort(), secret.group(1), server, server));
    // D2 writes its PID file and lock under /run/kea unless told otherwise
    d2 = LoggedProcess.start(List.of(found.get().toString(), "-c", config.toString()),
        Map.of("KEA_PIDFILE_DIR", dir.toString(), "KEA_LOCKFILE_DIR", dir.toString()), dir.resolve("d2.log"));
    // logged (at DEBUG level 0) once its UDP socket listens for requests
    d2.await(Pattern.compile("DHCP_DDNS_QUEUE_MGR_STARTED"), 0, Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (d2 != null) {
      d2.close();
    }
    if (namud != null) {
      namud.close();
    }
  }

  @Test
  void d2AddsAndRemovesTheAddressAndPointerOfALease() throws Exception {
    assertEquals("SUCCEEDED", send(0, "000102030405060708", "127.0.63.50"));
    assertEquals(List.of("127.0.63.50"), answers(FQDN, Type.A));
    assertEquals(List.of(FQDN), answers(REVERSE, Type.PTR));
    // RFC 4703 5.3: D2 marks the name with the lease's DHCID
    assertEquals(List.of("AAECAwQFBgcI"), answers(FQDN, Type.DHCID));

    // the same client renews: D2's first try (the name must not exist) fails, its second (the DHCID
    // must match) replaces the address
    assertEquals("SUCCEEDED", send(0, "000102030405060708", "127.0.63.50"));
    assertEquals(List.of("127.0.63.50"), answers(FQDN, Type.A));

    assertEquals("SUCCEEDED", send(1, "000102030405060708", "127.0.63.50"));
    assertEquals(Rcode.NXDOMAIN, rcode(FQDN, Type.A), "the name is gone with its A and DHCID");
    assertEquals(Rcode.NXDOMAIN, rcode(REVERSE, Type.PTR));
  }

  @Test
  void anotherClientCannotTakeTheName() throws Exception {
    assertEquals("SUCCEEDED", send(0, "000102030405060708", "127.0.63.50"));
    // RFC 4703 5.3.2: another DHCID at the name is a conflict, the update is refused
    assertEquals("FAILED", send(0, "0A0B0C0D0E0F101112", "127.0.63.51"));
    assertEquals(List.of("127.0.63.50"), answers(FQDN, Type.A));
    assertEquals(List.of("AAECAwQFBgcI"), answers(FQDN, Type.DHCID));
  }

  /**
   * Hands D2 one NameChangeRequest (change type 0 add, 1 remove) for {@link #FQDN} as Kea's DHCP
   * server does, and returns how D2 says it ended (SUCCEEDED or FAILED).
   */
  private String send(int changeType, String dhcid, String address) throws Exception {
    int from = d2.text().length();
    // Kea's NameChangeRequest JSON (d2_client: NameChangeRequest::toJSON)
    byte[] json = """
        {"change-type": %d, "forward-change": true, "reverse-change": true, "fqdn": "%s",
         "ip-address": "%s", "dhcid": "%s", "lease-expires-on": "20301231235959", "lease-length": 3600,
         "use-conflict-resolution": true}
        """.formatted(changeType, FQDN, address, dhcid).getBytes(StandardCharsets.UTF_8);
    ByteBuffer datagram = ByteBuffer.allocate(2 + json.length).putShort((short) json.length).put(json);
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
      socket.send(new DatagramPacket(datagram.array(), datagram.capacity(), d2Address));
    }
    Matcher outcome = d2.await(OUTCOME, from, OUTCOME_LIMIT);
    assertEquals(changeType == 0 ? "ADD" : "REMOVE", outcome.group(1), d2.text());
    assertEquals(dhcid, outcome.group(3), d2.text());
    return outcome.group(2);
  }

  private List<String> answers(String name, int type) throws IOException {
    Message reply = DnsWire.udp(dns, DnsWire.query(name, type));
    return reply.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
  }

  private int rcode(String name, int type) throws IOException {
    return DnsWire.udp(dns, DnsWire.query(name, type)).getRcode();
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(HOST), 0))) {
      return s.getLocalPort();
    }
  }

  private String namuctl(String... args) {
    return NamuctlCalls.succeed(api, data, args);
  }
}
