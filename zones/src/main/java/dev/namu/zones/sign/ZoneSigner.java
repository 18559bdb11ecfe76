package dev.namu.zones.sign;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Signs a zone: the DNSKEY RRset (and NSEC3PARAM) at the apex, the NSEC or NSEC3 chain, and an RRSIG
 * from each signing key for every authoritative RRset (RFC 4035 2). Signatures already in the records
 * are kept where their RRset did not change, they were made by a key that still signs, and more than
 * a quarter of their validity is left; so an edit re-signs what it touched, and the refresh only what
 * is about to expire. Stateless: one instance serves every zone.
 */
public final class ZoneSigner {

  /** How long a signature is valid: two weeks, as Knot's rrsig-lifetime. */
  public static final Duration VALIDITY = Duration.ofDays(14);
  /** Inception in the past, for validators whose clock is behind ours. */
  static final Duration CLOCK_SKEW = Duration.ofHours(1);
  /** A signature is made again when less than a quarter of its validity is left. */
  public static final Duration REFRESH = VALIDITY.dividedBy(4);

  /** True for the types the signer owns in a signed zone: a user does not add or delete them. */
  public static boolean isSignerType(int type) {
    return type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3 || type == Type.NSEC3PARAM
        || type == Type.DNSKEY;
  }

