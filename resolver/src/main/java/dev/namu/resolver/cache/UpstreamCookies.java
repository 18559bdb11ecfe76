package dev.namu.resolver.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The resolver's side of DNS cookies (RFC 7873): the client cookie it sends each upstream server,
 * and the server cookie each server last returned, sent back to it next time.
 *
 * <p>A client cookie is the first 8 bytes of HMAC-SHA256 over the server's address and the
 * current period, keyed with a secret drawn once per process (RFC 7873 section 6 and its
 * appendix A.2): it differs per server, so one server cannot track the resolver by a cookie
 * another saw, and it changes every {@link #ROTATION}, so it is not an identifier for life. A
 * server cookie is bound to the client cookie it was returned for; after a rotation it is no
 * longer sent, and the server returns a fresh one.
 *
 * <p>The table of server cookies is bounded in entries as the rest of the infrastructure cache
 * is, and an entry expires {@link InfraCache#ENTRY_TTL} after it was last refreshed.
 */
public final class UpstreamCookies {
  /** Length of a client cookie (RFC 7873 section 4). */
  public static final int CLIENT_COOKIE_LENGTH = 8;
  /** A client cookie is derived afresh this often: rarely, as RFC 7873 section 6 asks. */
  public static final Duration ROTATION = Duration.ofDays(1);
  /**
   * A server that mints a new cookie on every reply (BIND stamps the time in it, RFC 9018) would
   * cost a cache write per reply; the one held is replaced only when it is older than this. RFC
   * 9018 section 4.3 keeps a server cookie valid for an hour at least, so it is still good.
   */
  static final long REFRESH_NANOS = Duration.ofMinutes(1).toNanos();

  /** What one server returned last, for the client cookie it was returned for. */
  private record Held(byte[] client, byte[] server, long storedNanos) {}

  private final Ticker ticker;
  private final Cache<InetAddress, Held> held;
  private final ThreadLocal<Mac> macs;

  UpstreamCookies(Ticker ticker, long maxEntries) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.ticker = ticker;
    this.held = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
        .maximumSize(maxEntries).expireAfterWrite(InfraCache.ENTRY_TTL).build();
    SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
      }
    });
  }

  /** The client cookie for {@code server} in the current period. */
  public byte[] clientCookie(InetAddress server) {
    long period = Math.floorDiv(ticker.read(), ROTATION.toNanos());
    Mac mac = macs.get();
    mac.update(ByteBuffer.allocate(Long.BYTES).putLong(period).array());
    mac.update(server.getAddress());
    return Arrays.copyOf(mac.doFinal(), CLIENT_COOKIE_LENGTH);
  }

  /** The server cookie {@code server} returned for {@code client}, or null when none is held. */
  public byte[] serverCookie(InetAddress server, byte[] client) {
    Held h = held.getIfPresent(server);
    return h != null && Arrays.equals(h.client(), client) ? h.server() : null;
  }

  /**
   * Remembers the server cookie of a reply whose client cookie was ours ({@code client}). With
   * {@code fresh}, it replaces the one held whatever its age (a BADCOOKIE reply's: the one held
   * was refused).
   */
  public void remember(InetAddress server, byte[] client, byte[] serverCookie, boolean fresh) {
    Held h = held.getIfPresent(server);
    long now = ticker.read();
    if (!fresh && h != null && Arrays.equals(h.client(), client)
        && (Arrays.equals(h.server(), serverCookie) || now - h.storedNanos() < REFRESH_NANOS)) {
      return;
    }
    held.put(server, new Held(client.clone(), serverCookie.clone(), now));
  }

  /** True while a server cookie from {@code server} is held: it does cookies. */
  public boolean known(InetAddress server) {
    return held.getIfPresent(server) != null;
  }

  void invalidateAll() {
    held.invalidateAll();
  }
}
