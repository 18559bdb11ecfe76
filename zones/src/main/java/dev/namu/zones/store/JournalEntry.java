package dev.namu.zones.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * One committed change of a zone: the serial before (empty for a new zone) and after (empty for a
 * deleted zone), the records removed and added, when and by whom (a token or TSIG key name). This is the
 * difference sequence IXFR (RFC 1995) will serve.
 */
public record JournalEntry(
    long id,
    Name zone,
    OptionalLong serialBefore,
    OptionalLong serialAfter,
    List<Record> removed,
    List<Record> added,
    Instant when,
    String actor) {
  public JournalEntry {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(when, "when");
    Objects.requireNonNull(actor, "actor");
    removed = List.copyOf(removed);
    added = List.copyOf(added);
  }
}
