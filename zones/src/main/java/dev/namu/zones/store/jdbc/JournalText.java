package dev.namu.zones.store.jdbc;

import dev.namu.zones.store.RecordText;
import dev.namu.zones.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Record;

/**
 * The records one journal entry removed and added, as the text of its {@code journal.changes}
 * column: one line per record, removed first, each {@code op TAB owner TAB type TAB class TAB ttl TAB
 * rdata} with op {@code -} or {@code +} (the columns journal_records has, in the same order). One
 * row per edit instead of one per record: an edit's commit writes one B-tree less.
 */
final class JournalText {

  /**
   * Longest text kept in the row; a larger change (a zone import, a zone dropped) goes to
   * journal_records. Small enough that an H2 page holding it stays small: a page is written whole
   * at every commit that touches it, and the journal's newest page is touched by every edit.
   */
  static final int MAX_CHARS = 16_000;

  /** The records removed and added by one entry. */
  record Changes(List<Record> removed, List<Record> added) {}

  private JournalText() {}

  /**
   * The text of {@code removed} and {@code added}, or empty when it would be longer than
   * {@link #MAX_CHARS} or a field holds a character the format uses as a separator (presentation
   * format escapes both, so this is only a guard).
   */
  static Optional<String> encode(List<Record> removed, List<Record> added) {
    StringBuilder out = new StringBuilder(128 * (removed.size() + added.size()));
    for (int i = 0; i < removed.size() + added.size(); i++) {
      boolean gone = i < removed.size();
      RecordText t = RecordText.of(gone ? removed.get(i) : added.get(i - removed.size()));
      if (t.owner().indexOf('\t') >= 0 || t.owner().indexOf('\n') >= 0 || t.rdata().indexOf('\n') >= 0) {
        return Optional.empty();
      }
      if (i > 0) {
        out.append('\n');
      }
      out.append(gone ? '-' : '+').append('\t').append(t.owner()).append('\t').append(t.type()).append('\t')
          .append(t.dclass()).append('\t').append(t.ttl()).append('\t').append(t.rdata());
      if (out.length() > MAX_CHARS) {
        return Optional.empty();
      }
    }
    return Optional.of(out.toString());
  }

  /** The records of a text {@link #encode} made. */
  static Changes decode(String text) {
    List<Record> removed = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    if (text.isEmpty()) {
      return new Changes(removed, added);
    }
    for (String line : text.split("\n", -1)) {
      String[] f = line.split("\t", 6);
      if (f.length != 6 || !(f[0].equals("-") || f[0].equals("+"))) {
        throw new StoreException("stored journal entry cannot be read: " + line);
      }
      Record r;
      try {
        r = new RecordText(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]), f[5]).toRecord();
      } catch (NumberFormatException e) {
        throw new StoreException("stored journal entry cannot be read: " + line, e);
      }
      (f[0].equals("-") ? removed : added).add(r);
    }
    return new Changes(removed, added);
  }
}
