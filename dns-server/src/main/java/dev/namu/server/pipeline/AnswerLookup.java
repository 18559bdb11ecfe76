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
}
