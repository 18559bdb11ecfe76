package dev.namu.server.views;

import dev.namu.server.net.AddressRange;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * One view as configured: its name and the clients it matches (BIND's match-clients): requests
 * signed with one of {@code keys}, and clients in one of {@code ranges}.
 */
public record ViewDefinition(String name, Set<Name> keys, List<AddressRange> ranges) {
  public ViewDefinition {
    keys = Set.copyOf(keys);
    ranges = List.copyOf(ranges);
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
      throw new IllegalArgumentException("view name '" + name
          + "': use letters, digits, '-' and '_' (at most 64, starting with a letter or digit)");
    }
    if (keys.isEmpty() && ranges.isEmpty()) {
      throw new IllegalArgumentException("view " + name + " matches no client: give addresses, CIDR ranges or keys");
    }
  }

  /** True when a request from {@code client}, signed with {@code key} (null: unsigned), is in the view. */
  public boolean matches(InetAddress client, Name key) {
    if (key != null && keys.contains(key)) {
      return true;
    }
    for (AddressRange r : ranges) {
      if (r.contains(client)) {
        return true;
      }
    }
    return false;
  }

  /** The match list as it is written back: key names, then ranges. */
  public List<String> entries() {
    List<String> out = new ArrayList<>();
    keys.stream().map(Name::toString).sorted().forEach(out::add);
    ranges.forEach(r -> out.add(r.toString()));
    return out;
  }
}
