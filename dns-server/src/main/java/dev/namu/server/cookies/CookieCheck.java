package dev.namu.server.cookies;

import dev.namu.server.intake.EdnsRequest;
import java.net.InetAddress;
import java.util.Optional;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;

/**
 * What a request's COOKIE option (RFC 7873) says about its client. A malformed option never gets
 * here: the message does not parse, and the request is answered FORMERR (RFC 7873 5.2.2).
 *
 * @param clientCookie the client cookie, or null when the request had none
 * @param verified true when it also carried a server cookie we made for it (RFC 7873 5.2.4)
 */
public record CookieCheck(byte[] clientCookie, boolean verified) {
  /** A request without a cookie. */
  public static final CookieCheck NONE = new CookieCheck(null, false);

  /**
   * The check of the cookie in {@code edns} from {@code client}. A client cookie alone (5.2.3) and
   * a server cookie that is not ours or is stale (5.2.3, 5.2.4) are both answered as usual, with a
   * new server cookie; only a valid one verifies the client.
   */
  public static CookieCheck of(EdnsRequest edns, InetAddress client, ServerCookies cookies) {
    if (edns == null) {
      return NONE;
    }
    for (EDNSOption option : edns.options()) {
      if (option instanceof CookieOption cookie) {
        Optional<byte[]> server = cookie.getServerCookie();
        boolean valid = server.isPresent() && cookies.valid(cookie.getClientCookie(), server.get(), client);
        return new CookieCheck(cookie.getClientCookie(), valid);
      }
    }
    return NONE;
  }

  /** The client cookie in {@code edns}, or null when it has none. */
  public static byte[] clientCookie(EdnsRequest edns) {
    if (edns != null) {
      for (EDNSOption option : edns.options()) {
        if (option instanceof CookieOption cookie) {
          return cookie.getClientCookie();
        }
      }
    }
    return null;
  }

  /** True when the request carried a cookie, so its reply carries one (RFC 7873 5.2). */
  public boolean present() {
    return clientCookie != null;
  }
}
