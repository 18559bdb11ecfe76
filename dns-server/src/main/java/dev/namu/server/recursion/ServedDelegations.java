package dev.namu.server.recursion;

import dev.namu.resolver.LocalDelegations;
import dev.namu.server.pipeline.AnswerLookup;
import dev.namu.zones.lookup.AuthoritativeAnswer;
import dev.namu.zones.registry.ZoneSet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The delegations in the zones namud serves, for its resolver: a name below a cut in a served
 * zone is iterated from that cut's NS and glue, read from the zone set now published.
 */
public final class ServedDelegations implements LocalDelegations {
  private final Supplier<ZoneSet> zones;
  private final AnswerLookup lookup;

  public ServedDelegations(Supplier<ZoneSet> zones, AnswerLookup lookup) {
    this.zones = zones;
    this.lookup = lookup;
  }

  @Override
  public Optional<Cut> find(Name name) {
    // the zones answer a name below a cut with a referral: the cut's NS in authority, glue after
    Optional<AuthoritativeAnswer> answer = lookup.answer(zones.get(), name.canonicalize(), Type.NS);
    if (answer.isEmpty() || !isReferral(answer.get())) {
      return Optional.empty();
    }
    RRset ns = answer.get().authority().get(0);
    List<Name> names = new ArrayList<>();
    for (Record r : ns.rrs(false)) {
      names.add(((NSRecord) r).getTarget());
    }
    Map<Name, List<InetAddress>> glue = new HashMap<>();
    for (RRset set : answer.get().additional()) {
      for (Record r : set.rrs(false)) {
        InetAddress a = r instanceof ARecord v4 ? v4.getAddress()
            : r instanceof AAAARecord v6 ? v6.getAddress() : null;
        if (a != null) {
          glue.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(a);
        }
      }
    }
    return Optional.of(new Cut(ns.getName(), names, glue));
  }

  /** A referral: not authoritative, nothing answered, the cut's NS in authority. */
  static boolean isReferral(AuthoritativeAnswer a) {
    return a.rcode() == Rcode.NOERROR
        && !a.authoritative()
        && a.answer().isEmpty()
        && !a.authority().isEmpty()
        && a.authority().get(0).getType() == Type.NS;
  }
}
