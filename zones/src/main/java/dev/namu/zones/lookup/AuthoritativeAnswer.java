package dev.namu.zones.lookup;

import java.util.List;
import org.xbill.DNS.RRset;

/**
 * An authoritative server's reply to one question, before encoding: the caller sets the ID, the
 * question (with the client's case) and EDNS, then writes these sections.
 *
 * <p>The RRsets are owned by this answer (never shared with the zone), but callers should treat
 * them as read-only and read them with {@code rrs(false)}: dnsjava's {@code rrs()} rotates the set.
 *
 * @param rcode a {@link org.xbill.DNS.Rcode} value: NOERROR, NXDOMAIN or YXDOMAIN (RFC 6672 2.2)
 * @param authoritative the AA bit: false for referrals (RFC 1034 4.3.2 step 3b)
 * @param answer the answer section
 * @param authority the authority section: the SOA of negative answers, the NS of referrals
 * @param additional the additional section: glue and addresses of NS, MX and SRV targets
 */
public record AuthoritativeAnswer(
    int rcode,
    boolean authoritative,
    List<RRset> answer,
    List<RRset> authority,
    List<RRset> additional) {

  public AuthoritativeAnswer {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
    additional = List.copyOf(additional);
  }
}
