package dev.namu.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.Hermetic;
import dev.namu.server.NamudServer;
import dev.namu.server.intake.Transport;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.tls.TestCertificates;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNS over TLS and DNS over HTTPS as clients use them: kdig +tls, kdig +https and curl against namud
 * on loopback with a self-signed certificate made by openssl, each answer compared with the same
 * question over UDP. The names: one of namud's zones (home.lan), one that does not exist there, and
 * one resolved through a forwarder (a second namud serving example.test).
 */
class EncryptedDnsTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final List<String> NAMES = List.of("nas.home.lan", "no-such-host.home.lan", "www.example.test");

  @TempDir static Path dir;
  private static Path cert;
  private static NamudServer upstream;
  private static NamudServer namud;
  private static int udpPort;
  private static InetSocketAddress dot;
  private static InetSocketAddress doh;

  @BeforeAll
  static void start() throws Exception {
    Path[] pair = TestCertificates.make(dir, "server");
    cert = pair[0];
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Files.writeString(zones.resolve("example.test.zone"), String.join("\n",
        "$ORIGIN example.test.", "$TTL 300",
        "@ IN SOA ns1 hostmaster 1 3600 600 86400 60", "@ IN NS ns1", "ns1 IN A 127.0.0.1",
        "www IN A 192.0.2.80", ""));
    upstream = Hermetic.start("--listen", "127.0.0.1:0", "--zones", zones.toString(), "--log-level", "WARN");
    namud = NamudServer.start("--listen", "127.0.0.1:0", "--listen-tls", "127.0.0.1:0",
        "--listen-https", "127.0.0.1:0", "--tls-cert", cert.toString(), "--tls-key", pair[1].toString(),
        "--forward", "127.0.0.1:" + upstream.boundAddresses().get(0).getPort(), "--no-local-zone", "test",
        "--no-api", "--no-metrics", "--data", dir.resolve("data").toString(), "--log-level", "WARN");
    udpPort = namud.boundAddresses().get(0).getPort();
    dot = namud.tlsAddresses().get(0);
    doh = namud.httpsAddresses().get(0);
  }

  @AfterAll
  static void stop() {
    if (namud != null) {
      namud.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void kdigOverTlsGetsTheAnswersOfUdp() throws Exception {
    long before = namud.counters().transportCount(Transport.DOT);
    for (String name : NAMES) {
      String udp = kdig("-p", Integer.toString(udpPort), name);
      String tls = kdig("-p", Integer.toString(dot.getPort()), "+tls-ca=" + cert, "+tls-hostname=" + TestCertificates.HOST,
          name);
      assertTrue(tls.contains(";; TLS session (TLS1.3)"), tls);
      assertEquals(digest(udp), digest(tls), name + " over UDP:\n" + udp + "\nover TLS:\n" + tls);
    }
    assertEquals(before + NAMES.size(), namud.counters().transportCount(Transport.DOT),
        "each DoT reply counted under transport dot");
  }

  @Test
  void kdigOverHttpsGetAndPostGetTheAnswersOfUdp() throws Exception {
    long before = namud.counters().transportCount(Transport.DOH);
    for (String name : NAMES) {
      String udp = kdig("-p", Integer.toString(udpPort), name);
      for (String method : List.of("POST", "GET")) {
        String https = kdig("-p", Integer.toString(doh.getPort()), "+https",
            method.equals("GET") ? "+https-get" : "+nohttps-get", "+tls-ca=" + cert,
            "+tls-hostname=" + TestCertificates.HOST, name);
        assertTrue(https.contains(";; HTTP session (HTTP/2-" + method + ")"), https);
        assertEquals(digest(udp), digest(https), name + " " + method + " over UDP:\n" + udp + "\nover HTTPS:\n" + https);
      }
    }
    assertEquals(before + 2L * NAMES.size(), namud.counters().transportCount(Transport.DOH),
        "each DoH reply counted under transport doh");
  }

  @Test
  void pipelinedQueriesOnOneTlsConnectionAreAllAnswered() throws Exception {
    try (SSLSocket socket = (SSLSocket) TestCertificates.trusting(cert).getSocketFactory()
        .createSocket(dot.getAddress(), dot.getPort())) {
      socket.setSoTimeout(20_000);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      DataOutputStream framed = new DataOutputStream(all);
      for (int i = 0; i < NAMES.size(); i++) {
        byte[] wire = query(NAMES.get(i), 100 + i).toWire();
        framed.writeShort(wire.length);
        framed.write(wire);
      }
      // every query in one write, before any answer is read (RFC 7858 3.3, RFC 7766 6.2.1.1)
      socket.getOutputStream().write(all.toByteArray());
      socket.getOutputStream().flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      Map<Integer, Message> byId = new HashMap<>();
      for (int i = 0; i < NAMES.size(); i++) {
        byte[] reply = new byte[in.readUnsignedShort()];
        in.readFully(reply);
        Message m = new Message(reply);
        byId.put(m.getHeader().getID(), m);
      }
      assertEquals(Rcode.NOERROR, byId.get(100).getRcode(), String.valueOf(byId.get(100)));
      assertEquals("192.168.0.12", address(byId.get(100)));
      assertEquals(Rcode.NXDOMAIN, byId.get(101).getRcode(), String.valueOf(byId.get(101)));
      assertEquals(Rcode.NOERROR, byId.get(102).getRcode(), String.valueOf(byId.get(102)));
      assertEquals("192.0.2.80", address(byId.get(102)));
    }
  }

  @Test
  void curlPostOverHttp2WithTheRepliesTtlAsMaxAge() throws Exception {
    Path body = dir.resolve("nas.bin");
    Files.write(body, query("nas.home.lan", 0).toWire());
    ToolRun run = curl("--http2", "-D", "-", "-o", dir.resolve("nas.reply").toString(),
        "-H", "content-type: application/dns-message", "--data-binary", "@" + body, url(""));
    assertTrue(run.stdout().startsWith("HTTP/2 200"), run.transcript());
    Message reply = new Message(Files.readAllBytes(dir.resolve("nas.reply")));
    assertEquals(0, reply.getHeader().getID(), "the ID as sent (RFC 8484 4.1)");
    assertEquals("192.168.0.12", address(reply));
    // home.lan's A has TTL 3600 and its NS 3600; max-age is the smallest TTL in the reply (RFC 8484 5.1)
    long ttl = reply.getSection(Section.ANSWER).get(0).getTTL();
    assertTrue(run.stdout().toLowerCase().contains("cache-control: max-age=" + ttl), run.transcript());
  }

  @Test
  void curlGetOverHttp1Fallback() throws Exception {
    String dns = Base64.getUrlEncoder().withoutPadding().encodeToString(query("nas.home.lan", 0).toWire());
    Path out = dir.resolve("get.reply");
    ToolRun run = curl("--http1.1", "-o", out.toString(), "-w", "%{http_code} %{http_version}",
        "-H", "accept: application/dns-message", url("?dns=" + dns));
    assertEquals("200 1.1", run.stdout(), run.transcript());
    assertEquals("192.168.0.12", address(new Message(Files.readAllBytes(out))));
  }

  @Test
  void malformedDnsParameterIs400() throws Exception {
    for (String version : List.of("--http2", "--http1.1")) {
      ToolRun run = curl(version, "-o", "/dev/null", "-w", "%{http_code}", url("?dns=not*base64url!"));
      assertEquals("400", run.stdout(), run.transcript());
      // base64url of bytes that are no DNS query (a runt): the pipeline drops it, the client hears why
      ToolRun runt = curl(version, "-o", "/dev/null", "-w", "%{http_code}", url("?dns=AAAA"));
      assertEquals("400", runt.stdout(), runt.transcript());
    }
  }

  @Test
  void postOfAnotherContentTypeIs415() throws Exception {
    Path body = dir.resolve("typed.bin");
    Files.write(body, query("nas.home.lan", 0).toWire());
    for (String version : List.of("--http2", "--http1.1")) {
      ToolRun run = curl(version, "-o", "/dev/null", "-w", "%{http_code}",
          "-H", "content-type: application/octet-stream", "--data-binary", "@" + body, url(""));
      assertEquals("415", run.stdout(), run.transcript());
    }
  }

  @Test
  void anAxfrOverHttpsIsNotImplementedAsOverUdp() throws Exception {
    // one HTTP response holds one DNS message: a transfer could only arrive cut short
    Message axfr = Message.newQuery(Record.newRecord(Name.fromString("home.lan."), Type.AXFR, DClass.IN));
    axfr.getHeader().setID(0);
    Path body = dir.resolve("axfr.bin");
    Files.write(body, axfr.toWire());
    Path out = dir.resolve("axfr.reply");
    ToolRun run = curl("--http2", "-o", out.toString(), "-w", "%{http_code}",
        "-H", "content-type: application/dns-message", "--data-binary", "@" + body, url(""));
    assertEquals("200", run.stdout(), run.transcript());
    Message reply = new Message(Files.readAllBytes(out));
    assertEquals(Rcode.NOTIMP, reply.getRcode(), reply.toString());
    assertEquals(0, reply.getSection(Section.ANSWER).size(), reply.toString());
  }

  @Test
  void postBodyPast65535BytesIsRefused() throws Exception {
    Path body = dir.resolve("big.bin");
    Files.write(body, new byte[70_000]);
    ToolRun run = curl("--http1.1", "-o", "/dev/null", "-w", "%{http_code}",
        "-H", "content-type: application/dns-message", "--data-binary", "@" + body, url(""));
    assertEquals("413", run.stdout(), run.transcript());
  }

  private static String url(String query) {
    return "https://127.0.0.1:" + doh.getPort() + "/dns-query" + query;
  }

  private static ToolRun curl(String... args) throws Exception {
    assumeTrue(ToolLocator.find("curl").isPresent(), ToolLocator.missing("curl", "curl"));
    List<String> command = new ArrayList<>(List.of(ToolLocator.find("curl").orElseThrow().toString(),
        "-s", "--max-time", "20", "--cacert", cert.toString()));
    command.addAll(List.of(args));
    ToolRun run = ToolRun.run(LIMIT, command);
    assertEquals(0, run.exitCode(), run.transcript());
    return run;
  }

  private static String kdig(String... args) throws Exception {
    assumeTrue(ToolLocator.find("kdig").isPresent(), ToolLocator.missing("kdig", "knot-dnsutils"));
    List<String> command = new ArrayList<>(List.of(ToolLocator.find("kdig").orElseThrow().toString(),
        "@127.0.0.1", "+time=5", "+retry=1"));
    command.addAll(List.of(args));
    command.add("A");
    ToolRun run = ToolRun.run(LIMIT, command);
    assertEquals(0, run.exitCode(), run.transcript());
    return run.stdout();
  }

  private static final Pattern STATUS = Pattern.compile("opcode: QUERY; status: (\\w+)");
  private static final Pattern FLAGS = Pattern.compile("(?m)^;; Flags: ([a-z ]+);");
  private static final Pattern RECORD = Pattern.compile("(?m)^(\\S+)\\s+\\d+\\s+IN\\s+(.+?)\\s*$");

  /** What must match across transports: status, flags, and the records without their TTL (it counts down). */
  private static String digest(String kdig) {
    Matcher status = STATUS.matcher(kdig);
    Matcher flags = FLAGS.matcher(kdig);
    assertTrue(status.find() && flags.find(), kdig);
    TreeSet<String> records = new TreeSet<>();
    Matcher r = RECORD.matcher(kdig);
    while (r.find()) {
      records.add(r.group(1).toLowerCase() + " " + r.group(2).replaceAll("\\s+", " "));
    }
    assertFalse(records.isEmpty(), "every reply here has a record (an answer or the SOA)\n" + kdig);
    return status.group(1) + " [" + flags.group(1).trim() + "] " + records;
  }

  private static Message query(String name, int id) throws Exception {
    Message m = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN));
    m.getHeader().setID(id);
    return m;
  }

  private static String address(Message m) {
    return m.getSection(Section.ANSWER).stream().filter(r -> r instanceof ARecord)
        .map(r -> ((ARecord) r).getAddress().getHostAddress()).findFirst().orElse("none: " + m);
  }
}
