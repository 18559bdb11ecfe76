package dev.namu.server.explain;

import dev.namu.resolver.UpstreamTrace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** A resolution's trace as the explanation's {@code recursion} object. */
final class TraceJson {
  private TraceJson() {}

  /**
   * How the answer was found: {@code via} the cache (with each cached RRset, its TTL left and its
   * RFC 2181 trust), the forwarders or iteration (with each upstream query), and whether the
   * question joined a resolution already in flight ({@code shared}).
   */
  static Map<String, Object> of(UpstreamTrace trace) {
    Map<String, Object> r = new LinkedHashMap<>();
    List<UpstreamTrace.CachedSet> cached = trace.cached();
    List<UpstreamTrace.Exchange> sent = trace.exchanges();
    boolean forwarded = sent.stream().anyMatch(UpstreamTrace.Exchange::forwarded);
    r.put("via", cached != null ? "cache" : forwarded ? "forwarders" : "iteration");
    r.put("cached", cached != null);
    r.put("shared", trace.shared());
    if (cached != null) {
      List<Map<String, Object>> sets = new ArrayList<>();
      for (UpstreamTrace.CachedSet s : cached) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name().toString());
        m.put("type", Type.string(s.type()));
        m.put("ttl", s.ttlLeft());
        m.put("trust", s.trust());
        sets.add(m);
      }
      r.put("cache", sets);
    }
    r.put("upstreamQueries", trace.total());
    List<Map<String, Object>> upstream = new ArrayList<>();
    for (UpstreamTrace.Exchange x : sent) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("server", x.server().getAddress().getHostAddress());
      m.put("port", x.server().getPort());
      m.put("zone", x.zone().toString());
      m.put("forwarded", x.forwarded());
      m.put("qname", x.qname().toString());
      m.put("qtype", Type.string(x.qtype()));
      m.put("rttMs", x.rttMillis());
      if (x.rcode() >= 0) {
        m.put("rcode", Rcode.string(x.rcode()));
      } else {
        m.put("failure", x.failure());
      }
      upstream.add(m);
    }
    r.put("upstream", upstream);
    return r;
  }
}
