package dev.namu.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.replay.ManualTicker;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfraCacheTest {
  private static final InetAddress A = address("192.0.2.1");

  @Test
  void repliesSmoothTheRttInPlaceAndTheEntryLivesFromItsFirstReply() {
    ManualTicker clock = new ManualTicker();
    InfraCache infra = new InfraCache(clock, 100);
    infra.recordReply(A, 80);
    assertEquals(80, infra.state(A).srttMillis(), "the first reply sets the RTT");
    long half = InfraCache.ENTRY_TTL.toSeconds() / 2;
    clock.advanceSeconds(half);
    for (int i = 0; i < 8; i++) {
      infra.recordReply(A, 8);
    }
    long srtt = infra.state(A).srttMillis();
    assertTrue(srtt > 8 && srtt < 40, "replies move the smoothed RTT toward 8 ms (alpha 1/8): " + srtt);
    List<InfraCache.ServerEntry> entries = infra.servers();
    assertEquals(1, entries.size());
    assertEquals(srtt, entries.get(0).state().srttMillis(), "an operator sees the RTT the replies made");
    // Unbound's infra-host-ttl: the entry's life runs from its write, a reply does not extend it
    long left = entries.get(0).leftNanos() / 1_000_000_000L;
    assertEquals(InfraCache.ENTRY_TTL.toSeconds() - half, left, 1, "seconds left of the entry");
    clock.advanceSeconds(InfraCache.ENTRY_TTL.toSeconds() - half);
    assertEquals(ServerState.UNKNOWN, infra.state(A), "measured afresh after the entry's lifetime");
  }

  @Test
  void aReplyAfterTimeoutsClearsThemAndRestartsTheEntry() {
    ManualTicker clock = new ManualTicker();
    InfraCache infra = new InfraCache(clock, 100);
    infra.recordReply(A, 20);
    for (int i = 0; i < InfraCache.TIMEOUTS_BEFORE_BACKOFF; i++) {
      infra.recordTimeout(A);
    }
    assertTrue(infra.blocked(A), "backed off after repeated timeouts");
    clock.advanceSeconds(60);
    infra.recordReply(A, 30);
    ServerState s = infra.state(A);
    assertEquals(0, s.timeouts(), "a reply clears the timeouts");
    assertEquals(0, s.blockedUntilNanos(), "and the back-off");
    assertEquals(InfraCache.ENTRY_TTL.toSeconds(), infra.servers().get(0).leftNanos() / 1_000_000_000L, 1);
  }

  private static InetAddress address(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
