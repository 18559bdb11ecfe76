package dev.namu.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ListenAddressTest {
  @Test
  void parsesIpv4AndBracketedIpv6() {
    ListenAddress v4 = ListenAddress.parse("127.0.0.1:5353");
    assertEquals(5353, v4.port());
    assertEquals("127.0.0.1:5353", v4.toString());
    ListenAddress v6 = ListenAddress.parse("[::1]:53");
    assertEquals(53, v6.port());
    assertTrue(v6.isIpv6Loopback());
    assertEquals("[::1]:53", v6.toString());
    assertEquals(53, ListenAddress.parse("192.0.2.1").port());
    assertEquals(0, ListenAddress.parse("127.0.0.1:0").port());
    assertEquals("[2001:db8::53]:53", ListenAddress.parse("[2001:db8:0:0::53]:53").toString());
    assertEquals("[::]:53", ListenAddress.parse("[::]:53").toString());
    assertEquals("[fe80::1:0:0:1]:53", ListenAddress.parse("[fe80:0:0:0:1:0:0:1]:53").toString());
  }

  @Test
  void rejectsWithClearMessages() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("::1:53"))
        .getMessage().contains("brackets"));
    assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("localhost:53"));
    assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("127.0.0.1:70000"));
    assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("300.0.0.1:53"));
    assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(""));
  }

  @Test
  void commandLineDefaultsAndErrors() {
    ServerConfig c = NamudCommandLine.parse();
    assertEquals(ServerConfig.DEFAULT_LISTEN, c.listen());
    ServerConfig two = NamudCommandLine.parse("--listen", "127.0.0.1:0", "--listen", "[::1]:0", "--tcp-idle-timeout", "0.25");
    assertEquals(2, two.listen().size());
    assertEquals(250, two.tcp().idleTimeout().toMillis());
    assertThrows(IllegalArgumentException.class, () -> NamudCommandLine.parse("--log-level", "LOUD"));
    assertThrows(IllegalArgumentException.class, () -> NamudCommandLine.parse("--bogus"));
    assertThrows(IllegalArgumentException.class, () -> NamudCommandLine.parse("--listen", "nowhere"));
  }
}
