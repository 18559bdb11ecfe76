package dev.namu.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** One bucket per client prefix and kind of reply, on a clock that stands still. */
class ResponseRateLimiterTest {
  /** A header-only reply (no question): every one is the same kind, "error". */
  private static ByteBuf reply() {
    return Unpooled.wrappedBuffer(new byte[] {0, 1, (byte) 0x81, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0});
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
}
