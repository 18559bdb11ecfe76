package dev.namu.zones.store;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** A zone as the store holds it: its origin, the serial of its SOA and all its records. */
public record StoredZone(Name origin, long serial, List<Record> records) {
  public StoredZone {
    Objects.requireNonNull(origin, "origin");
    records = List.copyOf(records);
  }
}
