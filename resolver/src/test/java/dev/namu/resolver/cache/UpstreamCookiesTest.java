package dev.namu.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.replay.ManualTicker;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UpstreamCookiesTest {
  private static final InetAddress A = address("192.0.2.1");
  private static final InetAddress B = address("192.0.2.2");

  @Test
  void aClientCookiePerServerSteadyForADayThenAnother() {
    ManualTicker clock = new ManualTicker();
    UpstreamCookies cookies = new UpstreamCookies(clock, 100);
    byte[] a = cookies.clientCookie(A);
    assertEquals(UpstreamCookies.CLIENT_COOKIE_LENGTH, a.length);
    assertArrayEquals(a, cookies.clientCookie(A), "the same within the period");
    assertFalse(Arrays.equals(a, cookies.clientCookie(B)), "another server, another cookie");
    assertFalse(Arrays.equals(a, new UpstreamCookies(clock, 100).clientCookie(A)), "another process, another secret");
    clock.advanceSeconds(UpstreamCookies.ROTATION.toSeconds());
    assertFalse(Arrays.equals(a, cookies.clientCookie(A)), "rotated after a day");
  }

  @Test
  void aServerCookieIsSentOnlyWithTheClientCookieItWasReturnedFor() {
    ManualTicker clock = new ManualTicker();
    UpstreamCookies cookies = new UpstreamCookies(clock, 100);
    byte[] client = cookies.clientCookie(A);
    byte[] server = {1, 2, 3, 4, 5, 6, 7, 8};
    assertFalse(cookies.known(A));
    cookies.remember(A, client, server, false);
    assertTrue(cookies.known(A));
    assertArrayEquals(server, cookies.serverCookie(A, client));
    assertNull(cookies.serverCookie(B, cookies.clientCookie(B)));
    clock.advanceSeconds(UpstreamCookies.ROTATION.toSeconds());
    assertNull(cookies.serverCookie(A, cookies.clientCookie(A)), "bound to the old client cookie");
  }

  @Test
  void aNewServerCookieReplacesTheOneHeldAfterAMinuteOrAtOnceWhenFresh() {
    ManualTicker clock = new ManualTicker();
    UpstreamCookies cookies = new UpstreamCookies(clock, 100);
    byte[] client = cookies.clientCookie(A);
    byte[] first = {1, 1, 1, 1, 1, 1, 1, 1};
    byte[] second = {2, 2, 2, 2, 2, 2, 2, 2};
    byte[] third = {3, 3, 3, 3, 3, 3, 3, 3};
    cookies.remember(A, client, first, false);
    cookies.remember(A, client, second, false);
    assertArrayEquals(first, cookies.serverCookie(A, client), "within the minute: no write");
    clock.advanceSeconds(61);
    cookies.remember(A, client, second, false);
    assertArrayEquals(second, cookies.serverCookie(A, client));
    cookies.remember(A, client, third, true);
    assertArrayEquals(third, cookies.serverCookie(A, client), "BADCOOKIE's cookie at once");
    clock.advanceSeconds(InfraCache.ENTRY_TTL.toSeconds() + 1);
    assertFalse(cookies.known(A), "forgotten after the infra cache's 15 minutes");
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
