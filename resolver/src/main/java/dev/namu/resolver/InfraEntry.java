package dev.namu.resolver;

import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * What the resolver knows of one upstream server address ({@code namuctl cache infra}), copied out
 * of the infrastructure cache.
 *
 * @param address the server's address
 * @param rttMillis smoothed round-trip time used to choose among servers (376 ms, the value assumed
 *     for a server never heard from, while only timeouts are known)
 * @param timeouts consecutive queries that got no reply (any reply resets it)
 * @param ednsFailed the server failed queries with EDNS but answered plain ones (RFC 6891 section 7),
 *     so it is asked without EDNS
 * @param backedOffMillis after repeated timeouts, how long it is still skipped (0: not backed off)
 * @param lameZones zones this address answered lamely for (not authoritative, a referral upward)
 * @param caseBlind the server repeated a 0x20 question in another case than it was sent in, so it
 *     is asked without 0x20 until the mark expires
 * @param ttlLeftSeconds seconds until the entry expires and the server is tried afresh (the longest
 *     of its RTT entry, its lameness entries and its case-blind mark)
 * @param cookies the server returned a DNS server cookie (RFC 7873) that is held and sent back
 *     to it; its replies without one are then taken for forgeries
 */
public record InfraEntry(InetAddress address, long rttMillis, int timeouts, boolean ednsFailed,
    long backedOffMillis, List<Name> lameZones, boolean caseBlind, long ttlLeftSeconds,
    boolean cookies) {
  public InfraEntry {
    lameZones = List.copyOf(lameZones);
  }
}
