package dev.namu.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.Hermetic;
import dev.namu.server.NamudServer;
import dev.namu.server.pipeline.ReplyCounters;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Response rate limiting as a reflector's victim and a real client see it: a bounded flood of
 * identical UDP queries from one loopback source for a 1 kB TXT, against namud with a low rate
 * (clients on loopback may not recurse here, so they are limited).
 */
class RateLimitFloodTest {
  private static final int RATE = 10;
  private static final int FLOOD = 1000;
  /** Generous for a loaded machine: the flood is sent in well under a second when it is quiet. */
  private static final int WAIT_SECONDS = 30;
  private static final HexFormat HEX = HexFormat.of();

  @TempDir static Path dir;
  static NamudServer server;
  static InetSocketAddress address;

  @BeforeAll
  static void start() throws Exception {
    StringBuilder zone = new StringBuilder("""
        $ORIGIN rrl.test.
        $TTL 3600
        @ IN SOA ns.rrl.test. hostmaster.rrl.test. 1 7200 3600 1209600 300
        @ IN NS ns
        ns IN A 192.0.2.1
        """);
    for (String name : List.of("big", "cookie", "badcookie")) {
      for (int i = 0; i < 4; i++) {
        zone.append(name).append(" IN TXT \"").append(Character.toString('a' + i).repeat(250)).append("\"\n");
      }
    }
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Files.writeString(zones.resolve("rrl.test.zone"), zone);
    server = Hermetic.start("--listen", "127.0.0.1:0", "--zones", zones.toString(),
        "--rrl-rate", Integer.toString(RATE), "--rrl-slip", "2", "--rrl-window", "15");
    address = server.boundAddresses().get(0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aFloodIsMostlyDroppedEveryOtherLimitedReplyTruncatedAndTcpStillAnswers() throws Exception {
    ReplyCounters counters = server.counters();
    long droppedBefore = counters.limitedDroppedCount();
    long slippedBefore = counters.limitedSlippedCount();
    long receivedBefore = counters.receivedCount();
    long repliesBefore = counters.replyCount();
    long started = System.nanoTime();
    List<byte[]> replies;
    long received;
    try (UdpFlood flood = new UdpFlood(address)) {
      flood.send(query("big.rrl.test.", null), FLOOD);
      received = awaitAllProcessed(counters, receivedBefore, repliesBefore);
      long dropped = counters.limitedDroppedCount() - droppedBefore;
      assertTrue(flood.await((int) (received - dropped), WAIT_SECONDS), "replies that were not dropped");
      replies = flood.replies();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long dropped = counters.limitedDroppedCount() - droppedBefore;
    long slipped = counters.limitedSlippedCount() - slippedBefore;
    long full = replies.stream().filter(r -> answers(r) == 4).count();
    long truncated = replies.stream().filter(r -> (r[2] & 0x02) != 0 && answers(r) == 0).count();
    // the kernel may drop a few queries of a flood on a loaded machine: count what namud got
    assertTrue(received >= FLOOD / 2, "namud received " + received + " of " + FLOOD);
    assertEquals(received, full + dropped + slipped, "every query: answered, dropped or slipped");
    assertEquals(slipped, truncated, "each slipped reply arrives truncated, with no records");
    // a second's rate, then the rate for each further second the flood lasted
    assertTrue(full >= 1 && full <= RATE * (Math.ceil(seconds) + 1), full + " full answers in " + seconds + " s");
    assertTrue(dropped > FLOOD / 3, "mostly dropped: " + dropped);
    long limited = dropped + slipped;
    assertTrue(Math.abs(slipped - limited / 2.0) <= 0.1 * limited,
        "every 2nd limited reply slipped: " + slipped + " of " + limited);
    for (byte[] r : replies) {
      assertTrue(r.length < 60 || answers(r) == 4, "a truncated reply is header and question only");
    }

    // the flood left the bucket in debt: UDP is limited, TCP answers in full
    byte[] udp = DnsWire.udp(address, query("big.rrl.test.", null), 1000);
    assertTrue(udp == null || (udp[2] & 0x02) != 0, "UDP during the flood's window is limited");
    Message tcp = DnsWire.tcp(address, new Message(query("big.rrl.test.", null)));
    assertEquals(Rcode.NOERROR, tcp.getRcode());
    assertEquals(4, tcp.getSection(Section.ANSWER).size(), tcp.toString());
  }

  @Test
  void randomNamesUnderOneZoneShareItsNxdomainBudget() throws Exception {
    ReplyCounters counters = server.counters();
    long droppedBefore = counters.limitedDroppedCount();
    long slippedBefore = counters.limitedSlippedCount();
    long receivedBefore = counters.receivedCount();
    long repliesBefore = counters.replyCount();
    java.util.Random random = new java.util.Random(7);
    List<byte[]> queries = new java.util.ArrayList<>();
    for (int i = 0; i < FLOOD; i++) {
      queries.add(query(Long.toHexString(random.nextLong()) + ".rrl.test.", null));
    }
    long started = System.nanoTime();
    long received;
    try (UdpFlood flood = new UdpFlood(address)) {
      flood.sendEach(queries);
      received = awaitAllProcessed(counters, receivedBefore, repliesBefore);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long limited = counters.limitedDroppedCount() - droppedBefore + counters.limitedSlippedCount() - slippedBefore;
    assertTrue(received >= FLOOD / 2, "namud received " + received + " of " + FLOOD);
    // each name is new, yet all are the zone's NXDOMAIN: one budget, as for one name
    assertTrue(received - limited <= RATE * (Math.ceil(seconds) + 1),
        (received - limited) + " NXDOMAIN answers in " + seconds + " s");
  }

  @Test
  void aClientWithAValidServerCookieIsNeverLimited() throws Exception {
    byte[] client = HEX.parseHex("1111222233334444");
    Message first = DnsWire.udp(address, new Message(query("cookie.rrl.test.", new CookieOption(client))));
    byte[] serverCookie = ((CookieOption) first.getOPT().getOptions(10).get(0)).getServerCookie().orElseThrow();
    ReplyCounters counters = server.counters();
    long limitedBefore = counters.limitedDroppedCount() + counters.limitedSlippedCount();
    int n = 300;
    try (UdpFlood flood = new UdpFlood(address)) {
      flood.send(query("cookie.rrl.test.", new CookieOption(client, serverCookie)), n);
      assertTrue(flood.await(n, WAIT_SECONDS), "every query answered");
      assertEquals(n, flood.replies().stream().filter(r -> answers(r) == 4).count(), "all in full");
    }
    assertEquals(limitedBefore, counters.limitedDroppedCount() + counters.limitedSlippedCount());
  }

  @Test
  void aLimitedClientThatSentACookieIsToldBadCookieAndItsNewCookieGetsItsAnswer() throws Exception {
    byte[] client = HEX.parseHex("5555666677778888");
    byte[] wrong = HEX.parseHex("01000000000000010011223344556677");
    ReplyCounters counters = server.counters();
    long droppedBefore = counters.limitedDroppedCount();
    long receivedBefore = counters.receivedCount();
    long repliesBefore = counters.replyCount();
    int n = 300;
    List<byte[]> replies;
    try (UdpFlood flood = new UdpFlood(address)) {
      flood.send(query("badcookie.rrl.test.", new CookieOption(client, wrong)), n);
      long received = awaitAllProcessed(counters, receivedBefore, repliesBefore);
      long dropped = counters.limitedDroppedCount() - droppedBefore;
      assertTrue(flood.await((int) (received - dropped), WAIT_SECONDS));
      replies = flood.replies();
    }
    // as BIND: the slipped reply to a client with a cookie is BADCOOKIE with a server cookie for it
    Message badCookie = replies.stream().map(RateLimitFloodTest::parse)
        .filter(m -> m.getRcode() == Rcode.BADCOOKIE).findFirst()
        .orElseThrow(() -> new AssertionError("no BADCOOKIE among " + replies.size() + " replies"));
    assertTrue(!badCookie.getHeader().getFlag(Flags.TC) && badCookie.getSection(Section.ANSWER).isEmpty());
    CookieOption fresh = (CookieOption) badCookie.getOPT().getOptions(10).get(0);
    assertArrayEquals(client, fresh.getClientCookie());

    // the bucket is in debt, yet the cookie just given verifies the client: answered in full
    Message answered = DnsWire.udp(address,
        new Message(query("badcookie.rrl.test.", new CookieOption(client, fresh.getServerCookie().orElseThrow()))));
    assertEquals(Rcode.NOERROR, answered.getRcode());
    assertEquals(4, answered.getSection(Section.ANSWER).size(), answered.toString());
  }

  /**
   * Waits until namud has answered (or limited) every query it received since {@code
   * receivedBefore} and no more arrive; returns how many it received. Polls its counters, up to
   * {@link #WAIT_SECONDS}: the flood's queries are in flight in the kernel, nothing to wait on.
   *
   * <p>Each query is counted as a reply before rate limiting, so all are processed once the
   * replies have caught up with the queries received.
   */
  private static long awaitAllProcessed(ReplyCounters c, long receivedBefore, long repliesBefore)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
    long last = -1;
    while (System.nanoTime() < deadline) {
      long received = c.receivedCount() - receivedBefore;
      boolean answered = c.replyCount() - repliesBefore >= received;
      if (answered && received == last && received > 0) {
        return received;
      }
      last = received;
      Thread.sleep(250);
    }
    throw new AssertionError("namud did not finish the flood in " + WAIT_SECONDS + " s");
  }

  private static byte[] query(String name, CookieOption cookie) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.TXT, DClass.IN));
    q.addRecord(cookie == null ? new OPTRecord(1232, 0, 0, 0) : new OPTRecord(1232, 0, 0, 0, cookie),
        Section.ADDITIONAL);
    return q.toWire();
  }

  private static int answers(byte[] reply) {
    return (reply[6] & 0xFF) << 8 | (reply[7] & 0xFF);
  }

  private static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
