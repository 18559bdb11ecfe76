package dev.namu.resolver.iterate;

import dev.namu.resolver.LocalDelegations;

import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.cache.CachedRRset;
import dev.namu.resolver.cache.RRsetCache;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Finds the closest known delegation for a name: a configured forward zone, a configured stub
 * zone (root hints are the stub for "."), or an NS set in the cache below them, deepest first.
 */
public final class DelegationFinder {
  private final ResolverConfig config;
  private final RRsetCache rrsets;
  private final RRsetCache parentSide;
  private final Map<Name, List<InetSocketAddress>> forwards = new LinkedHashMap<>();
  private final Map<Name, List<InetSocketAddress>> stubs = new LinkedHashMap<>();

  public DelegationFinder(ResolverConfig config, RRsetCache rrsets, RRsetCache parentSide) {
    this.config = config;
    this.rrsets = rrsets;
    this.parentSide = parentSide;
    if (!config.forwarders().isEmpty()) {
      forwards.put(Name.root, config.forwarders());
    }
    forwards.putAll(config.forwardZones());
    List<InetSocketAddress> roots = new ArrayList<>();
    for (InetAddress a : config.rootHints().addresses()) {
      if (usable(a)) roots.add(new InetSocketAddress(a, port()));
    }
    stubs.put(Name.root, roots);
    config.stubZones().forEach((zone, servers) -> stubs.put(zone, servers));
  }

  public int port() {
    return config.upstreamPort() == 0 ? 53 : config.upstreamPort();
  }

  /** May a server at this address be queried at all (its address family in use, or NAT64)? */
  public boolean usable(InetAddress a) {
    return a instanceof java.net.Inet6Address ? config.useIpv6() : config.queriesIpv4Servers();
  }

  /** May a server address learnt from the network (glue, answers) be queried? */
  public boolean allowedLearnt(InetAddress a) {
    if (!usable(a)) return false;
    return !(config.doNotQueryLocalhost() && (a.isLoopbackAddress() || a.isAnyLocalAddress()));
  }

  /**
   * The delegation to ask about {@code qname}/{@code qtype}. For DS the search starts at the
   * parent: DS lives on the parent side of a zone cut (RFC 4035 section 3.1.4.1).
   */
  public Delegation find(Name qname, int qtype) {
    return find(qname, qtype, null);
  }

  /**
   * As {@link #find(Name, int)}, ignoring the configured forward/stub zone {@code skip} (its
   * servers failed and it falls back to iteration).
   */
  public Delegation find(Name qname, int qtype, Name skip) {
    Name start = qtype == Type.DS && qname.labels() > 1 ? new Name(qname, 1) : qname;
    Name fwd = closest(forwards, start, skip);
    // A skipped forward zone leaves the stubs (and the root hints) alone.
    Name stub = closest(stubs, start, skip != null && !forwards.containsKey(skip) ? skip : null);
    if (stub == null) stub = Name.root;
    // A cut in a served zone below the configured stub or forward zone: iteration starts at its
    // servers, from the zone's own NS and glue (forwarders are not used below it, as in BIND).
    int above = Math.max(stub.labels(), fwd == null ? 0 : fwd.labels());
    Delegation local = config.localDelegations().find(start)
        .filter(c -> c.zone().labels() > above)
        .map(this::fromCut)
        .orElse(null);
    if (local == null && fwd != null && fwd.labels() >= stub.labels()) {
      return new Delegation(fwd, Delegation.Kind.FORWARD, forwards.get(fwd), List.of(), List.of());
    }
    // Deepest cached NS set strictly below the configured stub/hints (and the local cut).
    int floor = local == null ? stub.labels() : local.zone().labels();
    int labels = start.labels();
    for (int strip = 0; labels - strip > floor; strip++) {
      Name n = strip == 0 ? start : new Name(start, strip);
      CachedRRset ns = rrsets.get(n, Type.NS);
      if (ns != null) {
        Delegation d = fromNs(n, ns.rrset().rrs(false));
        if (!useless(d)) {
          return d;
        }
      }
    }
    if (local != null) {
      return local;
    }
    if (stub.equals(Name.root)) {
      // The primed root NS set (RFC 8109), when cached, replaces the hints.
      CachedRRset rootNs = rrsets.get(Name.root, Type.NS);
      if (rootNs != null) {
        Delegation d = fromNs(Name.root, rootNs.rrset().rrs(false));
        if (!d.servers().isEmpty()) return d;
      }
    }
    return new Delegation(stub, Delegation.Kind.ITERATE, stubs.get(stub), List.of(), List.of());
  }

