package dev.namu.resolver.scrub;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;

/**
 * DNS rebinding protection (Unbound private-address / private-domain): public names may not
 * resolve to private addresses of the LAN, so a web page cannot turn a browser against it.
 * A/AAAA RRsets (and SVCB/HTTPS address hints) with an address in a listed range are removed
 * from upstream answers, except for names at or below a listed private domain.
 */
public final class PrivateAddressFilter {
  /** An address range in CIDR notation. */
  public record Range(byte[] network, int prefix) {
    /** Parses "10.0.0.0/8" or "fd00::/8"; a bare address is a /32 or /128. */
    public static Range parse(String cidr) {
      String[] parts = cidr.trim().split("/");
      try {
        if (!parts[0].matches("[0-9a-fA-F:.]+")) throw new IllegalArgumentException("not an address: " + cidr);
        byte[] net = InetAddress.getByName(parts[0]).getAddress();
        int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : net.length * 8;
        if (prefix < 0 || prefix > net.length * 8) throw new IllegalArgumentException("bad prefix in " + cidr);
        return new Range(net, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("bad address range: " + cidr, e);
      }
    }

    public boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) return false;
      int full = prefix / 8;
      for (int i = 0; i < full; i++) if (b[i] != network[i]) return false;
      int rest = prefix % 8;
      if (rest == 0) return true;
      int mask = 0xff << (8 - rest) & 0xff;
      return (b[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Range> ranges;
  private final List<Name> allowedDomains;

  public PrivateAddressFilter(Collection<String> ranges, Collection<Name> allowedDomains) {
    this.ranges = ranges.stream().map(Range::parse).toList();
    this.allowedDomains = List.copyOf(allowedDomains);
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** The reply without private addresses for public names (the same object when none). */
  public ScrubbedResponse apply(ScrubbedResponse r) {
    if (ranges.isEmpty()) return r;
    List<RRset> chain = null;
    boolean lostData = false;
    for (int i = 0; i < r.chain().size(); i++) {
      RRset rr = r.chain().get(i);
      RRset kept = filter(rr);
      if (kept != rr && chain == null) chain = new ArrayList<>(r.chain().subList(0, i));
      if (kept == null) {
        lostData = true;
      } else if (chain != null) {
        chain.add(kept);
      }
    }
    if (chain == null) return r;
    boolean complete = r.complete() && !lostData;
    return new ScrubbedResponse(r.rcode(), r.authoritative(), r.recursionAvailable(), chain, r.finalName(),
        complete, r.authority(), r.additional(), r.droppedNs());
  }

  /** {@code rr} itself, a copy without the private records, or null when none is left. */
  private RRset filter(RRset rr) {
    for (Name d : allowedDomains) {
      if (rr.getName().subdomain(d)) return rr;
    }
    List<Record> keep = new ArrayList<>();
    for (Record rec : rr.rrs(false)) {
      if (!isPrivate(rec)) keep.add(rec);
    }
    if (keep.size() == rr.size()) return rr;
    return keep.isEmpty() ? null : new RRset(keep);
  }

  private boolean isPrivate(Record rec) {
    for (InetAddress a : addresses(rec)) {
      for (Range range : ranges) {
        if (range.contains(a)) return true;
      }
    }
    return false;
  }

  private static List<InetAddress> addresses(Record rec) {
    if (rec instanceof ARecord a) return List.of(a.getAddress());
    if (rec instanceof AAAARecord a) return List.of(a.getAddress());
    if (rec instanceof SVCBBase svcb) {
      List<InetAddress> out = new ArrayList<>();
      try {
        if (svcb.getSvcParamValue(SVCBBase.IPV4HINT) instanceof SVCBBase.ParameterIpv4Hint h) out.addAll(h.getAddresses());
        if (svcb.getSvcParamValue(SVCBBase.IPV6HINT) instanceof SVCBBase.ParameterIpv6Hint h) out.addAll(h.getAddresses());
      } catch (UnknownHostException e) {
        // a malformed hint holds no address
      }
      return out;
    }
    return List.of();
  }
}
