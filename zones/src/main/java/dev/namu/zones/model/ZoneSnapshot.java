package dev.namu.zones.model;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * One zone, immutable: built once by {@link #build}, then only read, by any number of threads,
 * without locks (ARCHITECTURE.md, "immutable snapshots").
 *
 * <p>Lookups go through a hash map from owner name (dnsjava {@link Name} equality and hash ignore
 * case, RFC 4343) to {@link Node}. Every name that exists in the zone has a node, including empty
 * non-terminals, so "does this name exist" is one map lookup.
 */
public final class ZoneSnapshot {

  private final Name origin;
  private final SOARecord soa;
  private final SOARecord negativeSoa;
  private final NodeTable nodes;
  private final List<Record> records;
  private final List<ZoneProblem> warnings;
  private final boolean hasDelegations;
  private final boolean hasDnames;
  private final boolean hasWildcards;
  private final NsecChain nsecChain;
  private final Nsec3Chain nsec3Chain;
  /** The RRSIGs over the SOA, for negative answers. */
  private final List<RRSIGRecord> negativeSoaSigs;

  ZoneSnapshot(
      Name origin,
      SOARecord soa,
      NodeTable nodes,
      List<Record> records,
      List<ZoneProblem> warnings,
      boolean hasDelegations,
      boolean hasDnames,
      boolean hasWildcards,
      NsecChain nsecChain,
      Nsec3Chain nsec3Chain) {
    this.origin = origin;
    this.soa = soa;
    this.nodes = nodes;
    this.records = records;
    this.warnings = warnings;
    this.hasDelegations = hasDelegations;
    this.hasDnames = hasDnames;
    this.hasWildcards = hasWildcards;
    this.nsecChain = nsecChain;
    this.nsec3Chain = nsec3Chain;
    // RFC 2308 section 3: the TTL of the SOA in a negative answer is the smaller of the SOA's
    // own TTL and its MINIMUM field.
    long negativeTtl = Math.min(soa.getTTL(), soa.getMinimum());
    this.negativeSoa =
        new SOARecord(
            soa.getName(),
            soa.getDClass(),
            negativeTtl,
            soa.getHost(),
            soa.getAdmin(),
            soa.getSerial(),
            soa.getRefresh(),
            soa.getRetry(),
            soa.getExpire(),
            soa.getMinimum());
    Node apex = nodes.get(origin);
    RRset soaSet = apex == null ? null : apex.rrset(org.xbill.DNS.Type.SOA);
    this.negativeSoaSigs = soaSet == null ? List.of() : List.copyOf(soaSet.sigs());
  }

  /**
   * Validates and indexes the records of a zone. Problems name no file; use {@link
   * #build(Name, Collection, RecordLocator)} when the records came from a file.
   *
   * @throws ZoneValidationException when the records do not form a valid zone (no SOA or NS at the
   *     apex, CNAME with other data, data outside the zone, missing glue below a cut, ...)
   */
  public static ZoneSnapshot build(Name origin, Collection<Record> records)
      throws ZoneValidationException {
    Objects.requireNonNull(origin, "origin");
    return build(origin, records, RecordLocator.unknown("zone " + origin));
  }

  /** As {@link #build(Name, Collection)}, with problems placed by {@code locator}. */
  public static ZoneSnapshot build(Name origin, Collection<Record> records, RecordLocator locator)
      throws ZoneValidationException {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(locator, "locator");
    return new SnapshotBuilder(origin, records, locator).build();
  }

  public Name origin() {
    return origin;
  }

  public SOARecord soa() {
    return soa;
  }

  public long serial() {
    return soa.getSerial();
  }

  /** Every record of the zone, in DNSSEC canonical order (RFC 4034 6.1, 6.3), duplicates removed. */
  public List<Record> records() {
    return records;
  }

  /**
   * Things that do not stop the zone from loading but are probably mistakes (TTLs that differ
   * within an RRset, data hidden below a cut, NS/MX/SRV pointing at a CNAME), in file order.
   */
  public List<ZoneProblem> warnings() {
    return warnings;
  }

  /** The node at exactly this name (any case), or null when the name does not exist in the zone. */
  public Node node(Name name) {
    return nodes.get(name);
  }

  /** The apex node (SOA, NS and whatever else is at the origin). */
  public Node apex() {
    return nodes.get(origin);
  }

  /** True when {@code name} is at or below the origin (whether or not it exists). */
  public boolean encloses(Name name) {
    return name.subdomain(origin);
  }

  /**
   * The SOA to put in the authority section of a negative answer: a new RRset each call, holding
   * the SOA with TTL min(SOA TTL, MINIMUM) (RFC 2308 section 3).
   */
  public RRset negativeSoa() {
    RRset set = new RRset(negativeSoa);
    for (RRSIGRecord sig : negativeSoaSigs) {
      // RRset.addRR gives the RRSIG the SOA's lower TTL: a signature's TTL is its RRset's (RFC 4034 3)
      set.addRR(sig);
    }
    return set;
  }

  /** The SOA record with its negative-answer TTL (RFC 2308 section 3). */
  public SOARecord negativeSoaRecord() {
    return negativeSoa;
  }

  /** Number of names that exist, empty non-terminals included. */
  public int nodeCount() {
    return nodes.size();
  }

  /** All nodes, unordered. */
  public Collection<Node> nodes() {
    return Collections.unmodifiableCollection(nodes.values());
  }

  /** True when the zone has at least one delegation (NS below the apex): lookups must check cuts. */
  public boolean hasDelegations() {
    return hasDelegations;
  }

  /** True when the zone has at least one DNAME. */
  public boolean hasDnames() {
    return hasDnames;
  }

  /** True when the zone has at least one wildcard owner. */
  public boolean hasWildcards() {
    return hasWildcards;
  }

  /**
   * True when the zone is signed: its SOA has an RRSIG. Only then do answers carry DNSSEC proofs
   * and DS records in referrals, as NSD and Knot decide (a DS at a cut of an unsigned zone proves
   * nothing to a validator).
   */
  public boolean isSigned() {
    return !negativeSoaSigs.isEmpty();
  }

  /** The NSEC chain (names owning NSEC records, RFC 4034 4), or null when the zone has none. */
  public NsecChain nsecChain() {
    return nsecChain;
  }

  /** The NSEC3 chain of the apex's NSEC3PARAM (RFC 5155), or null when the zone has none. */
  public Nsec3Chain nsec3Chain() {
    return nsec3Chain;
  }

  @Override
  public String toString() {
    return "ZoneSnapshot[" + origin + " serial " + serial() + ", " + records.size() + " records]";
  }
}
