package dev.namu.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One bucket per client prefix and kind of reply, on a clock that stands still. */
class ResponseRateLimiterTest {
  /** A header-only reply (no question): every one is the same kind, "error". */
  private static byte[] reply() {
    return new byte[] {0, 1, (byte) 0x81, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0};
  }

  private static ResponseRateLimiter limiter(int ipv4Prefix, int ipv6Prefix) {
    return new ResponseRateLimiter(2, 0, 15, ipv4Prefix, ipv6Prefix, 1 << 10, a -> false, () -> 0L);
  }

  @Test
  void addressesOfOnePrefixShareABucketAndAnotherPrefixHasItsOwn() throws Exception {
    ResponseRateLimiter rrl = limiter(24, 56);
    assertEquals(ResponseRateLimiter.Verdict.SEND, rrl.decide(reply(), InetAddress.getByName("192.0.2.1")));
    assertEquals(ResponseRateLimiter.Verdict.SEND, rrl.decide(reply(), InetAddress.getByName("192.0.2.200")));
    assertEquals(ResponseRateLimiter.Verdict.DROP, rrl.decide(reply(), InetAddress.getByName("192.0.2.7")),
        "the third reply a second to one /24, whichever address of it asks");
    assertEquals(ResponseRateLimiter.Verdict.SEND, rrl.decide(reply(), InetAddress.getByName("192.0.3.1")),
        "the next /24 has a bucket of its own");

    assertEquals(ResponseRateLimiter.Verdict.SEND, rrl.decide(reply(), InetAddress.getByName("2001:db8:0:1::1")));
    assertEquals(ResponseRateLimiter.Verdict.SEND, rrl.decide(reply(), InetAddress.getByName("2001:db8:0:ff::2")));
    assertEquals(ResponseRateLimiter.Verdict.DROP, rrl.decide(reply(), InetAddress.getByName("2001:db8:0:20::3")),
        "one /56");
    assertEquals(ResponseRateLimiter.Verdict.SEND, rrl.decide(reply(), InetAddress.getByName("2001:db8:0:100::1")));
  }

  @Test
  void aPrefixOf32IsOneAddress() throws Exception {
    ResponseRateLimiter rrl = limiter(32, 128);
    rrl.decide(reply(), InetAddress.getByName("192.0.2.1"));
    rrl.decide(reply(), InetAddress.getByName("192.0.2.1"));
    assertEquals(ResponseRateLimiter.Verdict.DROP, rrl.decide(reply(), InetAddress.getByName("192.0.2.1")));
    assertEquals(ResponseRateLimiter.Verdict.SEND, rrl.decide(reply(), InetAddress.getByName("192.0.2.2")));
  }

  @Test
  void aClientInsideItsRateIsAnsweredWithoutAClockRead() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    ResponseRateLimiter rrl = new ResponseRateLimiter(1000, 0, 15, 24, 56, 1 << 10, a -> false,
        () -> {
          reads.incrementAndGet();
          return 0L;
        });
    InetAddress client = InetAddress.getByName("192.0.2.1");
    rrl.decide(reply(), client);
    int first = reads.get();
    for (int i = 0; i < 500; i++) {
      assertEquals(ResponseRateLimiter.Verdict.SEND, rrl.decide(reply(), client));
    }
    assertEquals(first, reads.get(), "a bucket with tokens left is debited without the time");
  }

  @Test
  void aDryBucketIsCreditedTheRateForEachSecondSinceItsLastCredit() throws Exception {
    AtomicLong nanos = new AtomicLong();
    ResponseRateLimiter rrl = new ResponseRateLimiter(2, 0, 15, 24, 56, 1 << 10, a -> false, nanos::get);
    InetAddress client = InetAddress.getByName("192.0.2.1");
    assertEquals("SEND SEND DROP DROP DROP DROP", verdicts(rrl, client, 6), "2 a second, then a debt of 4");
    nanos.addAndGet(1_500_000_000L);
    assertEquals("DROP", verdicts(rrl, client, 1), "one second's credit of 2 leaves a debt of 2, and 1 more");
    nanos.addAndGet(2_000_000_000L);
    assertEquals("SEND DROP DROP", verdicts(rrl, client, 3), "two seconds' credit of 4 pays the debt of 3, 1 left");
    nanos.addAndGet(60_000_000_000L);
    assertEquals("SEND SEND DROP", verdicts(rrl, client, 3), "credited at most one second's rate");
  }

  private static String verdicts(ResponseRateLimiter rrl, InetAddress client, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : " ").append(rrl.decide(reply(), client));
    }
    return out.toString();
  }
}
