package dev.namu.zones.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The owner names of a zone's NSEC records in canonical order (RFC 4034 6.1), built once per
 * snapshot, to find the NSEC that covers a name that does not exist (RFC 4035 3.1.3.2): the one
 * whose owner is the name's predecessor. Immutable.
 */
public final class NsecChain {

  private final Name[] owners;

  /** @param owners the NSEC owner names, in canonical order; at least one */
  NsecChain(List<Name> owners) {
    if (owners.isEmpty()) {
      throw new IllegalArgumentException("an NSEC chain needs at least one owner name");
    }
    this.owners = owners.toArray(Name[]::new);
  }

  /** The owner names, in canonical order. */
  public List<Name> owners() {
    return List.of(owners);
  }

  /**
   * This chain after an edit: without the owners in {@code left}, with those in {@code joined}
   * (owners already in it are kept once); null when no owner is left.
   */
  NsecChain patched(Set<Name> left, Collection<Name> joined) {
    List<Name> next = new ArrayList<>(owners.length + joined.size());
    for (Name owner : owners) {
      if (!left.contains(owner) && !joined.contains(owner)) {
        next.add(owner);
      }
    }
    next.addAll(joined);
    // nearly sorted already: the sort merges the few joined owners in
    next.sort(null);
    return next.isEmpty() ? null : new NsecChain(next);
  }

  /**
   * The owner of the NSEC that covers or matches {@code name}: the last owner at or before it in
   * canonical order; the last owner of all (whose NSEC points back to the apex) when none is.
   */
  public Name covering(Name name) {
    int i = Arrays.binarySearch(owners, name);
    if (i >= 0) {
      return owners[i];
    }
    int before = -i - 2;
    return owners[before >= 0 ? before : owners.length - 1];
  }
}
