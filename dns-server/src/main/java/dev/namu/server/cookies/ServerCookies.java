package dev.namu.server.cookies;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Server cookies as RFC 9018 defines them, so any server of a site could check another's: version
 * 1, three reserved bytes, a 32-bit timestamp and a SipHash-2-4 of the client cookie, those eight
 * bytes and the client's address (RFC 9018 4.4), under a secret of this process.
 *
 * <p>The secret is made at start and replaced every hour; cookies made under the one before are
 * still accepted, so a cookie is good for its whole lifetime (one hour, RFC 9018 4.3) across a
 * change. Thread-safe: the secrets are one immutable value swapped atomically.
 */
public final class ServerCookies {
  /** RFC 9018 4.3: a cookie older than an hour is no longer valid, so the secret turns as often. */
  static final long ROTATION_SECONDS = 3600;
  /** RFC 9018 4.3: a timestamp more than five minutes ahead is invalid (clocks may differ that much). */
  static final long FUTURE_SECONDS = 300;
  static final int CLIENT_LENGTH = 8;
  static final int SERVER_LENGTH = 16;
  private static final int VERSION = 1;

  private final LongSupplier epochSeconds;
  private final SecureRandom random;
  private final AtomicReference<Secrets> secrets;

  /** Secrets of two moments: the one cookies are made with, and the one before. */
  private record Secrets(long k0, long k1, long previous0, long previous1, long madeAt) {}

  /** Cookies on the wall clock, with a secret of this process. */
  public ServerCookies() {
    this(() -> System.currentTimeMillis() / 1000, new SecureRandom());
  }

  ServerCookies(LongSupplier epochSeconds, SecureRandom random) {
    this.epochSeconds = epochSeconds;
    this.random = random;
    long k0 = random.nextLong();
    long k1 = random.nextLong();
    // before the first turn there is no earlier secret: a fresh one stands in, matching nothing
    this.secrets = new AtomicReference<>(
        new Secrets(k0, k1, random.nextLong(), random.nextLong(), epochSeconds.getAsLong()));
  }

  /** A server with a given secret (16 bytes): the interoperable cookies of RFC 9018 Appendix A. */
  static ServerCookies withSecret(byte[] secret, LongSupplier epochSeconds) {
    ServerCookies c = new ServerCookies(epochSeconds, new SecureRandom());
    long k0 = SipHash.littleEndian(secret, 0, 8);
    long k1 = SipHash.littleEndian(secret, 8, 8);
    c.secrets.set(new Secrets(k0, k1, k0, k1, epochSeconds.getAsLong()));
    return c;
  }

  /**
   * The COOKIE option's data for a reply: the client's cookie and a server cookie made now for it
   * and {@code client} (RFC 7873 5.2.2 to 5.2.4: a fresh one in every reply is allowed, and then
   * never stale).
   */
  public byte[] reply(byte[] clientCookie, InetAddress client) {
    long now = epochSeconds.getAsLong();
    Secrets s = current(now);
    byte[] out = new byte[CLIENT_LENGTH + SERVER_LENGTH];
    System.arraycopy(clientCookie, 0, out, 0, CLIENT_LENGTH);
    out[CLIENT_LENGTH] = VERSION;
    putInt(out, CLIENT_LENGTH + 4, (int) now);
    long hash = hash(s.k0(), s.k1(), out, client);
    putLongLittleEndian(out, CLIENT_LENGTH + 8, hash);
    return out;
  }

  /**
   * True when {@code serverCookie} is one we made for this client cookie and address, under the
   * secret now or the one before, less than an hour ago and not from the future (RFC 9018 4.3).
   */
  public boolean valid(byte[] clientCookie, byte[] serverCookie, InetAddress client) {
    if (clientCookie.length != CLIENT_LENGTH || serverCookie.length != SERVER_LENGTH
        || serverCookie[0] != VERSION) {
      return false;
    }
    long now = epochSeconds.getAsLong();
    byte[] in = new byte[CLIENT_LENGTH + SERVER_LENGTH];
    System.arraycopy(clientCookie, 0, in, 0, CLIENT_LENGTH);
    System.arraycopy(serverCookie, 0, in, CLIENT_LENGTH, SERVER_LENGTH);
    // serial number arithmetic (RFC 1982), as RFC 9018 4.3 has it: the difference of 32-bit stamps
    int age = (int) now - getInt(in, CLIENT_LENGTH + 4);
    if (age > ROTATION_SECONDS || age < -FUTURE_SECONDS) {
      return false;
    }
    long got = SipHash.littleEndian(in, CLIENT_LENGTH + 8, 8);
    Secrets s = current(now);
    return hash(s.k0(), s.k1(), in, client) == got || hash(s.previous0(), s.previous1(), in, client) == got;
  }

  /** The secrets of the moment, turned first when the current one is an hour old. */
  private Secrets current(long now) {
    Secrets s = secrets.get();
    if (now - s.madeAt() < ROTATION_SECONDS) {
      return s;
    }
    Secrets turned = new Secrets(random.nextLong(), random.nextLong(), s.k0(), s.k1(), now);
    // another thread may have turned it just now: theirs stands
    return secrets.compareAndSet(s, turned) ? turned : secrets.get();
  }

  /** SipHash-2-4 of client cookie, version, reserved, timestamp and the client's address bytes. */
  private static long hash(long k0, long k1, byte[] cookies, InetAddress client) {
    byte[] address = client.getAddress();
    byte[] input = Arrays.copyOf(cookies, CLIENT_LENGTH + 8 + address.length);
    System.arraycopy(address, 0, input, CLIENT_LENGTH + 8, address.length);
    return SipHash.hash(k0, k1, input, input.length);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  private static void putLongLittleEndian(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
