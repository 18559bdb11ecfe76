package dev.namu.zones.sign;

import dev.namu.zones.model.CanonicalOrder;
import dev.namu.zones.model.Node;
import dev.namu.zones.model.ZoneSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Signs an edit of a few names of a signed zone without going over the zone: the RRsets the edit
 * changed are signed anew (the others at those names keep their signatures), and of the NSEC or
 * NSEC3 chain only the records that change: those of the names the edit touched and of the name
 * before each one that joined or left the chain (its next name changed, RFC 4034 4.1.1, RFC 5155
 * 3.1.7). The result equals what {@link ZoneSigner#sign} gives for the whole zone at those names.
 *
 * <p>Only zones without delegations, wildcards or DNAMEs, and edits that add none: the chain is then
 * every name with data (and, for NSEC3, every empty non-terminal above one, RFC 5155 7.1). Anything
 * else is left to a full signing.
 */
public final class EditSigner {

  /**
   * The records at every name whose records change: the names the edit touched and the chain's
   * owners made anew (an empty list: no records left there), or empty when the edit needs the whole
   * zone signed.
   *
   * @param before the zone before the edit, signed with {@code signing}
   * @param touched each name the edit touched, with its records after the edit (any signer records
   *     among them are ignored); the apex among them, as every edit moves the SOA serial
   * @param changed which of the touched names' RRsets changed (their signatures are made anew)
   */
  public Optional<Map<Name, List<Record>>> sign(ZoneSnapshot before, Map<Name, List<Record>> touched,
      ZoneSigning signing, ZoneSigner.Changes changed, Instant now) {
    Name origin = before.origin();
    boolean nsec3 = signing.nsec3();
    List<Name> owners = nsec3
        ? (before.nsec3Chain() == null ? null : before.nsec3Chain().owners())
        : (before.nsecChain() == null ? null : before.nsecChain().owners());
    if (owners == null || before.hasDelegations() || before.hasWildcards() || before.hasDnames()
        || !touched.containsKey(origin)) {
      return Optional.empty();
    }
    // each touched name's own records (the signer's made here), by type
    Map<Name, Map<Integer, List<Record>>> own = new HashMap<>();
    for (Map.Entry<Name, List<Record>> e : touched.entrySet()) {
      Name name = e.getKey();
      if (nsec3 && Collections.binarySearch(owners, name) >= 0) {
        return Optional.empty(); // data at a hashed owner name: a full signing sorts it out
      }
      Map<Integer, List<Record>> types = new LinkedHashMap<>();
      for (Record r : ZoneSigner.unsigned(e.getValue())) {
        int type = r.getType();
        if ((type == Type.NS && !name.equals(origin)) || type == Type.DS || type == Type.DNAME || name.isWild()) {
          return Optional.empty();
        }
        types.computeIfAbsent(type, k -> new ArrayList<>()).add(r);
      }
      own.put(name, types);
    }
    List<Record> apexSoa = own.get(origin).get(Type.SOA);
    if (apexSoa == null || denialTtl((SOARecord) apexSoa.get(0)) != denialTtl(before.soa())) {
      return Optional.empty(); // every NSEC/NSEC3 TTL changes (RFC 9077 4): the zone is signed again
    }
    long ttl = denialTtl(before.soa());

    // The chain's members among the names the edit may move in or out of it, by owner: for NSEC the
    // touched names; for NSEC3 also their ancestors, which may become or stop being empty
    // non-terminals. The data types of each member after the edit (none for an empty non-terminal).
    Map<Name, Set<Integer>> typesAfter = new HashMap<>();
    TreeSet<Name> joined = new TreeSet<>();
    TreeSet<Name> left = new TreeSet<>();
    List<Record> all = before.records();
    for (Name name : candidates(touched.keySet(), origin, nsec3)) {
      Map<Integer, List<Record>> data = own.get(name);
      Node node = before.node(name);
      boolean wasIn = nsec3 ? node != null : node != null && node.has(Type.NSEC);
      boolean hasData = data != null ? !data.isEmpty() : node != null && !node.isEmptyNonTerminal();
      boolean isIn = hasData || (nsec3 && hasDataBelow(name, all, own));
      Name owner = nsec3 ? DenialChain.hashedOwner(name, origin) : name;
      if (isIn) {
        Set<Integer> types = new TreeSet<>(data != null ? data.keySet() : node == null ? Set.of() : types(node));
        if (name.equals(origin)) {
          types.add(Type.DNSKEY); // the signer's RRsets at the apex (ZoneSigner#sign)
          if (nsec3) {
            types.add(Type.NSEC3PARAM);
          }
        }
        typesAfter.put(owner, types);
        if (!wasIn) {
          joined.add(owner);
        }
      } else if (wasIn) {
        left.add(owner);
      }
    }
    // the chain after the edit, in canonical order (for NSEC3 the hash order, RFC 4648 7)
    List<Name> chain = new ArrayList<>(owners.size() + joined.size());
    for (Name o : owners) {
      if (!left.contains(o) && !joined.contains(o)) {
        chain.add(o);
      }
    }
    chain.addAll(joined);
    chain.sort(null);
    if (chain.isEmpty()) {
      return Optional.empty();
    }
    // the chain records made anew: the members' among the candidates, and the one before each
    // owner that joined or left
    TreeSet<Name> remade = new TreeSet<>(typesAfter.keySet());
    for (Name o : joined) {
      remade.add(before(chain, o));
    }
    for (Name o : left) {
      remade.add(before(chain, o));
    }

    ZoneSigner.Signers signers = new ZoneSigner.Signers(origin, signing, now);
    Map<Name, List<Record>> out = new LinkedHashMap<>();
    Map<Name, Record> denial = new HashMap<>();
    for (Name o : remade) {
      Name next = chain.get((Collections.binarySearch(chain, o) + 1) % chain.size());
      Set<Integer> types = typesAfter.get(o);
      if (types == null) {
        types = denialTypes(run(all, o), nsec3); // a member not touched: its types are as they were
      }
      denial.put(o, nsec3 ? DenialChain.nsec3(o, next, types, ttl) : DenialChain.nsec(o, next, types, ttl));
    }
    // the touched names: their own RRsets (and the apex's DNSKEY and NSEC3PARAM) with signatures
    for (Map.Entry<Name, Map<Integer, List<Record>>> e : own.entrySet()) {
      Name name = e.getKey();
      List<Record> old = run(all, name);
      Map<Integer, List<RRSIGRecord>> oldSigs = signatures(old);
      Map<Integer, List<Record>> types = new LinkedHashMap<>(e.getValue());
      if (name.equals(origin)) {
        for (Record r : old) {
          if (r.getType() == Type.DNSKEY || r.getType() == Type.NSEC3PARAM) {
            types.computeIfAbsent(r.getType(), k -> new ArrayList<>()).add(r);
          }
        }
      }
      List<Record> records = new ArrayList<>();
      for (Map.Entry<Integer, List<Record>> t : types.entrySet()) {
        int type = t.getKey();
        records.addAll(t.getValue());
        boolean same = ZoneSigner.isSignerType(type) || !changed.changed(name, type, t.getValue());
        records.addAll(signers.sign(name, type, t.getValue(), same ? oldSigs : null));
      }
      out.put(name, records);
    }
    // the chain's records made anew, each at its owner: beside the name's data for NSEC, alone at
    // the hashed owner for NSEC3
    for (Name o : remade) {
      Record d = denial.get(o);
      List<Record> old = run(all, o);
      List<Record> records = out.get(o);
      if (records == null) {
        records = new ArrayList<>();
        for (Record r : old) {
          if (!isDenialOrItsSignature(r)) {
            records.add(r);
          }
        }
        out.put(o, records);
      }
      Record was = first(old, d.getType());
      boolean same = was != null && was.equals(d) && was.getTTL() == d.getTTL();
      records.add(d);
      records.addAll(signers.sign(o, d.getType(), List.of(d), same ? signatures(old) : null));
    }
    if (nsec3) {
      for (Name o : left) {
        out.putIfAbsent(o, List.of()); // the hashed owner goes with its NSEC3
      }
    }
    return Optional.of(out);
  }

  /** RFC 9077 4: the TTL of NSEC and NSEC3 records is the SOA's negative TTL. */
  private static long denialTtl(SOARecord soa) {
    return Math.min(soa.getTTL(), soa.getMinimum());
  }

  /** The names whose place in the chain an edit of {@code touched} may change. */
  private static Set<Name> candidates(Set<Name> touched, Name origin, boolean nsec3) {
    Set<Name> out = new TreeSet<>(touched);
    if (nsec3) {
      for (Name t : touched) {
        for (Name up = t; up.labels() > origin.labels(); ) {
          up = new Name(up, 1);
          if (!out.add(up)) {
            break;
          }
        }
      }
    }
    return out;
  }

  /** True when a name below {@code name} has data after the edit (names below follow it, RFC 4034 6.1). */
  private static boolean hasDataBelow(Name name, List<Record> all, Map<Name, Map<Integer, List<Record>>> own) {
    for (Map.Entry<Name, Map<Integer, List<Record>>> e : own.entrySet()) {
      if (!e.getValue().isEmpty() && e.getKey().subdomain(name) && !e.getKey().equals(name)) {
        return true;
      }
    }
    for (int i = CanonicalOrder.firstAtOrAfter(all, name, 0); i < all.size(); i++) {
      Name owner = all.get(i).getName();
      if (owner.equals(name) || own.containsKey(owner)) {
        continue; // the name itself, or a touched name (judged above)
      }
      // the first other name below has data: every name of the zone's tree below the apex does
      return owner.subdomain(name);
    }
    return false;
  }

  /** The chain owner before {@code owner} in {@code chain}, the last before the first. */
  private static Name before(List<Name> chain, Name owner) {
    int i = Collections.binarySearch(chain, owner);
    int at = i >= 0 ? i : -i - 1;
    return chain.get((at - 1 + chain.size()) % chain.size());
  }

  /** The records of the snapshot at {@code owner}: a run of its canonically ordered record list. */
  private static List<Record> run(List<Record> all, Name owner) {
    int from = CanonicalOrder.firstAtOrAfter(all, owner, 0);
    int to = from;
    while (to < all.size() && all.get(to).getName().equals(owner)) {
      to++;
    }
    return all.subList(from, to);
  }

  private static Map<Integer, List<RRSIGRecord>> signatures(List<Record> records) {
    Map<Integer, List<RRSIGRecord>> out = new HashMap<>();
    for (Record r : records) {
      if (r instanceof RRSIGRecord sig) {
        out.computeIfAbsent(sig.getTypeCovered(), k -> new ArrayList<>()).add(sig);
      }
    }
    return out;
  }

  private static Set<Integer> types(Node node) {
    Set<Integer> out = new TreeSet<>();
    for (Record r : node.records()) {
      if (!ZoneSigner.isSignerType(r.getType()) || r.getType() == Type.DNSKEY || r.getType() == Type.NSEC3PARAM) {
        out.add(r.getType());
      }
    }
    return out;
  }

  /** The data types an untouched owner's NSEC or NSEC3 lists, without those the signer adds. */
  private static Set<Integer> denialTypes(List<Record> records, boolean nsec3) {
    Record d = first(records, nsec3 ? Type.NSEC3 : Type.NSEC);
    Set<Integer> out = new TreeSet<>();
    for (int t : d instanceof NSECRecord n ? n.getTypes() : ((NSEC3Record) d).getTypes()) {
      if (t != Type.RRSIG && t != Type.NSEC) {
        out.add(t);
      }
    }
    return out;
  }

  private static boolean isDenialOrItsSignature(Record r) {
    int type = r instanceof RRSIGRecord sig ? sig.getTypeCovered() : r.getType();
    return type == Type.NSEC || type == Type.NSEC3;
  }

  private static Record first(List<Record> records, int type) {
    for (Record r : records) {
      if (r.getType() == type) {
        return r;
      }
    }
    return null;
  }
}
