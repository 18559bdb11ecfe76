package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The resolver's bounds on work in flight, through a real namud over UDP, against a scripted
 * hierarchy on 127.0.0.81-95 where the servers of slow.test never answer: every resolution of a
 * name there stays in flight until namud gives up on it (10 s), so the test fills a bound by
 * sending questions and watching them arrive at those servers, then asks past it.
 */
class ResolverBoundsTest {
  private static final String ROOT = "127.0.0.81";
  private static final String TLD = "127.0.0.82";
  private static final String FAST = "127.0.0.83";
  /**
   * slow.test's servers: twelve, so that one resolution, 800 ms at each in turn, lasts until
   * namud's 10 s client timeout.
   */
  private static final List<String> SLOW = List.of("127.0.0.84", "127.0.0.85", "127.0.0.86",
      "127.0.0.87", "127.0.0.88", "127.0.0.89", "127.0.0.90", "127.0.0.91", "127.0.0.92",
      "127.0.0.93", "127.0.0.94", "127.0.0.95");
  private static final Name TEST = Name.fromConstantString("test.");
  private static final Name SLOW_ZONE = Name.fromConstantString("slow.test.");
  private static final Name FAST_ZONE = Name.fromConstantString("fast.test.");
  /** Generous for a loaded machine: what a bound refuses comes back in milliseconds. */
  private static final int REPLY_MS = 8_000;
  private static final long SEEN_WITHIN_MS = 8_000;
  /** Beyond namud's 10 s client timeout, with room for a loaded machine. */
  private static final int JOINED_MS = 30_000;

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private ScriptedHierarchy net;
  private NamudServer namud;
  private InetSocketAddress dns;

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  // ---- the scripted hierarchy

  private void hierarchy() throws IOException {
    List<ScriptedHierarchy.Server> servers = new ArrayList<>(List.of(
        new ScriptedHierarchy.Server(ROOT, ResolverBoundsTest::root),
        new ScriptedHierarchy.Server(TLD, ResolverBoundsTest::tld),
        new ScriptedHierarchy.Server(FAST, ResolverBoundsTest::fast)));
    for (String s : SLOW) {
      servers.add(new ScriptedHierarchy.Server(s, q -> null));
    }
    net = ScriptedHierarchy.start(servers.toArray(ScriptedHierarchy.Server[]::new));
    running.add(net);
  }

