package dev.namu.server.explain;

import dev.namu.resolver.Answer;
import dev.namu.resolver.UpstreamTrace;
import dev.namu.server.intake.Request;
import dev.namu.server.intake.RequestDecoder;
import dev.namu.server.intake.Transport;
import dev.namu.server.pipeline.Outcome;
import dev.namu.server.pipeline.RecursionHandler;
import dev.namu.server.pipeline.ZoneRouter;
import dev.namu.server.views.ServedViews;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.registry.ZoneSet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * How namud would answer one question for one client, and why. The question goes through the
 * server's own intake ({@link RequestDecoder}) and {@link ZoneRouter}, over the zone set served
 * now, so the decision is the pipeline's, not a copy of it: an authoritative answer is the reply
 * the client would get, and a name for recursion is really resolved (with its upstream queries
 * traced) or answered from the cache, as the client's query would be. Only the reading of the
 * outcome (which zone, which delegation, why REFUSED) is this class's own.
 */
public final class Explainer {
  /** Longest wait for a resolution; the resolver gives up on its own after 10 s (its limit). */
  static final Duration RESOLUTION_WAIT = Duration.ofSeconds(20);

  private final ZoneRegistry registry;
  private final ZoneRouter router;
  private final RecursionHandler recursion;
  private final RequestDecoder decoder = new RequestDecoder();
  /** The views of split horizon, or null when there are none. */
  private final ServedViews views;

  /**
   * @param router a router over the same lookup, recursion and unloaded zones as the pipeline's
   * @param recursion the pipeline's recursion, or null when namud does not recurse
   */
  public Explainer(ZoneRegistry registry, ZoneRouter router, RecursionHandler recursion) {
    this(registry, router, recursion, null);
  }

  /** As above; a client in one of {@code views} (null: none) is answered from its view's zones. */
  public Explainer(ZoneRegistry registry, ZoneRouter router, RecursionHandler recursion, ServedViews views) {
    this.views = views;
    this.registry = registry;
    this.router = router;
    this.recursion = recursion;
  }

  /**
   * The explanation of {@code name}/{@code type} asked by {@code client} with RD set, as a JSON
   * object.
   *
   * @param stored true for the zones served from the zone store (not from a file)
   * @param zonesDir the directory of the zone files served now (empty: the built-in zones)
   * @throws IllegalArgumentException with a one-line reason for a bad name, type or client
   */
  public Map<String, Object> explain(String name, String type, String client, Predicate<Name> stored,
      Optional<Path> zonesDir) {
    Name qname = name(name);
    int qtype = type(type);
    InetAddress peer = client(client);
    Message query = Message.newQuery(Record.newRecord(qname, qtype, DClass.IN));
    // the client's view, as the pipeline picks it for an unsigned query
    int view = views == null ? -1 : views.viewOf(peer);
    ZoneSet zones = view < 0 ? registry.current() : views.zones(view);
    RequestDecoder.Decoding decoding =
        decoder.decode(query.toWire(), Transport.UDP, new InetSocketAddress(peer, 0), zones);
    if (!(decoding instanceof RequestDecoder.Decoded decoded)) {
      throw new IllegalArgumentException("namud cannot decode the question " + qname + " " + Type.string(qtype));
    }
    Request request = decoded.request();
    UpstreamTrace trace = new UpstreamTrace();
    Outcome outcome = router.route(request, trace);

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", qname.toString());
    out.put("type", Type.string(qtype));
    out.put("client", peer.getHostAddress());
    if (view >= 0) {
      out.put("view", views.name(view));
    }
    ZoneSnapshot zone = zoneOf(zones, qname, qtype);
    if (zone != null) {
      out.put("zone", zone(zone, stored, zonesDir));
    }
    ZoneSet local = zone == null && recursion != null && outcome instanceof Outcome.Answered
        ? recursion.locallyServed(qname) : null;
    if (local != null) {
      locallyServed(out, ((Outcome.Answered) outcome).reply(), request, local.findZone(qname));
    } else if (outcome instanceof Outcome.Answered answered) {
      authoritative(out, answered.reply(), request);
    } else if (outcome instanceof Outcome.Resolving resolving) {
      resolved(out, resolving, trace, zone, qname);
    } else if (outcome instanceof Outcome.RcodeOnly only) {
      rcodeOnly(out, only.rcode(), request, zone);
    } else {
      throw new IllegalStateException("unexpected outcome " + outcome.getClass().getSimpleName());
    }
    return out;
  }

