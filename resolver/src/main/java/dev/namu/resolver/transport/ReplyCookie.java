package dev.namu.resolver.transport;

import java.util.Arrays;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * RFC 7873 section 5.3: the check of a reply's DNS COOKIE option against the query's. A reply
 * that fails it is ignored as one with a wrong ID is: the wait for the real reply goes on.
 */
public final class ReplyCookie {
  private ReplyCookie() {}

  /**
   * True when {@code reply} may answer {@code query} as far as cookies go: the query sent no
   * cookie; or the reply's COOKIE option repeats the query's client cookie ("If the COOKIE option
   * is present but the Client Cookie does not match, the response is discarded"); or the reply
   * has none and the query carried no server cookie: a server that never returned one does not do
   * cookies, and is answered as before. A reply without a cookie from a server whose cookie the
   * query carried is discarded: that server does cookies, so the reply is a forger's.
   */
  public static boolean matches(Message query, Message reply) {
    CookieOption sent = of(query);
    if (sent == null) {
      return true;
    }
    CookieOption got = of(reply);
    if (got != null) {
      return Arrays.equals(sent.getClientCookie(), got.getClientCookie());
    }
    return sent.getServerCookie().isEmpty();
  }

  /** The COOKIE option of {@code m}, or null. */
  public static CookieOption of(Message m) {
    OPTRecord opt = m.getOPT();
    if (opt == null) {
      return null;
    }
    for (EDNSOption o : opt.getOptions(EDNSOption.Code.COOKIE)) {
      if (o instanceof CookieOption c) {
        return c;
      }
    }
    return null;
  }
}
