package dev.namu.zones.file;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Reads the plain one-line records of one part of a zone file ahead of the parser, on another
 * thread: {@link SimpleLineParser} from the part's first line until the part's end or the first
 * entry that is anything else (a directive, a blank owner before any record, parentheses, a line
 * the simple form does not cover, a bad line), where it stops and the parser reads on itself.
 *
 * <p>A line's meaning depends on the lines before it (RFC 1035 5.1: the origin, the default TTL,
 * the last TTL and class), which this reader cannot know when it starts. It assumes them, and the
 * parser takes its records only where its own state at the part's first line is what was assumed
 * (see {@link Assumed#holds}); otherwise it reads the part itself, as it would have anyway.
 */
final class ChunkReader {

  /**
   * What a reader assumed of the lines before its part.
   *
   * @param origin the {@code $ORIGIN} (compared by spelling: a name keeps the origin's case)
   * @param defaultTtl the {@code $TTL}, or -1
   * @param lastTtl the TTL of the record before, or -1 (a record's TTL when there is no $TTL)
   * @param lastClass the class of the record before (a record without a class takes it)
   */
  record Assumed(Name origin, long defaultTtl, long lastTtl, int lastClass) {

    /** True when records read under this assumption are the ones a reading from the start makes. */
    boolean holds(Name origin, long defaultTtl, long lastTtl, int lastClass) {
      boolean sameOrigin = origin == this.origin
          || (origin.equals(this.origin) && origin.toString().equals(this.origin.toString()));
      // the last TTL is read only where there is no $TTL (SimpleLineParser's rule)
      return sameOrigin && defaultTtl == this.defaultTtl && lastClass == this.lastClass
          && (defaultTtl >= 0 || lastTtl == this.lastTtl);
    }
  }

  /**
   * What one part gave: {@code records[0, count)} read from the lines {@code lines[0, count)},
   * counted from the part's first line as 0 (the parser, at that line, knows its number); the
   * parser goes on from byte {@code stop}, {@code stopLine} lines after the part's first.
   */
  record Result(Assumed assumed, Record[] records, int[] lines, int count, int stop, int stopLine) {}

  private ChunkReader() {}

  /** Reads {@code b[start, end)}, where {@code start} is a line start, until it must stop. */
  static Result read(byte[] b, int start, int end, Assumed assumed, BooleanSupplier cancelled) {
    int line = 0;
    SimpleLineParser simple = new SimpleLineParser();
    EntryScan scan = new EntryScan();
    Record[] records = new Record[Math.max(16, (end - start) / 24)];
    int[] lines = new int[records.length];
    int count = 0;
    Name lastName = null;
    long lastTtl = assumed.lastTtl();
    int lastClass = assumed.lastClass();
    int pos = start;
    while (pos < end && !cancelled.getAsBoolean()) {
      if (!scan.scan(b, pos, end)) {
        break;
      }
      if (scan.hasContent) {
        if (!scan.oneLine || b[scan.first] == '$') {
          break;
        }
        Record record = simple.parse(b, pos, scan.lineEnd, new SimpleLineParser.State(
            assumed.origin(), assumed.defaultTtl(), lastName, lastTtl, lastClass));
        if (record == null) {
          break;
        }
        if (count == records.length) {
          records = Arrays.copyOf(records, count * 2);
          lines = Arrays.copyOf(lines, count * 2);
        }
        records[count] = record;
        lines[count++] = line;
        lastName = record.getName();
        lastTtl = record.getTTL();
        lastClass = record.getDClass();
      }
      line += scan.newlines;
      pos = scan.next;
    }
    return new Result(assumed, records, lines, count, pos, line);
  }
}
