package dev.namu.server.pipeline;

import org.xbill.DNS.Name;

/**
 * Names whose zone may exist but is not loaded yet: while namud's zone store opens, its stored
 * zones are not in the zone set, and a question about one of their names must not be answered
 * from what is loaded (a file zone above it, recursion, REFUSED), since that answer could be
 * wrong. The router answers SERVFAIL for such names, as Knot and BIND do for a configured zone
 * that is not loaded (RFC 1035 4.1.1: the server cannot process the query now), so a client
 * retries or asks another server.
 */
@FunctionalInterface
public interface UnloadedZones {

  /** Nothing is waiting: every zone namud serves is loaded. */
  UnloadedZones NONE = qname -> false;

  /** True when {@code qname} (lower case) may lie in a zone that is not loaded yet. */
  boolean covers(Name qname);
}
