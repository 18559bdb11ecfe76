package dev.namu.zones.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One owner name of a zone with all its records, immutable.
 *
 * <p>Records are kept in one array sorted by type (then canonical RDATA order), not as one
 * {@link RRset} object per type: a million-record zone then costs one small object per name.
 * {@link #rrset(int)} builds a fresh RRset on demand, so callers may do what they like with it.
 * A node with no records is an empty non-terminal (RFC 4592 2.2.2): the name exists, it has no data.
 */
public final class Node {

  static final int APEX = 1;
  static final int DELEGATION = 2;
  static final int CNAME = 4;
  static final int DNAME = 8;
  static final int WILDCARD = 16;
  static final int OBSCURED = 32;
  static final int WILDCARD_PARENT = 64;

  private static final Record[] NO_RECORDS = new Record[0];

  private final Name name;
  private final Record[] records;
  private final int flags;

  Node(Name name, Record[] records, int flags) {
    this.name = name;
    this.records = records.length == 0 ? NO_RECORDS : records;
    this.flags = flags;
  }

  static Node emptyNonTerminal(Name name, int flags) {
    return new Node(name, NO_RECORDS, flags);
  }

  /** The owner name as the zone spells it. */
  public Name name() {
    return name;
  }

  /** True when the name exists only because names below it do (RFC 4592 2.2.2). */
  public boolean isEmptyNonTerminal() {
    return records.length == 0;
  }

  public boolean isApex() {
    return (flags & APEX) != 0;
  }

  /** True for a zone cut: NS records at a name other than the apex (RFC 1034 4.2.1). */
  public boolean isDelegation() {
    return (flags & DELEGATION) != 0;
  }

  public boolean hasCname() {
    return (flags & CNAME) != 0;
  }

  public boolean hasDname() {
    return (flags & DNAME) != 0;
  }

  /** True when this is a wildcard owner, {@code *.parent} (RFC 4592 2.1.1). */
  public boolean isWildcard() {
    return (flags & WILDCARD) != 0;
  }

  /**
   * True when a strict ancestor is a zone cut or owns a DNAME, so a lookup that reaches this name
   * must stop higher up (RFC 1034 4.3.2 step 3b, RFC 6672 3.3). Lets the common lookup be one
   * hash probe: a found node that is not obscured needs no walk down from the apex.
   */
  public boolean isObscured() {
    return (flags & OBSCURED) != 0;
  }

  /** True when {@code *.name} exists: the source of synthesis below this name (RFC 4592 3.3.1). */
  public boolean hasWildcardChild() {
    return (flags & WILDCARD_PARENT) != 0;
  }

  public boolean has(int type) {
    return first(type) != null;
  }

  /** A new RRset of the given type at this node, or null when there is none. */
  public RRset rrset(int type) {
    RRset set = null;
    for (Record r : records) {
      int t = r.getType();
      if (t == type) {
        if (set == null) {
          set = new RRset();
        }
        set.addRR(r);
      } else if (set != null) {
        break;
      }
    }
    return set;
  }

  /** The first record of the given type, or null. */
  public Record first(int type) {
    for (Record r : records) {
      if (r.getType() == type) {
        return r;
      }
    }
    return null;
  }

  /** All RRsets at this node in type order, each a new object. */
  public List<RRset> rrsets() {
    if (records.length == 0) {
      return List.of();
    }
    List<RRset> sets = new ArrayList<>(2);
    RRset current = null;
    for (Record r : records) {
      if (current == null || current.getType() != r.getType()) {
        current = new RRset();
        sets.add(current);
      }
      current.addRR(r);
    }
    return Collections.unmodifiableList(sets);
  }

  /** All records at this node, sorted by type. */
  public List<Record> records() {
    return Collections.unmodifiableList(Arrays.asList(records)); // a view: no copy per call
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name.toString()).append(" [");
    int last = -1;
    for (Record r : records) {
      if (r.getType() != last) {
        if (last != -1) {
          sb.append(' ');
        }
        sb.append(Type.string(r.getType()));
        last = r.getType();
      }
    }
    return sb.append(']').toString();
  }
}