  /**
   * A served zone's cut as a delegation: the glue the zone holds, then what the cache knows of NS
   * names without it. Its NS names stay listed, so it is not taken for configuration.
   */
  private Delegation fromCut(LocalDelegations.Cut cut) {
    List<InetSocketAddress> servers = new ArrayList<>();
    List<Name> unresolved = new ArrayList<>();
    for (Name ns : cut.nsNames()) {
      List<InetAddress> glue = cut.glue().get(ns);
      // The operator's own glue may name loopback servers (their zone, their choice), but an
      // address family the resolver does not use is left out like any other address of it.
      List<InetAddress> addresses =
          (glue != null ? glue : cachedAddresses(ns)).stream().filter(this::usable).toList();
      if (addresses.isEmpty()) {
        unresolved.add(ns);
      }
      for (InetAddress a : addresses) {
        servers.add(new InetSocketAddress(a, port()));
      }
    }
    return new Delegation(cut.zone(), Delegation.Kind.ITERATE, servers, unresolved, cut.nsNames());
  }

  /** The configured root hints as a delegation. */
  public Delegation rootHints() {
    return new Delegation(Name.root, Delegation.Kind.ITERATE, stubs.get(Name.root), List.of(), List.of());
  }

  /** True for the hints delegation itself (not a primed or cached NS set). */
  /** True for a delegation taken from the configuration (forwarders, stubs, hints). */
  public static boolean isConfigured(Delegation d) {
    return d.nsNames().isEmpty();
  }

  public static boolean isRootHints(Delegation d) {
    return !d.forwarding() && d.zone().equals(Name.root) && d.nsNames().isEmpty();
  }

  /**
   * A cached delegation is useless when no server address is known and every NS name lies
   * inside the zone itself: their addresses can only come from the parent's glue, so the
   * search goes on upwards (Unbound iter_dp_is_useless).
   */
  private static boolean useless(Delegation d) {
    if (!d.servers().isEmpty()) return false;
    for (Name ns : d.unresolved()) {
      if (!ns.subdomain(d.zone())) return false;
    }
    return true;
  }

  /** Parent-side glue addresses (from referrals) of a name-server name; the last resort. */
  public List<InetAddress> parentSideAddresses(Name host) {
    List<InetAddress> out = new ArrayList<>();
    if (parentSide == null) return out;
    if (config.queriesIpv4Servers()) {
      CachedRRset a = parentSide.get(host, Type.A);
      if (a != null) out.addAll(a.addresses());
    }
    if (config.useIpv6()) {
      CachedRRset a = parentSide.get(host, Type.AAAA);
      if (a != null) out.addAll(a.addresses());
    }
    out.removeIf(a -> !allowedLearnt(a));
    return out;
  }

  /** A delegation from NS records, with addresses from the cache where known. */
  public Delegation fromNs(Name zone, List<Record> nsRecords) {
    List<InetSocketAddress> servers = new ArrayList<>();
    List<Name> unresolved = new ArrayList<>();
    List<Name> names = new ArrayList<>();
    for (Record r : nsRecords) {
      Name target = ((NSRecord) r).getTarget();
      names.add(target);
      List<InetAddress> addrs = cachedAddresses(target);
      if (addrs.isEmpty()) {
        if (!unresolved.contains(target)) unresolved.add(target);
      } else {
        for (InetAddress a : addrs) {
          InetSocketAddress sa = new InetSocketAddress(a, port());
          if (!servers.contains(sa)) servers.add(sa);
        }
      }
    }
    return new Delegation(zone, Delegation.Kind.ITERATE, servers, unresolved, names);
  }

  /** Usable cached addresses (any trust: glue is fine for reaching a server) of a host name. */
  public List<InetAddress> cachedAddresses(Name host) {
    List<InetAddress> out = new ArrayList<>();
    if (config.queriesIpv4Servers()) {
      CachedRRset a = rrsets.get(host, Type.A);
      if (a != null) out.addAll(a.addresses());
    }
    if (config.useIpv6()) {
      CachedRRset a = rrsets.get(host, Type.AAAA);
      if (a != null) out.addAll(a.addresses());
    }
    out.removeIf(a -> !allowedLearnt(a));
    return out;
  }

  private static Name closest(Map<Name, List<InetSocketAddress>> zones, Name name, Name skip) {
    Name best = null;
    for (Name z : zones.keySet()) {
      if (z.equals(skip)) continue;
      if (name.subdomain(z) && (best == null || z.labels() > best.labels())) best = z;
    }
    return best;
  }
}
