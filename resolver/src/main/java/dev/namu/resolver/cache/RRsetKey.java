package dev.namu.resolver.cache;

import org.xbill.DNS.Name;

/** Cache key: owner name (compared case-insensitively, as {@link Name} does) and type. */
public record RRsetKey(Name name, int type) {}
