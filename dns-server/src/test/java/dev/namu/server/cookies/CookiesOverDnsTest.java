package dev.namu.server.cookies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.TestZones;
import dev.namu.server.interop.ToolRun;
import dev.namu.server.peers.ToolLocator;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** DNS cookies (RFC 7873) as clients see them: raw queries over UDP and TCP, and dig. */
class CookiesOverDnsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] CLIENT = HEX.parseHex("0123456789abcdef");
  private static final Pattern DIG_COOKIE = Pattern.compile("(?m)^; COOKIE: ([0-9a-f]+) \\(good\\)$");

  @TempDir static Path zonesDir;
  static NamudServer server;
  static InetSocketAddress address;

  @BeforeAll
  static void start() throws Exception {
    server = TestZones.serve(zonesDir);
    address = server.boundAddresses().get(0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aClientCookieAloneGetsAServerCookieMadeForIt() throws Exception {
    Message reply = udp(CookieWire.query("www.example.test.", Type.A, CLIENT));
    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertEquals(1, reply.getSection(Section.ANSWER).size(), reply.toString());
    CookieOption cookie = CookieWire.cookie(reply).orElseThrow(() -> new AssertionError("no cookie in " + reply));
    assertArrayEquals(CLIENT, cookie.getClientCookie());
    byte[] server = cookie.getServerCookie().orElseThrow();
    assertEquals(16, server.length, "RFC 9018 4.2: 16 bytes");
    assertEquals(1, server[0], "RFC 9018 version 1");
  }

  @Test
  void theServerCookieIsAcceptedNextTimeAndAFreshOneComesBack() throws Exception {
    byte[] first = serverCookie(udp(CookieWire.query("www.example.test.", Type.A, CLIENT)));
    Message again = udp(CookieWire.query("www.example.test.", Type.A, CookieWire.concat(CLIENT, first)));
    assertEquals(Rcode.NOERROR, again.getRcode());
    assertEquals(1, again.getSection(Section.ANSWER).size(), again.toString());
    assertEquals(16, serverCookie(again).length);
  }

  @Test
  void aWrongServerCookieIsAnsweredAsUsualWithANewOne() throws Exception {
    // RFC 7873 5.2.3: not ours (or stale): processed as if it held the client cookie alone
    byte[] wrong = HEX.parseHex("01000000" + "00000001" + "0011223344556677");
    Message reply = udp(CookieWire.query("www.example.test.", Type.A, CookieWire.concat(CLIENT, wrong)));
    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertEquals(1, reply.getSection(Section.ANSWER).size(), reply.toString());
    byte[] fresh = serverCookie(reply);
    assertFalse(java.util.Arrays.equals(wrong, fresh), "a server cookie of ours, not the one sent");
    assertEquals(16, fresh.length);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4, 7, 9, 12, 15, 41, 48})
  void aMalformedCookieIsFormErr(int length) throws Exception {
    // RFC 7873 5.2.2: a COOKIE option shorter than 8, of 9 to 15, or longer than 40 bytes
    byte[] query = CookieWire.query("www.example.test.", Type.A, new byte[length]);
    byte[] wire = DnsWire.udp(address, query);
    assertNotNull(wire, "no reply");
    Message reply = new Message(wire);
    assertEquals(Rcode.FORMERR, reply.getRcode(), reply.toString());
    assertEquals((query[0] & 0xFF) << 8 | (query[1] & 0xFF), reply.getHeader().getID());
  }

  @Test
  void cookiesAreAnsweredOverTcpToo() throws Exception {
    byte[] reply;
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.setSoTimeout(DnsWire.TCP_TIMEOUT_MS);
      byte[] query = CookieWire.query("www.example.test.", Type.A, CLIENT);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      reply = new byte[in.readUnsignedShort()];
      in.readFully(reply);
    }
    Message m = new Message(reply);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertArrayEquals(CLIENT, CookieWire.cookie(m).orElseThrow().getClientCookie());
    assertEquals(16, serverCookie(m).length);
  }

  @Test
  void digGetsAServerCookieAndItsNextQueryWithItIsGood() throws Exception {
    ToolRun first = dig("+cookie", "www.example.test", "A");
    assertEquals(0, first.exitCode(), first.transcript());
    assertTrue(first.stdout().contains("status: NOERROR"), first.transcript());
    Matcher cookie = DIG_COOKIE.matcher(first.stdout());
    // dig prints (good) when the reply's client cookie is the one it sent
    assertTrue(cookie.find(), "no server cookie dig calls good\n" + first.transcript());
    String both = cookie.group(1);
    assertEquals(48, both.length(), "8 bytes of client and 16 of server cookie\n" + first.transcript());

    ToolRun second = dig("+cookie=" + both, "www.example.test", "A");
    assertTrue(second.stdout().contains("status: NOERROR"), second.transcript());
    assertTrue(second.stdout().contains("192.0.2.80"), second.transcript());
    Matcher again = DIG_COOKIE.matcher(second.stdout());
    assertTrue(again.find(), second.transcript());
    assertEquals(both.substring(0, 16), again.group(1).substring(0, 16), "the same client cookie\n" + second.transcript());
  }

  private static ToolRun dig(String... args) throws Exception {
    assumeTrue(ToolLocator.find("dig").isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
    List<String> command = new java.util.ArrayList<>(List.of(ToolLocator.find("dig").orElseThrow().toString(),
        "@127.0.0.1", "-p", Integer.toString(address.getPort()), "+time=3", "+tries=2"));
    command.addAll(List.of(args));
    return ToolRun.run(Duration.ofSeconds(20), command);
  }

  private static Message udp(byte[] query) throws Exception {
    byte[] wire = DnsWire.udp(address, query);
    assertNotNull(wire, "no reply");
    return new Message(wire);
  }

  private static byte[] serverCookie(Message reply) {
    CookieOption cookie = CookieWire.cookie(reply).orElseThrow(() -> new AssertionError("no cookie in " + reply));
    assertArrayEquals(CLIENT, cookie.getClientCookie());
    return cookie.getServerCookie().orElseThrow(() -> new AssertionError("no server cookie in " + reply));
  }
}