  private static Name name(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a name is required");
    }
    try {
      return Name.fromString(text, Name.root).canonicalize();
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad name '" + text + "': " + e.getMessage());
    }
  }

  private static int type(String text) {
    if (text == null || text.isEmpty()) {
      return Type.A;
    }
    int t = Type.value(text);
    if (t < 0) {
      throw new IllegalArgumentException("bad type '" + text + "': not a DNS record type");
    }
    if (t == Type.AXFR || t == Type.IXFR || t == Type.OPT || t == Type.TSIG || t == Type.TKEY) {
      throw new IllegalArgumentException("bad type '" + text + "': not a question namud answers from its zones or cache");
    }
    return t;
  }

  private static InetAddress client(String text) {
    if (text == null || text.isEmpty()) {
      return InetAddress.getLoopbackAddress();
    }
    try {
      // a literal address only: a host name here would be a DNS lookup of its own
      return Address.getByAddress(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad client '" + text + "': not an IPv4 or IPv6 address");
    }
  }

  /** The zone the lookup answers from: the closest enclosing one, the parent for DS (RFC 4035 3.1.4.1). */
  private static ZoneSnapshot zoneOf(ZoneSet zones, Name qname, int qtype) {
    ZoneSnapshot z = zones.findZone(qname);
    if (z != null && qtype == Type.DS && z.origin().equals(qname) && qname.labels() > 1) {
      return zones.findZone(new Name(qname, 1));
    }
    return z;
  }

  private static Map<String, Object> zone(ZoneSnapshot z, Predicate<Name> stored, Optional<Path> zonesDir) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", z.origin().toString());
    if (stored.test(z.origin())) {
      m.put("source", "store");
    } else if (zonesDir.isPresent()) {
      m.put("source", "file");
      String file = z.origin().equals(Name.root) ? "." : z.origin().toString(true);
      m.put("file", zonesDir.get().resolve(file + ".zone").toAbsolutePath().toString());
    } else {
      m.put("source", "built-in");
    }
    m.put("serial", z.serial());
    return m;
  }

  /** A reply from the zones: an answer, a CNAME chain, a referral, or a negative answer. */
  private void authoritative(Map<String, Object> out, Message reply, Request request) {
    int rcode = reply.getRcode();
    List<RRset> answer = sets(reply, Section.ANSWER);
    List<RRset> authority = sets(reply, Section.AUTHORITY);
    boolean referral = !reply.getHeader().getFlag(Flags.AA) && rcode == Rcode.NOERROR
        && !authority.isEmpty() && authority.get(0).getType() == Type.NS;
    out.put("decision", referral ? "referral" : "authoritative");
    String lookup;
    if (referral) {
      lookup = "referral";
      out.put("delegation", delegation(authority.get(0), reply.getSection(Section.ADDITIONAL)));
    } else if (rcode == Rcode.NXDOMAIN) {
      lookup = "nxdomain";
    } else if (rcode == Rcode.NOERROR && answer.isEmpty()) {
      lookup = "nodata";
    } else if (!answer.isEmpty() && answer.get(0).getType() == Type.CNAME
        && request.question().getType() != Type.CNAME) {
      lookup = "cname";
    } else {
      lookup = "answer";
    }
    out.put("lookup", lookup);
    out.put("reason", switch (lookup) {
      case "referral" -> recursionReason(request, "the name is below the delegation "
          + authority.get(0).getName() + ": the reply is a referral");
      case "nxdomain" -> "the name does not exist in the zone (NXDOMAIN, with the zone's SOA)";
      case "nodata" -> "the name exists in the zone, with no record of this type (NODATA, with the zone's SOA)";
      case "cname" -> "the name is an alias: the zone's CNAME chain is followed";
      default -> "the zone holds the records";
    });
    out.put("rcode", Rcode.string(rcode));
    out.put("answer", records(answer));
    out.put("authority", records(authority));
    if (referral) {
      out.put("additional", records(sets(reply, Section.ADDITIONAL)));
    }
  }

  /** A name in a locally served empty zone: answered here, never asked upstream. */
  private void locallyServed(Map<String, Object> out, Message reply, Request request, ZoneSnapshot z) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", z.origin().toString());
    m.put("source", "built-in empty zone");
    m.put("serial", z.serial());
    out.put("zone", m);
    authoritative(out, reply, request);
    out.put("decision", "locally served (RFC 6303)");
    out.put("reason", "the name is in " + z.origin() + ", a zone that only means something on the local"
        + " network: namud answers it as an empty zone and never asks upstream ("
        + Rcode.string(reply.getRcode()) + ", with the zone's SOA)");
  }

  /** Why a client got a referral rather than the name resolved. */
  private String recursionReason(Request request, String what) {
    if (recursion == null) {
      return what + " (recursion is off)";
    }
    if (!recursion.accepts(request)) {
      return what + " (client " + request.peer().getAddress().getHostAddress() + " may not recurse)";
    }
    return what;
  }

  /** A delegation: its point, NS names and glue records (as "NAME TYPE ADDRESS"). */
  private static Map<String, Object> delegation(RRset ns, List<Record> glue) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("zone", ns.getName().toString());
    List<String> servers = new ArrayList<>();
    for (Record r : ns.rrs(false)) {
      servers.add(((NSRecord) r).getTarget().toString());
    }
    m.put("ns", servers);
    List<String> addresses = new ArrayList<>();
    for (Record r : glue) {
      if (r.getType() == Type.A || r.getType() == Type.AAAA) {
        addresses.add(r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString());
      }
    }
    m.put("glue", addresses);
    return m;
  }

  /** The zone's addresses of the delegation's name servers (the glue a referral carries). */
  private static List<Record> glue(ZoneSnapshot z, RRset ns) {
    List<Record> out = new ArrayList<>();
    for (Record r : ns.rrs(false)) {
      Name target = ((NSRecord) r).getTarget();
      if (z.encloses(target) && z.node(target) != null) {
        for (int type : new int[] {Type.A, Type.AAAA}) {
          RRset set = z.node(target).rrset(type);
          if (set != null) {
            out.addAll(set.rrs(false));
          }
        }
      }
    }
    return out;
  }

  /** A name for recursion: resolved now, or answered from the cache, as the client's query is. */
  private void resolved(Map<String, Object> out, Outcome.Resolving resolving, UpstreamTrace trace,
      ZoneSnapshot zone, Name qname) {
    out.put("decision", "recursion");
    Answer answer = await(resolving);
    String why;
    if (zone == null) {
      why = "the name is in no served zone; the client may recurse";
    } else {
      why = "the name is an alias in zone " + zone.origin() + " whose CNAME chain leaves the served zones;"
          + " the client may recurse, so the chain's target is resolved";
      ZoneSnapshot z = zone;
      Name cut = cutAbove(z, qname);
      if (cut != null) {
        why = "the name is below the delegation " + cut + " in zone " + z.origin()
            + "; the client may recurse, so it is resolved from the delegation's servers";
        out.put("delegation", delegation(z.node(cut).rrset(Type.NS), glue(z, z.node(cut).rrset(Type.NS))));
      }
    }
    out.put("reason", why);
    out.put("recursion", TraceJson.of(trace));
    out.put("rcode", Rcode.string(answer.rcode()));
    if (answer.extendedError() != null) {
      out.put("extendedError", answer.extendedError().text());
    }
    // the DNSSEC status (RFC 4035 4.3); for bogus data the extended error is the validator's reason
    out.put("security", answer.security().name().toLowerCase(java.util.Locale.ROOT));
    if (answer.security() == Answer.Security.BOGUS && answer.extendedError() != null) {
      out.put("bogus", org.xbill.DNS.ExtendedErrorCodeOption.text(answer.extendedError().code()) + ": " + answer.extendedError().text());
    }
    out.put("answer", records(answer.answer()));
    out.put("authority", records(answer.authority()));
  }

  /** The delegation point at or above {@code qname} in {@code z}, below its apex; null when none. */
  private static Name cutAbove(ZoneSnapshot z, Name qname) {
    Name cut = null;
    for (int labels = z.origin().labels() + 1; labels <= qname.labels(); labels++) {
      Name n = new Name(qname, qname.labels() - labels);
      if (z.node(n) != null && z.node(n).rrset(Type.NS) != null) {
        cut = n;
        break;
      }
    }
    return cut;
  }

  private static Answer await(Outcome.Resolving resolving) {
    try {
      return resolving.answer().toCompletableFuture().get(RESOLUTION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer from the resolver within " + RESOLUTION_WAIT.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IllegalStateException("the resolution failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resolving");
    }
  }

  /** REFUSED or SERVFAIL without looking anything up. */
  private void rcodeOnly(Map<String, Object> out, int rcode, Request request, ZoneSnapshot zone) {
    out.put("decision", rcode == Rcode.REFUSED ? "refused" : Rcode.string(rcode).toLowerCase(java.util.Locale.ROOT));
    String why;
    if (rcode == Rcode.SERVFAIL) {
      why = "the name is in a stored zone not loaded yet";
    } else if (recursion == null) {
      why = "the name is in no served zone, and recursion is off";
    } else if (!recursion.accepts(request)) {
      why = "the name is in no served zone, and client " + request.peer().getAddress().getHostAddress()
          + " may not recurse";
    } else {
      why = "namud refuses the question";
    }
    out.put("reason", why);
    out.put("rcode", Rcode.string(rcode));
    out.put("answer", List.of());
  }

  private static List<RRset> sets(Message m, int section) {
    return m.getSectionRRsets(section);
  }

  /** Records as {name, type, ttl, data}. */
  private static List<Map<String, Object>> records(List<RRset> sets) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RRset s : sets) {
      for (Record r : s.rrs(false)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.getName().toString());
        m.put("type", Type.string(r.getType()));
        m.put("ttl", r.getTTL());
        m.put("data", r.rdataToString());
        out.add(m);
      }
    }
    return out;
  }
}
