package dev.namu.zones.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * What a TSIG key or an API token may change, as BIND's update-policy and Knot's ACL
 * update-owner limit a key: some zones, one name or the subtree below it, some record types. An
 * empty list of zones or types means any; no name means any name in those zones.
 *
 * @param zones the zones, absolute, in lower case (empty: any zone)
 * @param name the one name (or subtree top): relative names are taken in each zone of the scope
 *     ({@code _acme-challenge} in {@code example.com.} is {@code _acme-challenge.example.com.}),
 *     absolute ones as they are; empty: any name
 * @param subtree true when the names below {@code name} are in scope too
 * @param types the record types (empty: any type)
 */
public record EditScope(List<Name> zones, Optional<Name> name, boolean subtree, Set<Integer> types) {

  /** Any zone, name and type: what a key without a scope may change. */
  public static final EditScope ANY = new EditScope(List.of(), Optional.empty(), false, Set.of());

  public EditScope {
    List<Name> lower = new ArrayList<>();
    for (Name z : zones) {
      if (!z.isAbsolute()) {
        throw new IllegalArgumentException("scope zone must be absolute: " + z);
      }
      lower.add(z.canonicalize());
    }
    zones = List.copyOf(lower);
    Objects.requireNonNull(name, "name");
    types = Set.copyOf(types);
    if (subtree && name.isEmpty()) {
      throw new IllegalArgumentException("--subtree needs --name: the subtree below which name?");
    }
  }

  /** True when this scope limits nothing. */
  public boolean unlimited() {
    return zones.isEmpty() && name.isEmpty() && types.isEmpty();
  }

  /** True when the zone {@code origin} is in scope. */
  public boolean coversZone(Name origin) {
    return zones.isEmpty() || zones.contains(origin.canonicalize());
  }

  /** True when {@code owner} in zone {@code origin} is in scope, whatever the type. */
  public boolean coversName(Name origin, Name owner) {
    if (!coversZone(origin)) {
      return false;
    }
    if (name.isEmpty()) {
      return true;
    }
    Name top = name.get().isAbsolute() ? name.get() : concatenate(name.get(), origin);
    return subtree ? owner.subdomain(top) : owner.equals(top);
  }

  /** True when records of {@code type} at {@code owner} in zone {@code origin} are in scope. */
  public boolean covers(Name origin, Name owner, int type) {
    return coversName(origin, owner) && (types.isEmpty() || types.contains(type));
  }

  /** The scope in words, for messages: {@code zones example.com., name _acme-challenge (subtree), types TXT}. */
  public String describe() {
    if (unlimited()) {
      return "any zone, name and type";
    }
    List<String> parts = new ArrayList<>();
    parts.add(zones.isEmpty() ? "any zone" : "zones " + String.join(" ", zones.stream().map(Name::toString).toList()));
    parts.add(name.map(n -> "name " + n + (subtree ? " and below" : "")).orElse("any name"));
    parts.add(types.isEmpty() ? "any type" : "types " + typesText());
    return String.join(", ", parts);
  }

  /** The types as mnemonics separated by spaces, sorted ("A TXT"), empty for any. */
  public String typesText() {
    TreeSet<String> names = new TreeSet<>();
    types.forEach(t -> names.add(Type.string(t)));
    return String.join(" ", names);
  }

  /** The zones as text separated by spaces, empty for any. */
  public String zonesText() {
    return String.join(" ", zones.stream().map(Name::toString).toList());
  }

  /**
   * The scope from its stored (or typed) parts: zones and types separated by spaces or commas, the
   * name as written.
   *
   * @throws IllegalArgumentException with a one-line reason for a bad zone, name or type
   */
  public static EditScope parse(String zonesText, String nameText, boolean subtree, String typesText) {
    List<Name> zones = new ArrayList<>();
    for (String z : words(zonesText)) {
      try {
        zones.add(Name.fromString(z, Name.root));
      } catch (TextParseException e) {
        throw new IllegalArgumentException("bad zone '" + z + "': " + e.getMessage());
      }
    }
    Optional<Name> name = Optional.empty();
    if (nameText != null && !nameText.isBlank()) {
      try {
        name = Optional.of(Name.fromString(nameText.trim()));
      } catch (TextParseException e) {
        throw new IllegalArgumentException("bad name '" + nameText + "': " + e.getMessage());
      }
    }
    Set<Integer> types = new java.util.HashSet<>();
    for (String t : words(typesText)) {
      int type = Type.value(t.toUpperCase(Locale.ROOT));
      if (type < 0 || !Type.isRR(type)) {
        throw new IllegalArgumentException("bad type '" + t + "': not a record type");
      }
      types.add(type);
    }
    return new EditScope(zones, name, subtree, types);
  }

  private static List<String> words(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return List.of(text.trim().split("[\\s,]+"));
  }

  private static Name concatenate(Name relative, Name origin) {
    try {
      return Name.concatenate(relative, origin);
    } catch (org.xbill.DNS.NameTooLongException e) {
      // a name that cannot exist in this zone: nothing in the zone is it
      return relative;
    }
  }
}
