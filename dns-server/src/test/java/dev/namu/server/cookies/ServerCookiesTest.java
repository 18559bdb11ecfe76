package dev.namu.server.cookies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServerCookiesTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void sipHashMatchesTheReferenceVector() {
    // SipHash paper, Appendix A: key 00..0f, message 00..0e -> the 64-bit value a129ca6149be45e5
    byte[] key = new byte[16];
    byte[] message = new byte[15];
    for (int i = 0; i < 16; i++) {
      key[i] = (byte) i;
    }
    for (int i = 0; i < 15; i++) {
      message[i] = (byte) i;
    }
    long hash = SipHash.hash(SipHash.littleEndian(key, 0, 8), SipHash.littleEndian(key, 8, 8), message, 15);
    assertEquals(0xa129ca6149be45e5L, hash);
  }

  @Test
  void serverCookieIsRfc9018sInteroperableOne() throws Exception {
    // RFC 9018 Appendix A.1: the same secret, client cookie, address and time give this cookie
    ServerCookies cookies = ServerCookies.withSecret(HEX.parseHex("e5e973e5a6b2a43f48e7dc849e37bfcf"), () -> 1559731985L);
    byte[] reply = cookies.reply(HEX.parseHex("2464c4abcf10c957"), InetAddress.getByName("198.51.100.100"));
    assertEquals("2464c4abcf10c957" + "010000005cf79f111f8130c3eee29480", HEX.formatHex(reply));
    assertTrue(cookies.valid(HEX.parseHex("2464c4abcf10c957"), HEX.parseHex("010000005cf79f111f8130c3eee29480"),
        InetAddress.getByName("198.51.100.100")));
  }

  @Test
  void aCookieIsGoodForItsClientAndAddressForAnHourAcrossOneTurnOfTheSecret() throws Exception {
    AtomicLong now = new AtomicLong(1_700_000_000L);
    ServerCookies cookies = new ServerCookies(now::get, new SecureRandom());
    byte[] client = HEX.parseHex("0102030405060708");
    InetAddress address = InetAddress.getByName("192.0.2.7");
    byte[] server = serverPart(cookies.reply(client, address));
    assertTrue(cookies.valid(client, server, address));
    assertFalse(cookies.valid(HEX.parseHex("0102030405060709"), server, address), "another client cookie");
    assertFalse(cookies.valid(client, server, InetAddress.getByName("192.0.2.8")), "another address");
    byte[] tampered = server.clone();
    tampered[15] ^= 1;
    assertFalse(cookies.valid(client, tampered, address), "a changed hash");

    now.addAndGet(ServerCookies.ROTATION_SECONDS - 1);
    byte[] late = serverPart(cookies.reply(client, address));
    now.addAndGet(2);
    // the secret turned on this call: the cookie made just before is still good, the old one too old
    assertTrue(cookies.valid(client, late, address), "made under the secret before");
    assertFalse(cookies.valid(client, server, address), "more than an hour old");
    now.addAndGet(ServerCookies.ROTATION_SECONDS + 1);
    byte[] fresh = serverPart(cookies.reply(client, address));
    assertFalse(cookies.valid(client, late, address), "two secrets ago");
    assertTrue(cookies.valid(client, fresh, address));
  }

  @Test
  void aCookieFromTheFutureIsRefused() throws Exception {
    AtomicLong now = new AtomicLong(1_700_000_000L);
    ServerCookies cookies = new ServerCookies(now::get, new SecureRandom());
    byte[] client = HEX.parseHex("0102030405060708");
    InetAddress address = InetAddress.getByName("2001:db8::1");
    byte[] server = serverPart(cookies.reply(client, address));
    now.addAndGet(-ServerCookies.FUTURE_SECONDS - 1);
    assertFalse(cookies.valid(client, server, address));
    now.addAndGet(2);
    assertTrue(cookies.valid(client, server, address));
    assertArrayEquals(client, java.util.Arrays.copyOf(cookies.reply(client, address), 8));
  }

  private static byte[] serverPart(byte[] both) {
    return java.util.Arrays.copyOfRange(both, 8, both.length);
  }
}
