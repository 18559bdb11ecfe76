package dev.namu.server.pipeline;

import dev.namu.zones.lookup.AuthoritativeAnswer;
import dev.namu.zones.registry.ZoneSet;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * The authoritative lookup as the router sees it; in production the zones module's
 * AuthoritativeAnswerer, in tests anything with the same shape.
 */
@FunctionalInterface
public interface AnswerLookup {
  /** The answer from the closest enclosing served zone (parent side for DS), or empty. */
  Optional<AuthoritativeAnswer> answer(ZoneSet zones, Name qname, int qtype);

  /**
   * As above, for a query with the DO bit set or not: with it, a signed zone's answer carries the
   * NSEC/NSEC3 proofs and DS records of RFC 4035 3.1 (a lookup that knows no DNSSEC ignores it).
   */
  default Optional<AuthoritativeAnswer> answer(ZoneSet zones, Name qname, int qtype, boolean dnssecOk) {
    return answer(zones, qname, qtype);
  }
}
