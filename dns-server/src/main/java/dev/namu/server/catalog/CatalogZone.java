package dev.namu.server.catalog;

import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The catalog zone format of RFC 9432, both ways: the zone a list of members makes, and the members
 * a transferred catalog lists. Only what RFC 9432 requires is written (SOA, NS, the version, one PTR
 * per member); of what is read, properties other than the version (coo, group, those of other
 * schemas) are ignored, as section 3 bids: "Catalog consumers MUST ignore any RR in the catalog zone
 * which is meaningless to or otherwise not supported by the implementation."
 */
public final class CatalogZone {
  private static final Logger log = LoggerFactory.getLogger(CatalogZone.class);

  /** The schema version this namud writes and reads (RFC 9432 4.2.1). */
  public static final String VERSION = "2";
  /** RFC 9432 4: the NS RRset holds one record, "invalid.", so no one queries a catalog's "server". */
  static final Name INVALID = Name.fromConstantString("invalid.");
  private static final Name ZONES = Name.fromConstantString("zones");
  private static final Name VERSION_LABEL = Name.fromConstantString("version");
  /**
   * TTL of every record: the catalog is read by transfer, never by query, and RFC 9432 6 asks that
   * its SOA and records not be cached; BIND and Knot write 0 too.
   */
  static final long TTL = 0;
  /** SOA timers: NOTIFY brings changes at once; the refresh is the consumer's fallback. */
  static final long REFRESH = 3600;
  static final long RETRY = 600;
  static final long EXPIRE = 2147483646;

  private CatalogZone() {}

  /**
   * The catalog {@code catalog} listing {@code members} (origin to unique id) at {@code serial}.
   *
   * @throws ZoneValidationException when a member's name cannot sit under the catalog (too long)
   */
  public static ZoneSnapshot build(Name catalog, Map<Name, String> members, long serial)
      throws ZoneValidationException {
    List<Record> records = new ArrayList<>();
    records.add(new SOARecord(catalog, DClass.IN, TTL, INVALID, INVALID, serial, REFRESH, RETRY, EXPIRE, TTL));
    records.add(new NSRecord(catalog, DClass.IN, TTL, INVALID));
    records.add(new TXTRecord(concat(VERSION_LABEL, catalog), DClass.IN, TTL, VERSION));
    Name zones = concat(ZONES, catalog);
    for (Map.Entry<Name, String> m : new TreeMap<>(members).entrySet()) {
      try {
        records.add(new PTRRecord(Name.concatenate(Name.fromString(m.getValue()), zones), DClass.IN, TTL,
            m.getKey()));
      } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
        log.warn("catalog {}: zone {} left out, its name cannot be written under the catalog: {}", catalog,
            m.getKey(), e.getMessage());
      }
    }
    return ZoneSnapshot.build(catalog, records);
  }

  /**
   * A member's unique id (RFC 9432 4.1): the same for a zone as long as it exists, across restarts
   * and for every namud sharing the store, and another one when the zone is deleted and created
   * again (its store generation is new), which a consumer takes as a reset of the member (5.4).
   * One label of 16 hex digits (a hash of the name and the generation).
   */
  public static String memberId(Name origin, long generation) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(origin.canonicalize().toWireCanonical());
      sha.update(ByteBuffer.allocate(Long.BYTES).putLong(generation).array());
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java", e);
    }
  }

  /**
   * The members {@code catalog} lists, member origin to unique id. Bad entries are logged and
   * skipped: a PTR to the catalog itself or into it, a zone listed under two ids, a record other
   * than a PTR at a member's label.
   *
   * @throws BrokenCatalog when the catalog must not be applied at all (RFC 9432 4.2.1, 5.1): no
   *     version, a version other than {@value #VERSION}, or a member label with several PTRs
   */
  public static Map<Name, String> members(ZoneSnapshot catalog) throws BrokenCatalog {
    Name origin = catalog.origin();
    Name versionName = concat(VERSION_LABEL, origin);
    Name zones = concat(ZONES, origin);
    List<String> versions = new ArrayList<>();
    Map<Name, List<Record>> byOwner = new TreeMap<>();
    for (Record r : catalog.records()) {
      Name owner = r.getName();
      if (owner.equals(versionName) && r.getType() == Type.TXT) {
        versions.add(String.join("", ((TXTRecord) r).getStrings()));
      } else if (owner.subdomain(zones) && owner.labels() == zones.labels() + 1) {
        byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(r);
      }
    }
    // RFC 9432 4.2.1: "Catalog consumers MUST NOT apply catalog zone processing to: zones without the
    // version property; zones with a version property with more than one RR in the RRset; zones with
    // a version property without an expected value"
    if (versions.size() != 1 || !versions.get(0).equals(VERSION)) {
      throw new BrokenCatalog("catalog " + origin + ": version " + (versions.isEmpty() ? "missing"
          : versions.size() > 1 ? "given " + versions.size() + " times" : "\"" + versions.get(0) + "\"")
          + ", this namud reads version " + VERSION + " alone: not applied");
    }
    Map<Name, String> members = new HashMap<>();
    Map<Name, Integer> listed = new HashMap<>();
    for (Map.Entry<Name, List<Record>> e : byOwner.entrySet()) {
      Name owner = e.getKey();
      List<Name> targets = new ArrayList<>();
      for (Record r : e.getValue()) {
        if (r instanceof PTRRecord ptr) {
          targets.add(ptr.getTarget().canonicalize());
        } else {
          log.warn("catalog {}: {} {} skipped: a member's label holds a PTR alone", origin, owner,
              Type.string(r.getType()));
        }
      }
      if (targets.size() > 1) {
        // RFC 9432 4.1: "The presence of more than one record in the RRset indicates a broken
        // catalog zone, which MUST NOT be processed"
        throw new BrokenCatalog("catalog " + origin + ": " + owner + " holds " + targets.size()
            + " PTR records, one is allowed: not applied");
      }
      if (targets.isEmpty()) {
        continue;
      }
      Name member = targets.get(0);
      if (member.subdomain(origin)) {
        log.warn("catalog {}: member {} at {} skipped: a catalog cannot list itself or a name in it", origin,
            member, owner);
        continue;
      }
      listed.merge(member, 1, Integer::sum);
      members.put(member, owner.getLabelString(0).toLowerCase(java.util.Locale.ROOT));
    }
    listed.forEach((member, times) -> {
      if (times > 1) {
        // which id is the member's is not known, so neither is taken (RFC 9432 4.1: one unique-N a zone)
        log.warn("catalog {}: member {} skipped: listed {} times under different ids", origin, member, times);
        members.remove(member);
      }
    });
    return Map.copyOf(members);
  }

  private static Name concat(Name prefix, Name suffix) {
    try {
      return Name.concatenate(prefix, suffix);
    } catch (org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException("catalog name " + suffix + " is too long", e);
    }
  }

  /** A catalog that must not be applied; its message says why, on one line. */
  public static final class BrokenCatalog extends Exception {
    BrokenCatalog(String message) {
      super(message, null, false, false);
    }
  }
}
