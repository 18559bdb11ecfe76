package dev.namu.server.recursion;

import dev.namu.resolver.CacheDump;
import dev.namu.resolver.CacheEntry;
import dev.namu.resolver.InfraEntry;
import dev.namu.resolver.Resolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The resolver's cache view as the admin API's JSON ({@code GET /api/v1/cache/dump} and
 * {@code /cache/infra}): plain maps and lists, names and types as text.
 */
final class CacheListing {
  private CacheListing() {}

  /** The entries of {@code name}, or the first {@code limit} of the whole cache. */
  static Map<String, Object> dump(Resolver resolver, Optional<Name> name, int limit) {
    CacheDump dump = name.isPresent() ? resolver.cacheEntries(name.get()) : resolver.cacheEntries(limit);
    Map<String, Object> out = new LinkedHashMap<>();
    name.ifPresent(n -> out.put("name", n.toString()));
    out.put("total", dump.total());
    out.put("shown", dump.entries().size());
    out.put("omitted", dump.omitted());
    List<Map<String, Object>> entries = new ArrayList<>(dump.entries().size());
    for (CacheEntry e : dump.entries()) {
      entries.add(entry(e));
    }
    out.put("entries", entries);
    return out;
  }

  private static Map<String, Object> entry(CacheEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", e.name().toString());
    // An NXDOMAIN holds for every type of the name: it has none of its own.
    m.put("type", e.type() == CacheEntry.ANY_TYPE ? null : Type.string(e.type()));
    m.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
    m.put("trust", e.trust() == null ? null : e.trust().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    m.put("ttl", e.ttlLeft());
    m.put("originalTtl", e.ttl());
    m.put("stale", e.stale());
    m.put("rcode", Rcode.string(e.rcode()));
    m.put("zone", e.zone() == null ? null : e.zone().toString());
    List<String> records = new ArrayList<>(e.records().size());
    for (Record r : e.records()) {
      // The entry's own name and type are not repeated; records of a chain or an SOA carry theirs.
      records.add(r.getName().equals(e.name()) && r.getType() == e.type() ? r.rdataToString()
          : r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString());
    }
    m.put("records", records);
    return m;
  }

  /** The infrastructure cache, one object per server address. */
  static Map<String, Object> infra(Resolver resolver) {
    List<Map<String, Object>> servers = new ArrayList<>();
    for (InfraEntry s : resolver.infra()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", s.address().getHostAddress());
      m.put("rttMillis", s.rttMillis());
      m.put("timeouts", s.timeouts());
      m.put("edns", !s.ednsFailed());
      m.put("cookies", s.cookies());
      m.put("backedOffMillis", s.backedOffMillis());
      m.put("lameZones", s.lameZones().stream().map(Name::toString).toList());
      m.put("caseBlind", s.caseBlind());
      m.put("ttl", s.ttlLeftSeconds());
      servers.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", servers.size());
    out.put("servers", servers);
    return out;
  }
}
