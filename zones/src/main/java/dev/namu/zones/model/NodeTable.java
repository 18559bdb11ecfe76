package dev.namu.zones.model;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.xbill.DNS.Name;

/**
 * The nodes of one zone by owner name: an open-addressing hash table of the nodes themselves
 * (linear probing, dnsjava {@link Name} hash and equality, which ignore case as RFC 4343 says).
 *
 * <p>A {@code HashMap<Name, Node>} costs an entry object of 32 bytes per name on top of its table;
 * for a zone of a million names that is most of the index. Filled by one builder thread, then
 * only read: it is published inside the immutable {@link ZoneSnapshot} (final field), so readers
 * on any thread see it complete.
 */
final class NodeTable {

  /** Grow when more than this share of the slots is used; keeps probe chains short. */
  private static final double MAX_LOAD = 0.6;

  private Node[] slots;
  private int size;

  NodeTable(int expected) {
    int capacity = 16;
    while (capacity * MAX_LOAD < expected) {
      capacity <<= 1;
    }
    slots = new Node[capacity];
  }

  /** The node named {@code name} (any case), or null. */
  Node get(Name name) {
    Node[] s = slots;
    int mask = s.length - 1;
    int h = name.hashCode();
    int i = spread(h) & mask;
    Node n;
    while ((n = s[i]) != null) {
      Name candidate = n.name();
      if (candidate == name || (candidate.hashCode() == h && candidate.equals(name))) {
        return n;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  boolean containsKey(Name name) {
    return get(name) != null;
  }

  /** Adds {@code node}, replacing a node of the same name. */
  void put(Node node) {
    if (size + 1 > slots.length * MAX_LOAD) {
      grow();
    }
    if (insert(slots, node)) {
      size++;
    }
  }

  int size() {
    return size;
  }

  /** The nodes, in no particular order; a read-only view. */
  Collection<Node> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<Node> iterator() {
        return new Iterator<>() {
          private final Node[] s = slots;
          private int next = advance(0);

          private int advance(int from) {
            int i = from;
            while (i < s.length && s[i] == null) {
              i++;
            }
            return i;
          }

          @Override
          public boolean hasNext() {
            return next < s.length;
          }

          @Override
          public Node next() {
            if (next >= s.length) {
              throw new NoSuchElementException();
            }
            Node n = s[next];
            next = advance(next + 1);
            return n;
          }
        };
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** Returns true when the node was new, false when it replaced one of the same name. */
  private static boolean insert(Node[] s, Node node) {
    int mask = s.length - 1;
    Name name = node.name();
    int h = name.hashCode();
    int i = spread(h) & mask;
    Node n;
    while ((n = s[i]) != null) {
      if (n.name().hashCode() == h && n.name().equals(name)) {
        s[i] = node;
        return false;
      }
      i = (i + 1) & mask;
    }
    s[i] = node;
    return true;
  }

  private void grow() {
    Node[] bigger = new Node[slots.length * 2];
    for (Node n : slots) {
      if (n != null) {
        insert(bigger, n);
      }
    }
    slots = bigger;
  }

  /** Mixes the high bits in: names of a zone share long suffixes, so their hashes are alike. */
  private static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    return h ^ (h >>> 13);
  }
}