  /** The records without those the signer makes: the zone as it would be unsigned. */
  public static List<Record> unsigned(Collection<Record> records) {
    List<Record> out = new ArrayList<>(records.size());
    for (Record r : records) {
      if (!isSignerType(r.getType())) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The zone's records, signed.
   *
   * @param records the zone's records, with the signer's records of an earlier signing (kept where
   *     they still hold) or without
   * @param changed which of the zone's own RRsets changed since the signatures in {@code records}
   *     were made (their signatures are made anew); null: all of them. The signer's own RRsets
   *     (DNSKEY, NSEC3PARAM, NSEC, NSEC3) are compared with those in {@code records}.
   */
  public List<Record> sign(Name origin, Collection<Record> records, ZoneSigning signing, Changes changed,
      Instant now) {
    TreeMap<Name, Map<Integer, List<Record>>> data = new TreeMap<>();
    Map<Name, Map<Integer, List<Record>>> oldOwned = new HashMap<>();
    Map<Name, Map<Integer, List<RRSIGRecord>>> oldSigs = new HashMap<>();
    for (Record r : records) {
      int type = r.getType();
      if (type == Type.RRSIG) {
        RRSIGRecord sig = (RRSIGRecord) r;
        oldSigs.computeIfAbsent(r.getName(), k -> new HashMap<>())
            .computeIfAbsent(sig.getTypeCovered(), k -> new ArrayList<>()).add(sig);
      } else if (isSignerType(type)) {
        oldOwned.computeIfAbsent(r.getName(), k -> new HashMap<>()).computeIfAbsent(type, k -> new ArrayList<>())
            .add(r);
      } else {
        data.computeIfAbsent(r.getName(), k -> new LinkedHashMap<>()).computeIfAbsent(type, k -> new ArrayList<>())
            .add(r);
      }
    }
    Map<Integer, List<Record>> apex = data.get(origin);
    if (apex == null || !apex.containsKey(Type.SOA)) {
      throw new IllegalArgumentException("zone " + origin + " has no SOA to sign");
    }
    SOARecord soa = (SOARecord) apex.get(Type.SOA).get(0);
    List<Record> dnskeys = new ArrayList<>();
    for (SigningKey k : signing.keys()) {
      if (k.state().published()) {
        dnskeys.add(k.dnskey(origin, soa.getTTL()));
      }
    }
    apex.put(Type.DNSKEY, dnskeys);
    if (signing.nsec3()) {
      apex.put(Type.NSEC3PARAM, List.of(DenialChain.nsec3param(origin)));
    }

    // The names in the chain: all but those below a zone cut (glue, not authoritative, RFC 4035 2.2);
    // a cut itself is in it. Names below a name follow it directly in canonical order (RFC 4034 6.1).
    List<Name> chain = new ArrayList<>(data.size());
    Set<Name> cuts = new HashSet<>();
    Name cut = null;
    for (Map.Entry<Name, Map<Integer, List<Record>>> e : data.entrySet()) {
      Name name = e.getKey();
      if (cut != null && name.subdomain(cut)) {
        continue;
      }
      cut = null;
      if (!name.equals(origin) && e.getValue().containsKey(Type.NS)) {
        cut = name;
        cuts.add(name);
      }
      chain.add(name);
    }
    // RFC 9077 4: the TTL of NSEC and NSEC3 records is the SOA's negative TTL.
    long denialTtl = Math.min(soa.getTTL(), soa.getMinimum());
    Map<Name, Record> denial = signing.nsec3()
        ? DenialChain.nsec3(origin, chain, data, cuts, denialTtl)
        : DenialChain.nsec(chain, data, denialTtl);

    Signers signers = new Signers(origin, signing, now);
    // Each RRset to sign is one task; the signatures are made in parallel when there are many (a
    // zone signed in full: one ECDSA signature costs far more than everything else done per RRset).
    List<Signing> tasks = new ArrayList<>(data.size() * 2 + denial.size());
    List<Record> out = new ArrayList<>(records.size() + chain.size() * 3);
    for (Map.Entry<Name, Map<Integer, List<Record>>> e : data.entrySet()) {
      Name name = e.getKey();
      boolean atCut = cuts.contains(name);
      for (Map.Entry<Integer, List<Record>> t : e.getValue().entrySet()) {
        out.addAll(t.getValue());
      }
      if (Collections.binarySearch(chain, name) < 0) {
        continue; // glue: not signed
      }
      for (Map.Entry<Integer, List<Record>> t : e.getValue().entrySet()) {
        int type = t.getKey();
        // RFC 4035 2.2: at a delegation point only the DS (and NSEC) RRsets are signed.
        if (atCut && type != Type.DS) {
          continue;
        }
        boolean unchanged = changed != null && (isSignerType(type)
            ? sameAsBefore(oldOwned, name, type, t.getValue())
            : !changed.changed(name, type, t.getValue()));
        tasks.add(new Signing(name, type, t.getValue(), unchanged ? oldSigs.get(name) : null));
      }
    }
    for (Record d : denial.values()) {
      Name name = d.getName();
      List<Record> one = List.of(d);
      out.add(d);
      boolean unchanged = changed != null && sameAsBefore(oldOwned, name, d.getType(), one);
      tasks.add(new Signing(name, d.getType(), one, unchanged ? oldSigs.get(name) : null));
    }
    List<List<Record>> sigs = (tasks.size() >= PARALLEL_FROM ? tasks.parallelStream() : tasks.stream())
        .map(t -> signers.sign(t.name(), t.type(), t.rrset(), t.old())).toList();
    sigs.forEach(out::addAll);
    return out;
  }

  /** From this many RRsets on, signatures are made in parallel (fewer: not worth the hand-over). */
  private static final int PARALLEL_FROM = 256;

  /** One RRset to sign, with the signatures over it before (null: none to keep). */
  private record Signing(Name name, int type, List<Record> rrset, Map<Integer, List<RRSIGRecord>> old) {}

  /** Tells which RRsets of a zone changed since it was signed. */
  public interface Changes {
    /** Nothing changed: only signatures about to expire, or by keys that no longer sign, are made anew. */
    Changes NONE = (name, type, rrset) -> false;

    boolean changed(Name name, int type, List<Record> rrset);
  }

  /** True when the signer's RRset at (name, type) is the one it made before (same records, same TTL). */
  private static boolean sameAsBefore(Map<Name, Map<Integer, List<Record>>> oldOwned, Name name, int type,
      List<Record> now) {
    if (!isSignerType(type)) {
      return false;
    }
    Map<Integer, List<Record>> types = oldOwned.get(name);
    List<Record> before = types == null ? null : types.get(type);
    if (before == null || before.size() != now.size()) {
      return false;
    }
    for (Record r : now) {
      boolean found = false;
      for (Record b : before) {
        if (b.equals(r) && b.getTTL() == r.getTTL()) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** The zone's signing keys with what signing needs ready, and the validity window of new signatures. */
  static final class Signers {
    private final Name origin;
    private final Instant now;
    private final Instant inception;
    private final Instant expiration;
    private final Map<KeyRole, List<DNSKEYRecord>> dnskeys = new HashMap<>();
    private final Map<DNSKEYRecord, PrivateKey> privates = new HashMap<>();

    Signers(Name origin, ZoneSigning signing, Instant now) {
      this.origin = origin;
      this.now = now;
      this.inception = now.minus(CLOCK_SKEW);
      this.expiration = now.plus(VALIDITY);
      for (KeyRole role : KeyRole.values()) {
        List<DNSKEYRecord> list = new ArrayList<>();
        for (SigningKey k : signing.signers(role)) {
          DNSKEYRecord d = k.dnskey(origin, 0);
          list.add(d);
          privates.put(d, k.privateKeyObject());
        }
        dnskeys.put(role, list);
      }
      if (dnskeys.get(KeyRole.KSK).isEmpty() || dnskeys.get(KeyRole.ZSK).isEmpty()) {
        throw new IllegalArgumentException("zone " + origin + " has no active KSK and ZSK to sign with");
      }
    }

    /** One RRSIG per signing key of the RRset's role: kept from {@code old} where it holds, else made. */
    List<Record> sign(Name name, int type, List<Record> rrset, Map<Integer, List<RRSIGRecord>> old) {
      List<RRSIGRecord> before = old == null ? List.of() : old.getOrDefault(type, List.of());
      KeyRole role = type == Type.DNSKEY ? KeyRole.KSK : KeyRole.ZSK;
      List<Record> sigs = new ArrayList<>(2);
      RRset set = null;
      for (DNSKEYRecord key : dnskeys.get(role)) {
        RRSIGRecord kept = null;
        for (RRSIGRecord s : before) {
          if (s.getFootprint() == key.getFootprint() && s.getAlgorithm() == key.getAlgorithm()
              && s.getTTL() == rrset.get(0).getTTL() && !s.getTimeSigned().isAfter(now)
              && Duration.between(now, s.getExpire()).compareTo(REFRESH) > 0) {
            kept = s;
            break;
          }
        }
        if (kept != null) {
          sigs.add(kept);
          continue;
        }
        if (set == null) {
          set = new RRset();
          for (Record r : rrset) {
            set.addRR(r);
          }
        }
        try {
          sigs.add(DNSSEC.sign(set, key, privates.get(key), inception, expiration));
        } catch (DNSSEC.DNSSECException e) {
          throw new IllegalStateException("cannot sign " + name + " " + Type.string(type) + ": " + e.getMessage(), e);
        }
      }
      return sigs;
    }
  }

}
