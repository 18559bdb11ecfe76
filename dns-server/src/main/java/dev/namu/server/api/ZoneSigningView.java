package dev.namu.server.api;

import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.sign.KeyRole;
import dev.namu.zones.sign.KeyState;
import dev.namu.zones.sign.SigningKey;
import dev.namu.zones.sign.ZoneSigning;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/** How a signed zone is shown by the admin API: its keys with their states, the DS for the parent, the next upkeep. */
final class ZoneSigningView {

  private ZoneSigningView() {}

  static Map<String, Object> of(ZoneSigning s, ZoneSnapshot z, Optional<Instant> due) {
    Name origin = s.origin();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("zone", origin.toString());
    m.put("signed", true);
    m.put("denial", s.nsec3() ? "nsec3" : "nsec");
    m.put("zskLifetimeSeconds", s.zskLifetime().toSeconds());
    m.put("propagationDelaySeconds", s.propagationDelay().toSeconds());
    List<Map<String, Object>> keys = new ArrayList<>();
    for (SigningKey k : s.keys()) {
      Map<String, Object> key = new LinkedHashMap<>();
      key.put("role", k.role().name());
      key.put("tag", k.tag(origin));
      key.put("algorithm", k.algorithm().mnemonic());
      key.put("state", k.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      key.put("since", k.since().toString());
      if (k.role() == KeyRole.ZSK && k.state() == KeyState.ACTIVE) {
        key.put("rollsAt", k.since().plus(s.zskLifetime()).toString());
      }
      keys.add(key);
    }
    m.put("keys", keys);
    m.put("ds", ds(s, z));
    m.put("nextUpkeep", due.map(Instant::toString).orElse(null));
    return m;
  }

  /**
   * The DS records for the parent (SHA-256, RFC 4509): one per KSK in the DNSKEY RRset or waiting
   * for its DS (a double-DS rollover publishes both, RFC 6781 4.1.2); TTL that of the DNSKEY RRset.
   */
  static List<String> ds(ZoneSigning s, ZoneSnapshot z) {
    List<String> out = new ArrayList<>();
    for (SigningKey k : s.keys()) {
      if (k.role() == KeyRole.KSK && (k.state().published() || k.state() == KeyState.DS_PENDING)) {
        out.add(k.ds(s.origin(), z.soa().getTTL()).toString());
      }
    }
    return out;
  }
}
