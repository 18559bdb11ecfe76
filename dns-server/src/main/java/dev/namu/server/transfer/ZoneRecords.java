package dev.namu.server.transfer;

import dev.namu.zones.model.ZoneSnapshot;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The record sequences transfers send, read lazily from immutable data: nothing is copied.
 */
public final class ZoneRecords {
  private ZoneRecords() {}

  /**
   * A whole zone as AXFR sends it (RFC 5936 2.2): its SOA, every other record, its SOA again. IXFR
   * sends the same when it cannot send differences (RFC 1995 4).
   */
  public static Iterator<Record> axfr(ZoneSnapshot zone) {
    SOARecord soa = zone.soa();
    List<Record> all = zone.records();
    return new Iterator<>() {
      private int next = -1; // -1: the opening SOA; all.size(): the closing one
      private boolean done;

      @Override
      public boolean hasNext() {
        skipSoa();
        return !done;
      }

      @Override
      public Record next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        if (next == -1) {
          next = 0;
          return soa;
        }
        if (next >= all.size()) {
          done = true;
          return soa;
        }
        return all.get(next++);
      }

      private void skipSoa() {
        while (next >= 0 && next < all.size() && all.get(next).getType() == Type.SOA) {
          next++;
        }
      }
    };
  }

  /**
   * The condensed difference IXFR sends (RFC 1995 4): the current SOA, the client's SOA, the records
   * removed since, the current SOA, the records added since, the current SOA.
   */
  public static Iterator<Record> ixfr(SOARecord current, SOARecord old, List<Record> removed, List<Record> added) {
    List<Iterator<Record>> parts = List.of(List.<Record>of(current, old).iterator(), removed.iterator(),
        List.<Record>of(current).iterator(), added.iterator(), List.<Record>of(current).iterator());
    return new Iterator<>() {
      private int part;

      @Override
      public boolean hasNext() {
        while (part < parts.size() && !parts.get(part).hasNext()) {
          part++;
        }
        return part < parts.size();
      }

      @Override
      public Record next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return parts.get(part).next();
      }
    };
  }
}
