package dev.namu.server.update;

import dev.namu.zones.edit.RecordOperation;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The views of split horizon as UPDATE sees them: an UPDATE signed with a key a view matches
 * edits that view's records, never the zone.
 */
public interface ViewEdits {
  /** The view whose match list names {@code key}, first in order, when any does. */
  Optional<String> viewOfKey(Name key);

  /** True when {@code zone} is served, so a view may lay records over it. */
  boolean serves(Name zone);

  /**
   * Applies {@code operations} to the records {@code view} lays over {@code zone}, stored before
   * they are served; returns the view's records after. Nothing changes when it throws.
   *
   * @throws IllegalArgumentException when the result is refused (one-line message)
   * @throws IllegalStateException when the records cannot be stored now
   */
  List<Record> edit(String view, Name zone, List<RecordOperation> operations);
}
