package dev.namu.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.cli.Namuctl;
import dev.namu.server.DnsWire;
import dev.namu.server.NamuctlCalls;
import dev.namu.server.interop.ToolRun;
import dev.namu.zones.store.jdbc.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * namud on PostgreSQL as a user runs it (--store-url): namud and namuctl as processes, a real
 * PostgreSQL on loopback (skipped, with the reason, when it is not installed), answers over UDP.
 * Two namud on one database serve each other's edits within a second and lose none.
 */
class SharedStoreProcessTest {

  static final Duration LIMIT = Duration.ofSeconds(60);
  static PostgresServer postgres;

  @TempDir Path dir;
  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  NamudProcess start(String name, String url) throws Exception {
    // rate limiting off: the test asks thousands of questions from one address
    return NamudProcess.start(dir.resolve(name), Files.createTempFile(dir, name + "-", ".log"),
        "--store-url", url, "--rrl-rate", "0");
  }

  ToolRun namuctl(NamudProcess namud, Path data, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(NamudProcess.java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", NamudProcess.classpath(), Namuctl.class.getName()));
    cmd.addAll(Arrays.asList(args));
    cmd.addAll(List.of("--server", namud.apiUrl(), "--data", data.toString()));
    return ToolRun.run(LIMIT, cmd);
  }

  HttpResponse<String> api(NamudProcess namud, Path data, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(namud.apiUrl() + "/api/v1/" + path))
        .timeout(LIMIT)
        .header("Authorization", "Bearer " + Files.readString(data.resolve("api-token")).trim())
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The A record data of {@code name}, empty for NXDOMAIN or NODATA; null when no reply came. */
  static List<String> addresses(NamudProcess namud, String name) {
    byte[] reply;
    try {
      reply = DnsWire.udp(namud.dns(), DnsWire.query(name, Type.A).toWire(), 1000);
      if (reply == null) {
        return null;
      }
      Message m = new Message(reply);
      List<String> out = new ArrayList<>();
      for (Record r : m.getSection(Section.ANSWER)) {
        if (r.getType() == Type.A) {
          out.add(r.rdataToString());
        }
      }
      return out;
    } catch (IOException e) {
      return null;
    }
  }

  /** Waits (up to 30 s) until {@code name} has an A record on {@code namud}. */
  static void awaitServed(NamudProcess namud, String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      List<String> a = addresses(namud, name);
      if (a != null && !a.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " not served within 30 s");
  }

  @Test
  void namudOnPostgresqlServesWhatNamuctlAddsAndStillDoesAfterARestart() throws Exception {
    String url = postgres.newDatabase();
    Path data = dir.resolve("a");
    try (NamudProcess namud = start("a", url)) {
      ToolRun created = namuctl(namud, data, "zone", "create", "pg.test");
      assertEquals(0, created.exitCode(), created.transcript());
      ToolRun added = namuctl(namud, data, "record", "add", "pg.test", "www", "A", "192.0.2.80");
      assertEquals(0, added.exitCode(), added.transcript());
      HttpResponse<String> viaApi = api(namud, data, "POST", "zones/pg.test/records",
          "{\"name\":\"mail\",\"type\":\"A\",\"data\":\"192.0.2.25\"}");
      assertEquals(200, viaApi.statusCode(), viaApi.body());
      assertEquals(List.of("192.0.2.80"), addresses(namud, "www.pg.test."));
      assertEquals(List.of("192.0.2.25"), addresses(namud, "mail.pg.test."));
      String log = namud.output();
      assertTrue(log.contains("zone store jdbc:postgresql://"), log);
      assertFalse(log.contains("\tat "), "no stack trace: " + log);
      assertFalse(log.contains("Flyway upgrade recommended"), log);
    }
    try (NamudProcess again = start("a", url)) {
      awaitServed(again, "www.pg.test.");
      assertEquals(List.of("192.0.2.80"), addresses(again, "www.pg.test."));
      assertEquals(List.of("192.0.2.25"), addresses(again, "mail.pg.test."));
    }
  }

  /**
   * Must show: two namud on one PostgreSQL, 1,000 edits spread over both at once (the admin API and,
   * for one in five, RFC 2136 UPDATE signed with a key made through the other namud), all to one
   * zone so that they race for it. Each edit is served by both within a second (median; worst under
   * 3 s on a loaded machine), none is lost, and the journal's serials form one strictly increasing
   * chain: the database ordered the writers.
   */
  @Test
  void twoNamudOnOneDatabaseServeEveryEditOfEitherWithinASecondAndLoseNone() throws Exception {
    String url = postgres.newDatabase();
    Path dataA = dir.resolve("a");
    Path dataB = dir.resolve("b");
    try (NamudProcess a = start("a", url); NamudProcess b = start("b", url)) {
      List<NamudProcess> both = List.of(a, b);
      List<Path> data = List.of(dataA, dataB);
      ToolRun created = namuctl(a, dataA, "zone", "create", "shared.test");
      assertEquals(0, created.exitCode(), created.transcript());
      ToolRun key = namuctl(a, dataA, "key", "add", "edits", "--json");
      assertEquals(0, key.exitCode(), key.transcript());
      TSIG tsig = new TSIG(TSIG.HMAC_SHA256, "edits.", json.readTree(key.stdout()).get("secret").asText());
      // the zone and the key, made through a, reach b
      awaitSigned(b, tsig);

      int edits = 1000;
      long[] acked = new long[edits];
      ConcurrentLinkedQueue<Integer> pending = new ConcurrentLinkedQueue<>();
      Map<Integer, String> failures = new ConcurrentHashMap<>();
      AtomicInteger next = new AtomicInteger();
      ExecutorService workers = Executors.newFixedThreadPool(4);
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        running.add(workers.submit(() -> {
          for (int i = next.getAndIncrement(); i < edits; i = next.getAndIncrement()) {
            int on = i % 2;
            String failure = i % 5 == 0 ? update(both.get(on), tsig, i) : apiAdd(both.get(on), data.get(on), i);
            if (failure == null) {
              acked[i] = System.nanoTime();
              pending.add(i);
            } else {
              failures.put(i, failure);
            }
          }
          return null;
        }));
      }
      // meanwhile: how long after its acknowledgement each edit is served by both
      List<Long> lags = Collections.synchronizedList(new ArrayList<>());
      List<Integer> watching = new ArrayList<>();
      long quiet = 0;
      while (true) {
        for (Integer i = pending.poll(); i != null; i = pending.poll()) {
          watching.add(i);
        }
        boolean workersDone = running.stream().allMatch(Future::isDone);
        for (var it = watching.iterator(); it.hasNext(); ) {
          int i = it.next();
          String name = name(i);
          if (served(a, name, i) && served(b, name, i)) {
            lags.add(System.nanoTime() - acked[i]);
            it.remove();
          } else if (System.nanoTime() - acked[i] > TimeUnit.SECONDS.toNanos(30)) {
            throw new AssertionError("edit " + i + " (" + name + ") not served by both 30 s after it was acknowledged");
          }
        }
        if (workersDone && watching.isEmpty() && pending.isEmpty()) {
          break;
        }
        if (watching.isEmpty()) {
          Thread.sleep(5);
        }
      }
      for (Future<?> f : running) {
        f.get(1, TimeUnit.SECONDS);
      }
      workers.shutdown();

      assertEquals(Map.of(), failures, "every edit acknowledged");
      List<Long> sorted = new ArrayList<>(lags);
      Collections.sort(sorted);
      long median = sorted.get(sorted.size() / 2);
      long p99 = sorted.get(sorted.size() * 99 / 100);
      long worst = sorted.get(sorted.size() - 1);
      System.out.printf("shared store: %d edits served by both namud; lag after acknowledgement:"
              + " median %d ms, 99th percentile %d ms, worst %d ms%n", sorted.size(),
          TimeUnit.NANOSECONDS.toMillis(median), TimeUnit.NANOSECONDS.toMillis(p99), TimeUnit.NANOSECONDS.toMillis(worst));
      assertEquals(edits, sorted.size());
      assertTrue(median < TimeUnit.SECONDS.toNanos(1), "median lag " + TimeUnit.NANOSECONDS.toMillis(median) + " ms");
      assertTrue(worst < TimeUnit.SECONDS.toNanos(3), "worst lag " + TimeUnit.NANOSECONDS.toMillis(worst) + " ms");

      // none lost: both serve exactly the acknowledged adds, and the store holds them
      Set<String> expected = new TreeSet<>();
      for (int i = 0; i < edits; i++) {
        expected.add(name(i) + " " + address(i));
      }
      for (int n = 0; n < 2; n++) {
        HttpResponse<String> list = api(both.get(n), data.get(n), "GET", "zones/shared.test/records?type=A", null);
        assertEquals(200, list.statusCode(), list.body());
        Set<String> served = new TreeSet<>();
        for (JsonNode r : json.readTree(list.body())) {
          served.add(r.get("name").asText() + " " + r.get("data").asText());
        }
        assertEquals(expected, served, "namud " + n);
      }

      // the journal: the creation and one entry per edit, serials one strictly increasing chain
      try (Connection c = DriverManager.getConnection(url);
          ResultSet rs = c.createStatement().executeQuery("SELECT serial_before, serial_after FROM journal"
              + " WHERE zone_key = 'shared.test.' ORDER BY id")) {
        List<long[]> chain = new ArrayList<>();
        while (rs.next()) {
          long before = rs.getLong(1);
          chain.add(new long[] {rs.wasNull() ? -1 : before, rs.getLong(2)});
        }
        assertEquals(edits + 1, chain.size());
        assertEquals(-1, chain.get(0)[0], "the first entry creates the zone");
        for (int i = 1; i < chain.size(); i++) {
          assertEquals(chain.get(i - 1)[1], chain.get(i)[0], "entry " + i + " starts where the one before ended");
          assertTrue(chain.get(i)[1] > chain.get(i)[0], "entry " + i + " advances the serial");
        }
      }
    }
  }

