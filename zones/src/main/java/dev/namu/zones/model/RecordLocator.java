package dev.namu.zones.model;

import org.xbill.DNS.Record;

/**
 * Says where a record came from, so validation problems can name a file and line.
 * Called only when a problem is found, so an implementation may be slow (a search) without
 * slowing down the load of a good zone.
 */
@FunctionalInterface
public interface RecordLocator {

  /**
   * A problem with the given message, placed at the source of {@code record}; {@code record} is
   * null for a problem of the zone as a whole (line 0).
   */
  ZoneProblem problem(Record record, String message);

  /** A locator for records with no known file: every problem names {@code source}, line 0. */
  static RecordLocator unknown(String source) {
    return (record, message) -> new ZoneProblem(source, 0, message);
  }
}
