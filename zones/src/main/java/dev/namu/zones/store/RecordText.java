package dev.namu.zones.store;

import java.io.IOException;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The columns a store keeps for one record: owner, type, class, TTL and the RDATA in presentation
 * format (RFC 1035 section 5.1). Presentation format keeps the store readable with plain SQL tools; dnsjava
 * writes absolute names and {@code \#} (RFC 3597) for types it does not know, so it parses back to
 * an equal record.
 */
public record RecordText(String owner, int type, int dclass, long ttl, String rdata) {

  public static RecordText of(Record record) {
    return new RecordText(
        record.getName().toString(), record.getType(), record.getDClass(), record.getTTL(),
        record.rdataToString());
  }

  /** The owner name in canonical (lower) case, for indexes and matching. */
  public String ownerKey() {
    return owner.toLowerCase(java.util.Locale.ROOT);
  }

  public Record toRecord() {
    try {
      return Record.fromString(Name.fromString(owner), type, dclass, ttl, rdata, Name.root);
    } catch (IOException e) {
      throw new StoreException("stored record cannot be parsed: " + owner + " " + type + " " + rdata, e);
    }
  }
}