  /**
   * Transfer settings set through one namud (namuctl zone update) hold on the other within about a
   * second: it allows and refuses AXFR by them, and sends its NOTIFYs to the secondaries they name.
   */
  @Test
  void transferSettingsSetThroughOneNamudHoldOnTheOther() throws Exception {
    String url = postgres.newDatabase();
    Path dataA = dir.resolve("a");
    Path dataB = dir.resolve("b");
    try (java.net.DatagramSocket secondary = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      secondary.setSoTimeout(30_000);
      NamudProcess a = start("a", url);
      try (NamudProcess b = start("b", url)) {
        NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "create", "xfr.test");
        NamuctlCalls.succeed(a.apiUrl(), dataA, "record", "add", "xfr.test", "www", "A", "192.0.2.80");
        awaitServed(b, "www.xfr.test.");
        assertEquals(Rcode.REFUSED, axfr(b, "xfr.test.").getRcode(), "no transfer before any is allowed");

        NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "update", "xfr.test", "--allow-transfer", "127.0.0.0/8",
            "--also-notify", "127.0.0.1:" + secondary.getLocalPort());
        long allowed = await("AXFR of xfr.test allowed on the other namud", () -> {
          Message m = axfr(b, "xfr.test.");
          return m.getRcode() == Rcode.NOERROR && !m.getSection(Section.ANSWER).isEmpty();
        });
        NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "update", "xfr.test", "--allow-transfer", "none");
        long refused = await("AXFR of xfr.test refused again on the other namud",
            () -> axfr(b, "xfr.test.").getRcode() == Rcode.REFUSED);
        System.out.printf("shared store: transfer settings followed in %d ms (allowed), %d ms (refused)%n",
            allowed, refused);
        assertTrue(allowed < 3000 && refused < 3000, allowed + " ms, " + refused + " ms");

