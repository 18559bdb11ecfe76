package dev.namu.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamuctlCalls;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.tls.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The ACME clients users run, lego and certbot's dns-rfc2136 plugin, get a certificate for
 * example.test and *.example.test from pebble (the ACME test CA) through namud: each client writes
 * its dns-01 TXT records at {@code _acme-challenge.example.test} with RFC 2136 UPDATEs signed by
 * the key {@code namuctl key add acme --zone example.test --name _acme-challenge --subtree --types
 * TXT} made, pebble reads them from namud (its only DNS server) before it issues, and the client
 * deletes them afterwards. All of it on 127.0.63.1; namud does no recursion, so no query leaves.
 */
class AcmeClientsTest {
  /** Each client's whole run, pebble's checks included (lego takes about 40 s, certbot 15 s, on a quiet machine). */
  private static final Duration CLIENT_LIMIT = Duration.ofSeconds(90);
  private static final String HOST = "127.0.63.1";
  private static final String CHALLENGE = "_acme-challenge.example.test.";

  @TempDir Path dir;
  private NamudServer namud;
  private InetSocketAddress dns;
  private String api;
  private Path data;
  private String secret;
  private LoggedProcess pebble;
  private String directory;
  private Path pebbleCa;

  @BeforeEach
  void start() throws Exception {
    Path pebbleBinary = tool("pebble", "pebble");
    data = dir.resolve("data");
    namud = NamudServer.start("--listen", HOST + ":0", "--zones",
        Files.createDirectories(dir.resolve("zones")).toString(), "--data", data.toString(),
        "--api", HOST + ":0", "--no-metrics", "--no-recursion", "--log-level", "WARN");
    namud.awaitStore();
    dns = namud.boundAddresses().get(0);
    api = "http://" + HOST + ":" + namud.admin().apiAddress().orElseThrow().getPort();
    namuctl("zone", "create", "example.test", "--ns", "ns.example.test.");
    namuctl("record", "add", "example.test", "ns", "A", HOST);
    String key = namuctl("key", "add", "acme", "--zone", "example.test", "--name", "_acme-challenge",
        "--subtree", "--types", "TXT");
    Matcher m = Pattern.compile("secret \"([^\"]+)\"").matcher(key);
    assertTrue(m.find(), key);
    secret = m.group(1);
    startPebble(pebbleBinary);
  }

