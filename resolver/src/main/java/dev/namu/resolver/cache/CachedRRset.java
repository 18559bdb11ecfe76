package dev.namu.resolver.cache;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.WireParseException;

/**
 * One RRset in the cache: its records, trust and absolute expiry (ticker nanoseconds).
 *
 * <p>Replies must carry the remaining TTL (RFC 1035 section 4.1.3 / RFC 8767). dnsjava records
 * are immutable with no public TTL setter, so the records for the current remaining TTL are
 * rebuilt (from their wire form) at most once per second per RRset and shared by every reply in
 * that second: a cache hit allocates no records.
 */
public final class CachedRRset {
  private final RRset rrset;
  private final Trust trust;
  private final long expiresAtNanos;
  private final long ttlSeconds;
  private final int weight;
  /** Records carrying {@link Versioned#ttl}; replaced racily (any thread may rebuild, same result). */
  private volatile Versioned versioned;

  private record Versioned(long ttl, List<Record> records) {}

  /** The addresses of an A/AAAA RRset, made on first use (racily: any thread, same result). */
  private volatile List<java.net.InetAddress> addresses;

  public CachedRRset(RRset rrset, Trust trust, long nowNanos, long ttlSeconds) {
    this(rrset, trust, ttlSeconds, nowNanos + ttlSeconds * 1_000_000_000L, true);
  }

  /** The same data, expiring at {@code expiresAtNanos} instead (TTL not extended). */
  public CachedRRset withExpiry(long expiresAtNanos) {
    return new CachedRRset(rrset, trust, ttlSeconds, expiresAtNanos, true);
  }

  /** True when both hold the same records (TTLs aside). */
  public boolean sameData(CachedRRset other) {
    List<? extends Record> a = records(rrset);
    List<? extends Record> b = records(other.rrset);
    return a.size() == b.size() && a.containsAll(b);
  }

  private CachedRRset(RRset rrset, Trust trust, long ttlSeconds, long expiresAtNanos, boolean unused) {
    this.rrset = rrset;
    this.trust = trust;
    this.ttlSeconds = ttlSeconds;
    this.expiresAtNanos = expiresAtNanos;
    List<Record> rrs = records(rrset);
    int w = 96;
    for (int i = 0; i < rrs.size(); i++) {
      w += wireLength(rrs.get(i)) + 64;
    }
    this.weight = w;
    this.versioned = new Versioned(rrset.getTTL(), rrs);
  }

  /**
   * The uncompressed wire length of a record (owner, type, class, TTL, length, data), without
   * rendering it for the common types: the weight is computed for every RRset a reply brings.
   */
  static int wireLength(Record r) {
    int fixed = r.getName().length() + 10;
    if (r instanceof org.xbill.DNS.ARecord) return fixed + 4;
    if (r instanceof org.xbill.DNS.AAAARecord) return fixed + 16;
    if (r instanceof org.xbill.DNS.NSRecord ns) return fixed + ns.getTarget().length();
    if (r instanceof org.xbill.DNS.CNAMERecord cn) return fixed + cn.getTarget().length();
    if (r instanceof org.xbill.DNS.PTRRecord ptr) return fixed + ptr.getTarget().length();
    if (r instanceof org.xbill.DNS.MXRecord mx) return fixed + 2 + mx.getTarget().length();
    return r.toWire(Section.ANSWER).length;
  }

  /**
   * The data records, or the signatures of a set that holds nothing else: the answer to an
   * RRSIG question (RFC 4035 section 3.2.1), which dnsjava files as signatures.
   */
  private static List<Record> records(RRset rrset) {
    return rrset.size() == 0 ? List.copyOf(rrset.sigs()) : rrset.rrs(false);
  }

  public RRset rrset() { return rrset; }
  public Name name() { return rrset.getName(); }
  /** The records' type: RRSIG for a set of signatures alone (dnsjava gives the type they cover). */
  public int type() { return rrset.size() == 0 ? org.xbill.DNS.Type.RRSIG : rrset.getType(); }
  public Trust trust() { return trust; }
  public long expiresAtNanos() { return expiresAtNanos; }
  public long ttlSeconds() { return ttlSeconds; }
  /** Estimated bytes held. */
  public int weight() { return weight; }

  public boolean expired(long nowNanos) {
    return nowNanos - expiresAtNanos >= 0;
  }

  /**
   * The addresses of an A or AAAA RRset (empty for other types), made once per entry: the
   * name-server addresses of a delegation are read for every query sent to it, and dnsjava
   * makes a new address object (with the owner name as a string) on every read.
   */
  public List<java.net.InetAddress> addresses() {
    List<java.net.InetAddress> a = addresses;
    if (a == null) {
      List<java.net.InetAddress> out = new java.util.ArrayList<>();
      for (Record r : rrset.rrs(false)) {
        if (r instanceof org.xbill.DNS.ARecord v4) out.add(v4.getAddress());
        else if (r instanceof org.xbill.DNS.AAAARecord v6) out.add(v6.getAddress());
      }
      a = List.copyOf(out);
      addresses = a;
    }
    return a;
  }

  /** Whole seconds left before expiry (0 once expired). */
  public long remainingSeconds(long nowNanos) {
    long left = expiresAtNanos - nowNanos;
    return left <= 0 ? 0 : left / 1_000_000_000L;
  }

  /** The records with their TTL set to {@code ttl}. */
  public List<Record> recordsWithTtl(long ttl) {
    Versioned v = versioned;
    if (v.ttl == ttl) {
      return v.records;
    }
    List<Record> list = withTtl(records(rrset), ttl);
    versioned = new Versioned(ttl, list);
    return list;
  }

  /**
   * The signatures of the records (none for a set of signatures alone) with their TTL set to
   * {@code ttl}: an RRSIG's TTL follows the RRset it covers (RFC 4034 section 3). Made anew on
   * each call: only replies to DO queries carry them.
   */
  public List<Record> signaturesWithTtl(long ttl) {
    return rrset.size() == 0 ? List.of() : withTtl(List.copyOf(rrset.sigs()), ttl);
  }

  private List<Record> withTtl(List<? extends Record> rrs, long ttl) {
    Record[] out = new Record[rrs.size()];
    int nameLen = rrset.getName().length();
    for (int i = 0; i < out.length; i++) {
      byte[] b = rrs.get(i).toWire(Section.ANSWER);
      // Uncompressed RR: owner, type(2), class(2), TTL(4) - patch the TTL in place.
      int p = nameLen + 4;
      b[p] = (byte) (ttl >>> 24);
      b[p + 1] = (byte) (ttl >>> 16);
      b[p + 2] = (byte) (ttl >>> 8);
      b[p + 3] = (byte) ttl;
      try {
        out[i] = Record.fromWire(b, Section.ANSWER);
      } catch (WireParseException e) {
        throw new IllegalStateException("re-parsing a cached record failed", e);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("re-parsing a cached record failed", e);
      }
    }
    return List.of(out);
  }

  /** The records with their remaining TTL at {@code nowNanos}. */
  public List<Record> recordsAt(long nowNanos) {
    return recordsWithTtl(remainingSeconds(nowNanos));
  }

  @Override
  public String toString() {
    return rrset.getName() + "/" + org.xbill.DNS.Type.string(rrset.getType()) + " " + trust + " ttl " + ttlSeconds;
  }
}