        // a alone knew the secondary's address when it was set; with a gone, b's edit notifies it
        a.close();
        HttpResponse<String> edit = api(b, dataB, "POST", "zones/xfr.test/records",
            "{\"name\":\"mail\",\"type\":\"A\",\"data\":\"192.0.2.25\"}");
        assertEquals(200, edit.statusCode(), edit.body());
        java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[512], 512);
        secondary.receive(packet);
        Message notify = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
        assertEquals(org.xbill.DNS.Opcode.NOTIFY, notify.getHeader().getOpcode());
        assertEquals(Name.fromString("xfr.test."), notify.getQuestion().getName());
      } finally {
        a.close();
      }
    }
  }

  /**
   * A zone signed through one namud is signed on the other: it answers the DNSKEY and signs its own
   * edits of the zone; unsigned through the first, the other's edits are no longer signed.
   */
  @Test
  void aZoneSignedOrUnsignedThroughOneNamudIsEditedSoByTheOther() throws Exception {
    String url = postgres.newDatabase();
    Path dataA = dir.resolve("a");
    Path dataB = dir.resolve("b");
    try (NamudProcess a = start("a", url); NamudProcess b = start("b", url)) {
      NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "create", "sig.test");
      NamuctlCalls.succeed(a.apiUrl(), dataA, "record", "add", "sig.test", "www", "A", "192.0.2.80");
      awaitServed(b, "www.sig.test.");
      NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "sign", "sig.test");
      await("DNSKEY of sig.test on the other namud", () -> !answers(b, "sig.test.", Type.DNSKEY).isEmpty());

      HttpResponse<String> edit = api(b, dataB, "POST", "zones/sig.test/records",
          "{\"name\":\"new\",\"type\":\"A\",\"data\":\"192.0.2.81\"}");
      assertEquals(200, edit.statusCode(), edit.body());
      List<Integer> types = answers(b, "new.sig.test.", Type.A);
      assertEquals(List.of(Type.A, Type.RRSIG), types, "the other namud's edit is signed");

      NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "unsign", "sig.test");
      await("sig.test without DNSKEY on the other namud", () -> answers(b, "sig.test.", Type.DNSKEY).isEmpty());
      HttpResponse<String> plain = api(b, dataB, "POST", "zones/sig.test/records",
          "{\"name\":\"plain\",\"type\":\"A\",\"data\":\"192.0.2.82\"}");
      assertEquals(200, plain.statusCode(), plain.body());
      assertEquals(List.of(Type.A), answers(b, "plain.sig.test.", Type.A), "the other namud's edit is not signed");
      assertEquals(List.of(), answers(b, "sig.test.", Type.DNSKEY), "nor the zone signed again");
    }
  }

  /**
   * A KSK rollover started through one namud changes its keys and not its zone (the new KSK waits
   * for its DS, RFC 6781 4.1.2), so no new serial: the other namud still follows it, shows both DS
   * and can be told the parent publishes the new one.
   */
  @Test
  void aKskRolloverStartedThroughOneNamudIsFollowedByTheOther() throws Exception {
    String url = postgres.newDatabase();
    Path dataA = dir.resolve("a");
    Path dataB = dir.resolve("b");
    try (NamudProcess a = start("a", url); NamudProcess b = start("b", url)) {
      NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "create", "ksk.test");
      NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "sign", "ksk.test");
      await("DNSKEY of ksk.test on the other namud", () -> !answers(b, "ksk.test.", Type.DNSKEY).isEmpty());
      List<String> before = dsLines(NamuctlCalls.succeed(b.apiUrl(), dataB, "zone", "ds", "ksk.test"));
      assertEquals(1, before.size(), before.toString());

      NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "rollover", "ksk.test", "--ksk");
      List<String> both = dsLines(NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "ds", "ksk.test"));
      assertEquals(2, both.size(), both.toString());
      await("both DS on the other namud",
          () -> both.equals(dsLines(NamuctlCalls.succeed(b.apiUrl(), dataB, "zone", "ds", "ksk.test"))));

      NamuctlCalls.succeed(b.apiUrl(), dataB, "zone", "ds-published", "ksk.test");
      List<String> after = new ArrayList<>(both);
      after.removeAll(before);
      await("the new KSK alone on the first namud",
          () -> after.equals(dsLines(NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "ds", "ksk.test"))));
    }
  }

  /** The DS records namuctl zone ds printed, sorted. */
  static List<String> dsLines(String out) {
    return Arrays.stream(out.split("\n")).map(String::trim).filter(l -> l.matches(".*\\sDS\\s.*")).sorted().toList();
  }

  /** A view's record added through one namud is served to the other's clients in that view within about a second. */
  @Test
  void aViewsRecordAddedThroughOneNamudIsServedByTheOtherToTheViewsClients() throws Exception {
    String url = postgres.newDatabase();
    Path dataA = dir.resolve("a");
    // the test's queries come from 127.0.0.1: its clients are in view inside on both
    try (NamudProcess a = NamudProcess.start(dataA, Files.createTempFile(dir, "a-", ".log"),
            "--store-url", url, "--view", "inside=127.0.0.0/8");
        NamudProcess b = NamudProcess.start(dir.resolve("b"), Files.createTempFile(dir, "b-", ".log"),
            "--store-url", url, "--view", "inside=127.0.0.0/8")) {
      NamuctlCalls.succeed(a.apiUrl(), dataA, "zone", "create", "view.test");
      NamuctlCalls.succeed(a.apiUrl(), dataA, "record", "add", "view.test", "nas", "A", "192.0.2.12");
      awaitServed(b, "nas.view.test.");
      assertEquals(List.of("192.0.2.12"), addresses(b, "nas.view.test."));

      NamuctlCalls.succeed(a.apiUrl(), dataA, "record", "add", "view.test", "nas", "A", "192.168.0.12", "--view", "inside");
      long lag = await("the view's record on the other namud",
          () -> List.of("192.168.0.12").equals(addresses(b, "nas.view.test.")));
      System.out.printf("shared store: a view's record followed in %d ms%n", lag);
      assertTrue(lag < 3000, lag + " ms");
      NamuctlCalls.succeed(a.apiUrl(), dataA, "record", "delete", "view.test", "nas", "A", "--view", "inside");
      await("the zone's own record on the other namud again",
          () -> List.of("192.0.2.12").equals(addresses(b, "nas.view.test.")));
    }
  }

  /** Asks for a zone transfer over TCP; the first message of the reply. */
  static Message axfr(NamudProcess namud, String zone) throws IOException {
    return DnsWire.tcp(namud.dns(), DnsWire.query(zone, Type.AXFR));
  }

  /** The types of the answer to {@code name}/{@code type} asked with DO, in the order given; empty on no reply. */
  static List<Integer> answers(NamudProcess namud, String name, int type) throws IOException {
    Message reply = DnsWire.udp(namud.dns(), DnsWire.queryEdns(name, type, 1232, true));
    return reply.getSection(Section.ANSWER).stream().map(Record::getType).toList();
  }

  interface Check {
    boolean holds() throws Exception;
  }

  /** Waits (up to 30 s) until {@code check} holds; how long it took, in ms. */
  static long await(String what, Check check) throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(30);
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within 30 s");
      }
      Thread.sleep(50);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  static String name(int i) {
    return "e" + i + ".shared.test.";
  }

  static String address(int i) {
    return "10.0." + (i / 250) + "." + (i % 250 + 1);
  }

  static boolean served(NamudProcess namud, String name, int i) {
    List<String> a = addresses(namud, name);
    return a != null && a.contains(address(i));
  }

  /** Adds edit i through the admin API; null when acknowledged, else what went wrong. */
  String apiAdd(NamudProcess namud, Path data, int i) {
    try {
      HttpResponse<String> r = api(namud, data, "POST", "zones/shared.test/records",
          "{\"name\":\"e" + i + "\",\"type\":\"A\",\"data\":\"" + address(i) + "\"}");
      return r.statusCode() == 200 ? null : "HTTP " + r.statusCode() + " " + r.body();
    } catch (IOException | InterruptedException e) {
      return e.toString();
    }
  }

  /** Adds edit i by RFC 2136 UPDATE over TCP, TSIG-signed; null when acknowledged (NOERROR). */
  static String update(NamudProcess namud, TSIG tsig, int i) {
    try {
      Update u = new Update(Name.fromString("shared.test."));
      u.add(new ARecord(Name.fromString(name(i)), DClass.IN, 3600, java.net.InetAddress.getByName(address(i))));
      SimpleResolver r = new SimpleResolver(namud.dns());
      r.setTCP(true);
      r.setTSIGKey(tsig);
      r.setTimeout(LIMIT);
      Message reply = r.send(u);
      return reply.getRcode() == Rcode.NOERROR ? null : "UPDATE " + Rcode.string(reply.getRcode());
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Waits (up to 30 s) until a query signed with {@code tsig} for the zone's SOA is answered. */
  static void awaitSigned(NamudProcess namud, TSIG tsig) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    SimpleResolver r = new SimpleResolver(namud.dns());
    r.setTSIGKey(tsig);
    r.setTimeout(Duration.ofSeconds(2));
    while (System.nanoTime() < deadline) {
      try {
        Message reply = r.send(DnsWire.query("shared.test.", Type.SOA));
        if (reply.getRcode() == Rcode.NOERROR && reply.getSection(Section.ANSWER).size() == 1) {
          return;
        }
        last = Rcode.string(reply.getRcode());
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the zone and key made through the other namud not served within 30 s: " + last);
  }
}