  /** pebble on free ports of 127.0.63.1, with a certificate for its HTTPS made here: the clients trust it alone. */
  private void startPebble(Path binary) throws Exception {
    tool("openssl", "openssl");
    pebbleCa = dir.resolve("pebble-ca.crt");
    Path pebbleKey = dir.resolve("pebble-ca.key");
    TestCertificates.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", pebbleKey.toString(), "-out", pebbleCa.toString(), "-days", "2", "-subj", "/CN=pebble",
        "-addext", "subjectAltName=IP:" + HOST);
    int acme = freePort();
    int management = freePort();
    Path config = Files.writeString(dir.resolve("pebble.json"), """
        {"pebble": {"listenAddress": "%s:%d", "managementListenAddress": "%s:%d",
          "certificate": "%s", "privateKey": "%s", "httpPort": 5002, "tlsPort": 5001,
          "ocspResponderURL": "", "externalAccountBindingRequired": false}}
        """.formatted(HOST, acme, HOST, management, pebbleCa, pebbleKey));
    Map<String, String> env = new HashMap<>();
    // no random sleep before each check; PEBBLE_VA_ALWAYS_VALID stays unset: pebble must ask namud
    env.put("PEBBLE_VA_NOSLEEP", "1");
    // pebble rejects 5% of good nonces and reuses half the authorizations by default: both would make
    // a run differ from the next (a reused authorization is never checked in DNS)
    env.put("PEBBLE_WFE_NONCEREJECT", "0");
    env.put("PEBBLE_AUTHZREUSE", "0");
    pebble = LoggedProcess.start(List.of(binary.toString(), "-config", config.toString(), "-dnsserver",
        HOST + ":" + dns.getPort(), "-strict=false"), env, dir.resolve("pebble.log"));
    pebble.await(Pattern.compile("Listening on: "), 0, Duration.ofSeconds(20));
    directory = "https://" + HOST + ":" + acme + "/dir";
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (pebble != null) {
      pebble.close();
    }
    if (namud != null) {
      namud.close();
    }
  }

  @Test
  void legoGetsACertificateForTheNameAndItsWildcard() throws Exception {
    Path lego = tool("lego", "lego");
    Path home = dir.resolve("lego");
    Map<String, String> env = new HashMap<>();
    env.put("LEGO_CA_CERTIFICATES", pebbleCa.toString());
    env.put("RFC2136_NAMESERVER", HOST + ":" + dns.getPort());
    env.put("RFC2136_TSIG_KEY", "acme.");
    env.put("RFC2136_TSIG_SECRET", secret);
    env.put("RFC2136_TSIG_ALGORITHM", "hmac-sha256.");
    env.put("RFC2136_TTL", "60");
    env.put("RFC2136_PROPAGATION_TIMEOUT", "20");
    env.put("RFC2136_POLLING_INTERVAL", "1");
    // lego solves one name after the other and waits a minute between them by default
    env.put("RFC2136_SEQUENCE_INTERVAL", "1");
    ToolRun run = run(env, lego.toString(), "--accept-tos", "--email", "acme@example.org", "--server", directory,
        "--path", home.toString(), "--dns", "rfc2136",
        // lego checks the TXT through namud (--dns.resolvers) alone: asking every server of the NS
        // set would look up ns.example.test on port 53
        "--dns.resolvers", HOST + ":" + dns.getPort(), "--dns.disable-cp",
        "--domains", "example.test", "--domains", "*.example.test", "run");
    assertEquals(0, run.exitCode(), run.transcript() + pebbleLog());
    assertIssuedFor(home.resolve("certificates/example.test.crt"), run);
    assertEquals(List.of(), txt(), "the challenge records are gone after lego's run\n" + run.transcript());
  }

  @Test
  void certbotGetsACertificateForTheNameAndItsWildcard() throws Exception {
    Path certbot = tool("certbot", "certbot");
    assumeTrue(Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/certbot_dns_rfc2136")),
        ToolLocator.missing("certbot's dns-rfc2136 plugin", "python3-certbot-dns-rfc2136"));
    Path credentials = dir.resolve("rfc2136.ini");
    Files.writeString(credentials, """
        dns_rfc2136_server = %s
        dns_rfc2136_port = %d
        dns_rfc2136_name = acme.
        dns_rfc2136_secret = %s
        dns_rfc2136_algorithm = HMAC-SHA256
        """.formatted(HOST, dns.getPort(), secret));
    // certbot warns about a credentials file others may read
    Files.setPosixFilePermissions(credentials, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Path home = dir.resolve("certbot");
    ToolRun run = run(Map.of("REQUESTS_CA_BUNDLE", pebbleCa.toString()), certbot.toString(), "certonly",
        "--dns-rfc2136", "--dns-rfc2136-credentials", credentials.toString(),
        "--dns-rfc2136-propagation-seconds", "1", "--server", directory,
        "--config-dir", home.resolve("config").toString(), "--work-dir", home.resolve("work").toString(),
        "--logs-dir", home.resolve("logs").toString(),
        "--non-interactive", "--agree-tos", "--register-unsafely-without-email",
        "-d", "example.test", "-d", "*.example.test");
    String log = Files.readString(home.resolve("logs/letsencrypt.log"));
    assertEquals(0, run.exitCode(), run.transcript() + log + pebbleLog());
    assertIssuedFor(home.resolve("config/live/example.test/cert.pem"), run);
    // certbot writes both challenges before pebble checks either: two TXT values at one name at once
    assertEquals(2, count(log, "Successfully added TXT record _acme-challenge.example.test"), log);
    assertEquals(List.of(), txt(), "the challenge records are gone after certbot's run\n" + run.transcript());
  }

  private static void assertIssuedFor(Path certificate, ToolRun run) throws Exception {
    assertTrue(Files.isRegularFile(certificate), "no certificate at " + certificate + "\n" + run.transcript());
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(certificate)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    Set<String> names = new TreeSet<>();
    for (List<?> san : cert.getSubjectAlternativeNames()) {
      // 2: dNSName (RFC 5280 4.2.1.6)
      if (Integer.valueOf(2).equals(san.get(0))) {
        names.add((String) san.get(1));
      }
    }
    assertEquals(Set.of("*.example.test", "example.test"), names, cert.toString());
  }

  /** The TXT records at the challenge name, as namud answers them now. */
  private List<String> txt() throws IOException {
    Message reply = DnsWire.udp(dns, DnsWire.query(CHALLENGE, Type.TXT));
    return reply.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).toList();
  }

  private String pebbleLog() throws IOException {
    return "\npebble's log:\n" + pebble.text();
  }

  private ToolRun run(Map<String, String> env, String... command) throws Exception {
    return ToolRun.run(CLIENT_LIMIT, List.of(command), env);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private static Path tool(String name, String debianPackage) {
    var found = ToolLocator.find(name);
    assumeTrue(found.isPresent(), ToolLocator.missing(name, debianPackage));
    return found.get();
  }

  /** A TCP port free on HOST now (pebble binds it a moment later; another taker would fail its start loudly). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    }
  }

  private String namuctl(String... args) {
    return NamuctlCalls.succeed(api, data, args);
  }
}
