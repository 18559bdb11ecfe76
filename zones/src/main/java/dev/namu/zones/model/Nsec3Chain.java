package dev.namu.zones.model;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * A zone's NSEC3 records (RFC 5155) sorted by the hash in their owner names, built once per
 * snapshot: the record that matches a name's hash, or covers it, is a binary search away.
 *
 * <p>NSEC3 owners are hashed names: they are not names of the zone's tree, so lookups never find
 * them there (RFC 5155 7.2.9: a query for one is answered as for any name that does not exist).
 * Only the records made with the zone's NSEC3PARAM (hash, iterations, salt; RFC 5155 7.2) are
 * kept. Immutable but for a memo of the proofs at names of the zone (see {@link #encloserProof});
 * the RRsets handed out are copies, but for those of the memo, which every reply shares.
 */
public final class Nsec3Chain {

  private static final Name WILD = Name.fromConstantString("*");

  /**
   * The part of an NXDOMAIN (or wildcard NODATA) proof that depends only on the closest encloser
   * (RFC 5155 7.2.1 and 7.2.2): the NSEC3 matching it, and the NSEC3 covering (for NXDOMAIN) or
   * matching (for wildcard NODATA, RFC 5155 7.2.5) the wildcard at it. Either may be null (no
   * such NSEC3; a wildcard name too long to exist). The chain's own RRsets, shared by every reply
   * that uses them: read only.
   */
  public record EncloserProof(RRset encloser, RRset wildcardCovering, RRset wildcardMatching) {}

  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, false);

  private record Link(byte[] hash, RRset rrset) {}

  private static final Comparator<Link> BY_HASH = (a, b) -> Arrays.compareUnsigned(a.hash(), b.hash());

  private final NSEC3PARAMRecord param;
  private final Link[] links;
  /**
   * Proofs by name of the zone, made on first use: the queries for names that do not exist share
   * a handful of closest enclosers (most often the apex), so this saves two of an NXDOMAIN proof's
   * three SHA-1 hashes and binary searches, and a NODATA its one. Keys are names of the zone only
   * (never a name from a query that does not exist), so it is bounded by the zone's size.
   */
  private final ConcurrentHashMap<Name, EncloserProof> proofs = new ConcurrentHashMap<>();

  private Nsec3Chain(NSEC3PARAMRecord param, Link[] links) {
    this.param = param;
    this.links = links;
  }

  /**
   * The chain of the NSEC3 records (and the RRSIGs over them) of {@code owners}, one array per
   * hashed owner name, that use {@code param}'s hash, iterations and salt, or null when there are
   * none or the hash algorithm is unknown (then no proof can be made and none is sent).
   */
  static Nsec3Chain of(NSEC3PARAMRecord param, List<Record[]> owners) {
    if (param.getHashAlgorithm() != NSEC3Record.SHA1_DIGEST_ID) {
      return null;
    }
    return of(param, new ArrayList<>(owners.size()), owners);
  }

  /**
   * This chain after an edit of the hashed owners in {@code owners}: each one's link replaced by the
   * one its records make now (none when it has none left), or null when no link is left. The same
   * chain {@link #of} makes from all owners after the edit.
   */
  Nsec3Chain patched(Map<Name, Record[]> owners) {
    Set<ByteBuffer> replaced = new HashSet<>(owners.size() * 2);
    for (Name owner : owners.keySet()) {
      byte[] hash = BASE32HEX.fromString(owner.getLabelString(0));
      if (hash != null) {
        replaced.add(ByteBuffer.wrap(hash));
      }
    }
    List<Link> kept = new ArrayList<>(links.length + owners.size());
    for (Link link : links) {
      if (!replaced.contains(ByteBuffer.wrap(link.hash()))) {
        kept.add(link);
      }
    }
    List<Record[]> now = new ArrayList<>(owners.size());
    for (Record[] records : owners.values()) {
      if (records.length > 0) {
        now.add(records);
      }
    }
    return of(param, kept, now);
  }

  /** {@code links} (each made with {@code param}) and the links of {@code owners}, sorted by hash. */
  private static Nsec3Chain of(NSEC3PARAMRecord param, List<Link> links, List<Record[]> owners) {
    for (Record[] records : owners) {
      RRset set = new RRset();
      for (Record r : records) {
        if (r.getType() == Type.NSEC3 && sameParameters((NSEC3Record) r, param)) {
          set.addRR(r);
        }
      }
      byte[] hash = BASE32HEX.fromString(records[0].getName().getLabelString(0));
      if (set.size() == 0 || hash == null) {
        continue; // another chain's record, or not a hashed owner name: no link
      }
      for (Record r : records) {
        if (r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.NSEC3) {
          set.addRR(sig);
        }
      }
      links.add(new Link(hash, set));
    }
    if (links.isEmpty()) {
      return null;
    }
    Link[] sorted = links.toArray(Link[]::new);
    Arrays.sort(sorted, BY_HASH); // (a patched chain is nearly sorted: the sort merges the new links in)
    return new Nsec3Chain(param, sorted);
  }

  private static boolean sameParameters(NSEC3Record r, NSEC3PARAMRecord param) {
    return r.getHashAlgorithm() == param.getHashAlgorithm()
        && r.getIterations() == param.getIterations()
        && Arrays.equals(r.getSalt() == null ? new byte[0] : r.getSalt(),
            param.getSalt() == null ? new byte[0] : param.getSalt());
  }

  /** The chain's owner names in hash order, which is their canonical order (base32hex keeps it, RFC 4648 7). */
  public List<Name> owners() {
    List<Name> out = new ArrayList<>(links.length);
    for (Link link : links) {
      out.add(link.rrset().getName());
    }
    return out;
  }

  /** The NSEC3 RRset (with its RRSIGs) whose hash is {@code name}'s, or null. */
  public RRset matching(Name name) {
    return matching(search(hash(name)));
  }

  /**
   * The NSEC3 RRset (with its RRSIGs) that covers {@code name}'s hash: the one with the last hash
   * before it, or the last of all, whose next hash wraps round to the first (RFC 5155 3.1.7).
   * Meant for a name with no NSEC3 of its own; for one that has, the one before it.
   */
  public RRset covering(Name name) {
    return covering(search(hash(name)));
  }

  /** The index of {@code hash} in the chain, or (-(insertion point) - 1), as binarySearch. */
  private int search(byte[] hash) {
    return Arrays.binarySearch(links, new Link(hash, null), BY_HASH);
  }

  private RRset matching(int i) {
    RRset found = matchingShared(i);
    return found == null ? null : new RRset(found);
  }

  private RRset covering(int i) {
    return new RRset(coveringShared(i));
  }

  /** The chain's own RRset matching at search result {@code i}, or null: for the memo only. */
  private RRset matchingShared(int i) {
    return i >= 0 ? links[i].rrset() : null;
  }

  private RRset coveringShared(int i) {
    int before = (i >= 0 ? i : -i - 1) - 1;
    return links[before >= 0 ? before : links.length - 1].rrset();
  }

  /**
   * The proof parts at {@code encloser}, a name of the zone (a closest encloser, an existing name
   * with no data of a type, a delegation): never a name that does not exist, since the memo
   * keeps one entry per name asked for.
   */
  public EncloserProof encloserProof(Name encloser) {
    EncloserProof known = proofs.get(encloser);
    return known != null ? known : proofs.computeIfAbsent(encloser, this::makeProof);
  }

  private EncloserProof makeProof(Name encloser) {
    RRset match = matchingShared(search(hash(encloser)));
    Name wildcard;
    try {
      wildcard = Name.concatenate(WILD, encloser);
    } catch (NameTooLongException e) {
      return new EncloserProof(match, null, null);
    }
    int i = search(hash(wildcard));
    return new EncloserProof(match, coveringShared(i), matchingShared(i));
  }

  private byte[] hash(Name name) {
    try {
      return param.hashName(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
