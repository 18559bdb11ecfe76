package dev.namu.server.transfer;

import dev.namu.server.net.AddressRange;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Who may transfer one zone (RFC 5936 6: the server decides, by TSIG key or client address):
 * requests signed with one of {@code keys}, and clients in one of {@code ranges}. Empty: nobody,
 * the default, as Knot, NSD and BIND refuse transfers unless allowed.
 */
public record TransferAcl(Set<Name> keys, List<AddressRange> ranges) {
  public static final TransferAcl NOBODY = new TransferAcl(Set.of(), List.of());

  public TransferAcl {
    keys = Set.copyOf(keys);
    ranges = List.copyOf(ranges);
  }

  /**
   * Reads entries as an editor writes them: an address or CIDR range ({@code 192.0.2.0/24},
   * {@code 2001:db8::/32}, {@code 10.0.0.5}), else a TSIG key name ({@code xfr-key.}).
   *
   * @throws IllegalArgumentException with a one-line message naming a bad entry
   */
  public static TransferAcl parse(List<String> entries) {
    Set<Name> keys = new java.util.HashSet<>();
    List<AddressRange> ranges = new ArrayList<>();
    for (String e : entries) {
      Optional<AddressRange> range = range(e);
      if (range.isPresent()) {
        ranges.add(range.get());
      } else {
        keys.add(keyName(e));
      }
    }
    return new TransferAcl(keys, ranges);
  }

  /** True when a request from {@code client}, signed with {@code key} (null: unsigned), may transfer. */
  public boolean allows(InetAddress client, Name key) {
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

  /** The entries as they are written back. */
  public List<String> entries() {
    List<String> out = keys.stream().map(Name::toString).sorted().collect(Collectors.toCollection(ArrayList::new));
    ranges.forEach(r -> out.add(r.toString()));
    return out;
  }

  private static Optional<AddressRange> range(String text) {
    String t = text.trim();
    if (t.contains("/")) {
      return Optional.of(AddressRange.parse(t)); // a range, or a clear error: never a key named so
    }
    // an address has digits and dots or colons only (a key name has letters, or a trailing dot)
    if (!t.matches("[0-9a-fA-F.:\\[\\]/]+") || t.endsWith(".") || !t.matches(".*[0-9].*")
        || !(t.contains(":") || t.matches("[0-9./]+"))) {
      return Optional.empty();
    }
    return Optional.of(AddressRange.parse(t));
  }

  private static Name keyName(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("an empty allow-transfer entry: give a TSIG key name or an address/CIDR");
    }
    try {
      return Name.fromString(t, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(text + ": neither an address/CIDR nor a TSIG key name (" + e.getMessage() + ")");
    }
  }
}
