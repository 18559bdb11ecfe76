package dev.namu.zones.edit;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * One step of a {@link ZoneChange}, with the meaning RFC 2136 section 2.5 gives the update section:
 * add to an RRset, delete one RR, delete an RRset, delete all RRsets of a name; plus replace an RRset.
 */
public sealed interface RecordOperation {

  /** The owner the operation touches. */
  Name name();

  /** Adds a record; an equal record (same owner, type, RDATA) is replaced, so its TTL changes. */
  record Add(Record record) implements RecordOperation {
    public Add {
      Objects.requireNonNull(record, "record");
    }

    @Override
    public Name name() {
      return record.getName();
    }
  }

  /** Deletes the record with this owner, type and RDATA; the TTL is not compared. */
  record Delete(Record record) implements RecordOperation {
    public Delete {
      Objects.requireNonNull(record, "record");
    }

    @Override
    public Name name() {
      return record.getName();
    }
  }

  /** Deletes every record of one type at a name. */
  record DeleteRRset(Name name, int type) implements RecordOperation {
    public DeleteRRset {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Deletes every record at a name (at the apex: all but SOA and NS, RFC 2136 3.4.2.3). */
  record DeleteName(Name name) implements RecordOperation {
    public DeleteName {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Makes the RRset (name, type) exactly {@code records}; empty deletes it. */
  record ReplaceRRset(Name name, int type, List<Record> records) implements RecordOperation {
    public ReplaceRRset {
      Objects.requireNonNull(name, "name");
      records = List.copyOf(records);
      for (Record r : records) {
        if (!r.getName().equals(name) || r.getType() != type) {
          throw new IllegalArgumentException("record " + r + " is not of the RRset being replaced");
        }
      }
    }
  }
}
