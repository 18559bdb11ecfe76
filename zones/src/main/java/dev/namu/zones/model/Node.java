package dev.namu.zones.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One owner name of a zone with all its records, immutable.
 *
 * <p>Records are kept in one array sorted by type (then canonical RDATA order), not as one
 * {@link RRset} object per type: a million-record zone then costs one small object per name.
 * A node of a fully built zone holds a range of the zone's own record array (the snapshot's
 * {@link ZoneSnapshot#records()}, which is in node order) rather than an array of its own: no
 * array object per name (a million-record zone: ~13 MiB less heap, and no copy per name while
 * it is built). A patched snapshot takes over the nodes it leaves alone, and with them that array,
 * until the next full build: one array reference per record more for a zone that is edited.
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
  /** The node holds RRSIG records: RRsets handed out carry the signatures that cover them. */
  private static final int SIGNED = 128;

  private static final Record[] NO_RECORDS = new Record[0];

  private final Name name;
  /** This node's records are {@code records[from, to)}; the array may hold other nodes' records. */
  private final Record[] records;
  private final int from;
  private final int to;
  private final int flags;

  /** A node of all of {@code records}, an array no one else changes. */
  Node(Name name, Record[] records, int flags) {
    this(name, records, 0, records.length, flags);
  }

  /** A node of {@code records[from, to)}, a range of an array no one changes any more. */
  Node(Name name, Record[] records, int from, int to, int flags) {
    this.name = name;
    this.records = from == to ? NO_RECORDS : records;
    this.from = from == to ? 0 : from;
    this.to = from == to ? 0 : to;
    this.flags = flags | (hasType(records, from, to, Type.RRSIG) ? SIGNED : 0);
  }

  private static boolean hasType(Record[] records, int from, int to, int type) {
    for (int i = from; i < to; i++) {
      if (records[i].getType() == type) {
        return true;
      }
    }
    return false;
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
    return from == to;
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

  /**
   * A new RRset of the given type at this node, with the RRSIGs that cover it (RFC 4035 3.1.1: a
   * reply with DO carries them; {@link RRset#sigs()}), or null when there is none.
   *
   * <p>For type RRSIG: the signatures of one covered type, the first in type order, as Knot answers
   * (and as RFC 8482 lets ANY be answered): a set of signatures alone, with no data records. The
   * signatures of different types are never one RRset: each has the TTL of the RRset it covers
   * (RFC 4034 3).
   */
  public RRset rrset(int type) {
    if (type == Type.RRSIG) {
      return firstSignatures();
    }
    RRset set = null;
    for (int i = from; i < to; i++) {
      Record r = records[i];
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
    if (set != null && (flags & SIGNED) != 0) {
      addSignatures(set, type);
    }
    return set;
  }

  /** Adds the RRSIGs at this node that cover {@code type} to {@code set}. */
  private void addSignatures(RRset set, int type) {
    boolean seen = false;
    for (int i = from; i < to; i++) {
      Record r = records[i];
      if (r.getType() == Type.RRSIG) {
        RRSIGRecord sig = (RRSIGRecord) r;
        if (sig.getTypeCovered() == type) {
          set.addRR(sig);
          seen = true;
        } else if (seen) {
          break; // RRSIGs are in canonical RDATA order, which starts with the covered type
        }
      }
    }
  }

  private RRset firstSignatures() {
    RRset set = null;
    for (int i = from; i < to; i++) {
      Record r = records[i];
      if (r.getType() == Type.RRSIG) {
        RRSIGRecord sig = (RRSIGRecord) r;
        if (set != null && set.getType() != sig.getTypeCovered()) {
          break;
        }
        if (set == null) {
          set = new RRset();
        }
        set.addRR(sig);
      }
    }
    return set;
  }

  /** The first record of the given type, or null. */
  public Record first(int type) {
    for (int i = from; i < to; i++) {
      Record r = records[i];
      if (r.getType() == type) {
        return r;
      }
    }
    return null;
  }

  /**
   * All RRsets of data at this node in type order, each a new object with its RRSIGs (which are
   * not an RRset of their own here: see {@link #rrset(int)}).
   */
  public List<RRset> rrsets() {
    if (from == to) {
      return List.of();
    }
    List<RRset> sets = new ArrayList<>(2);
    int last = -1;
    for (int i = from; i < to; i++) {
      int type = records[i].getType();
      if (type != last && type != Type.RRSIG) {
        sets.add(rrset(type));
      }
      last = type;
    }
    return Collections.unmodifiableList(sets);
  }

  /** All records at this node, sorted by type. */
  public List<Record> records() {
    return Collections.unmodifiableList(Arrays.asList(records).subList(from, to)); // a view: no copy per call
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name.toString()).append(" [");
    int last = -1;
    for (int i = from; i < to; i++) {
      Record r = records[i];
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