  private static Message reply(Message q, boolean aa) {
    Message m = new Message(q.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    if (aa) m.getHeader().setFlag(Flags.AA);
    m.addRecord(q.getQuestion(), Section.QUESTION);
    return m;
  }

  private static Record a(Name owner, String address) {
    try {
      return new ARecord(owner, DClass.IN, 3600, InetAddress.getByName(address));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Message referral(Message q, Name zone, List<String> addresses) {
    Message m = reply(q, false);
    for (int i = 0; i < addresses.size(); i++) {
      Name ns = Name.fromConstantString("ns" + i + "." + zone);
      m.addRecord(new NSRecord(zone, DClass.IN, 86400, ns), Section.AUTHORITY);
      m.addRecord(a(ns, addresses.get(i)), Section.ADDITIONAL);
    }
    return m;
  }

  private static Message root(Message q) {
    Name qname = q.getQuestion().getName();
    if (qname.equals(Name.root) && q.getQuestion().getType() == Type.NS) {
      Message m = reply(q, true);
      Name ns = Name.fromConstantString("a.root-servers.");
      m.addRecord(new NSRecord(Name.root, DClass.IN, 86400, ns), Section.ANSWER);
      m.addRecord(a(ns, ROOT), Section.ADDITIONAL);
      return m;
    }
    return referral(q, TEST, List.of(TLD));
  }

  private static Message tld(Message q) {
    Name qname = q.getQuestion().getName();
    if (qname.subdomain(SLOW_ZONE)) {
      return referral(q, SLOW_ZONE, SLOW);
    }
    return referral(q, FAST_ZONE, List.of(FAST));
  }

  /** fast.test answers every A question with one address, at once. */
  private static Message fast(Message q) {
    Message m = reply(q, true);
    if (q.getQuestion().getType() == Type.A) {
      m.addRecord(a(q.getQuestion().getName(), "192.0.2.83"), Section.ANSWER);
    }
    return m;
  }

  // ---- namud and its clients

  private void namud(String... flags) throws IOException {
    hierarchy();
    List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--no-api",
        "--metrics", "127.0.0.1:0", "--data", Files.createTempDirectory(dir, "data").toString(),
        "--root-hints", ScriptedHierarchy.hints(dir, ROOT).toString(),
        "--upstream-port", Integer.toString(net.port), "--no-local-zone", "test", "--log-level", "WARN"));
    args.addAll(List.of(flags));
    namud = NamudServer.start(args.toArray(String[]::new));
    running.add(namud);
    dns = namud.boundAddresses().get(0);
  }

  /** A client on its own loopback address. */
  private final class Client implements AutoCloseable {
    private final DatagramSocket socket;

    private final int timeoutMs;

    Client(String address) throws IOException {
      this(address, REPLY_MS);
    }

    Client(String address, int timeoutMs) throws IOException {
      this.timeoutMs = timeoutMs;
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
      socket.setSoTimeout(timeoutMs);
      running.add(this);
    }

    /** Sends an A question with EDNS and does not wait for the reply. */
    int send(String name) throws IOException {
      Message q = DnsWire.queryEdns(name, Type.A, 1232, false);
      byte[] wire = q.toWire();
      socket.send(new DatagramPacket(wire, wire.length, dns));
      return q.getHeader().getID();
    }

    /** Asks and waits for the reply to that question (replies to earlier ones are skipped). */
    Message ask(String name) throws IOException {
      int id = send(name);
      while (true) {
        Message m = receive();
        assertNotNull(m, "no reply to " + name + " within " + timeoutMs + " ms");
        if (m.getHeader().getID() == id && m.getQuestion().getName().toString().equals(name)) {
          return m;
        }
      }
    }

    /** The next reply, or null when none comes within the client's timeout. */
    Message receive() throws IOException {
      byte[] buffer = new byte[4096];
      DatagramPacket p = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(p);
      } catch (SocketTimeoutException e) {
        return null;
      }
      return new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** The names slow.test's servers have been asked, in lower case (0x20 asks them in random case). */
  private Set<String> askedOfSlow() {
    return net.seen().stream().filter(s -> SLOW.contains(s.server()))
        .map(s -> s.query().getQuestion().getName().toString().toLowerCase(java.util.Locale.ROOT))
        .collect(Collectors.toSet());
  }

  /** Sends {@code name} from {@code client} and waits until slow.test's servers have it. */
  private void startResolution(Client client, String name) throws Exception {
    client.send(name);
    long deadline = System.nanoTime() + SEEN_WITHIN_MS * 1_000_000L;
    while (!askedOfSlow().contains(name)) {
      assertTrue(System.nanoTime() - deadline < 0, name + " never reached slow.test's servers: " + askedOfSlow());
      Thread.sleep(10);
    }
  }

  /** The RFC 8914 extended error of a reply, or null. */
  private static ExtendedErrorCodeOption ede(Message m) {
    OPTRecord opt = m.getOPT();
    if (opt == null) return null;
    return opt.getOptions().stream().filter(o -> o instanceof ExtendedErrorCodeOption)
        .map(o -> (ExtendedErrorCodeOption) o).findFirst().orElse(null);
  }

  private static void assertRefused(Message m, String text) {
    assertEquals(Rcode.SERVFAIL, m.getRcode(), () -> "refused past the bound: " + m);
    ExtendedErrorCodeOption e = ede(m);
    assertNotNull(e, () -> "an extended error says why: " + m);
    assertEquals(ExtendedErrorCodeOption.OTHER, e.getErrorCode(), () -> "EDE " + e);
    assertTrue(e.getText() != null && e.getText().contains(text), () -> "EDE text " + e.getText());
  }

  private static void assertAnswered(Message m) {
    assertEquals(Rcode.NOERROR, m.getRcode(), () -> "answered: " + m);
    assertEquals("192.0.2.83", m.getSection(Section.ANSWER).get(0).rdataToString());
  }

  /** namud's counter of questions refused at {@code bound}. */
  private double refusedMetric(String bound) throws Exception {
    InetSocketAddress at = namud.metricsAddress().orElseThrow();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + at.getPort() + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("(?m)^namu_resolver_refused_in_flight_total\\{bound=\"" + bound + "\"[^}]*} (\\S+)$")
        .matcher(r.body());
    assertTrue(m.find(), "no refused_in_flight sample for " + bound);
    return Double.parseDouble(m.group(1));
  }

  // ---- the bounds

  @Test
  void aClientPastItsBoundIsRefusedAtOnceWhileAnotherIsAnswered() throws Exception {
    namud("--in-flight-per-client", "3");
    Client greedy = new Client("127.0.0.1");
    Client other = new Client("127.0.0.2");
    assertAnswered(greedy.ask("www.fast.test."));
    for (int i = 1; i <= 3; i++) {
      startResolution(greedy, "r" + i + ".slow.test.");
    }

    assertRefused(greedy.ask("r4.slow.test."), "for this client (limit 3)");
    assertTrue(!askedOfSlow().contains("r4.slow.test."), "no upstream query for a refused question");
    // what the cache holds costs nothing upstream: never refused
    assertAnswered(greedy.ask("www.fast.test."));
    // another client resolves as usual, a name namud must go and ask for
    assertAnswered(other.ask("www2.fast.test."));
    assertEquals(1.0, refusedMetric("client"));
    assertEquals(0.0, refusedMetric("total"));
    // the same question as one in flight joins it: it costs nothing upstream and is not refused,
    // and is answered when that resolution gives up (namud's 10 s client timeout; on a machine
    // slow enough that it has already, from the failure it left, RFC 9520 3.2)
    Message joined = new Client("127.0.0.1", JOINED_MS).ask("r1.slow.test.");
    assertEquals(Rcode.SERVFAIL, joined.getRcode());
    ExtendedErrorCodeOption why = ede(joined);
    assertNotNull(why, () -> "an extended error: " + joined);
    assertTrue(why.getErrorCode() == ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY
        || why.getErrorCode() == ExtendedErrorCodeOption.CACHED_ERROR, () -> "not refused: " + why);
    assertEquals(1.0, refusedMetric("client"));
  }

  @Test
  void pastTheTotalBoundEveryClientIsRefusedAtOnceButTheCacheStillAnswers() throws Exception {
    namud("--in-flight-total", "3");
    Client a = new Client("127.0.0.1");
    Client b = new Client("127.0.0.2");
    Client c = new Client("127.0.0.3");
    assertAnswered(c.ask("www.fast.test."));
    startResolution(a, "t1.slow.test.");
    startResolution(a, "t2.slow.test.");
    startResolution(b, "t3.slow.test.");

    assertRefused(c.ask("t4.slow.test."), "too many resolutions in flight (limit 3)");
    assertRefused(c.ask("www2.fast.test."), "too many resolutions in flight (limit 3)");
    assertTrue(!askedOfSlow().contains("t4.slow.test."), "no upstream query for a refused question");
    assertAnswered(c.ask("www.fast.test."));
    assertEquals(2.0, refusedMetric("total"));
  }

  @Test
  void aRandomSubdomainFloodHoldsAtMostTheZoneBoundAtItsServersWhileOtherZonesResolve() throws Exception {
    namud("--in-flight-per-zone", "3");
    Client flooder = new Client("127.0.0.1");
    Client other = new Client("127.0.0.2");
    assertAnswered(other.ask("www.fast.test."));
    java.util.Random random = new java.util.Random(7);
    List<String> flood = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      flood.add("x" + Integer.toHexString(random.nextInt(1 << 24)) + i + ".slow.test.");
    }
    // the first three fill the bound (each waits at slow.test's servers, one query at a time)
    for (int i = 0; i < 3; i++) {
      startResolution(flooder, flood.get(i));
    }
    // the rest come all at once, and are refused at once
    Set<String> waiting = new java.util.HashSet<>(flood.subList(3, flood.size()));
    for (String name : waiting) {
      flooder.send(name);
    }
    while (!waiting.isEmpty()) {
      Message m = flooder.receive();
      assertNotNull(m, "no reply within " + REPLY_MS + " ms to " + waiting);
      if (waiting.remove(m.getQuestion().getName().toString())) {
        assertRefused(m, "too many queries in flight to the servers of slow.test. (limit 3)");
      }
    }
    assertEquals(Set.copyOf(flood.subList(0, 3)), askedOfSlow(), "slow.test's servers got three names, no more");
    // a name of another zone, never asked before, resolves during the flood
    assertAnswered(other.ask("www3.fast.test."));
    assertEquals(flood.size() - 3, refusedMetric("zone"));
  }
}
