package dev.namu.resolver.cache;

import org.xbill.DNS.Name;

/**
 * Cache key: owner name (compared case-insensitively, as {@link Name} does) and type.
 *
 * <p>equals and hashCode are written out: every cache lookup calls them, and a record's generated
 * ones go through method handles that cost far more until the JIT has inlined them.
 */
public record RRsetKey(Name name, int type) {
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof RRsetKey k && type == k.type && name.equals(k.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + type;
  }
}
