package dev.namu.server.pipeline;

import dev.namu.resolver.Answer;
import dev.namu.resolver.UpstreamTrace;
import dev.namu.server.intake.Request;
import java.util.concurrent.CompletionStage;

/**
 * Where a question for a name in no served zone goes when recursion is allowed. The resolver plugs
 * in here; until then no handler is installed and such questions get REFUSED.
 */
public interface RecursionHandler {

  /** True when this client may have recursion (an ACL decision; never an open resolver). */
  boolean accepts(Request request);

  /**
   * True when recursion is available to this client: every reply to it has RA set, authoritative
   * ones too (RFC 1035 4.1.1, as BIND does), so dig does not warn that recursion is unavailable.
   */
  default boolean availableTo(java.net.InetSocketAddress client) {
    return false;
  }

  /**
   * The empty zones answered for this resolver's clients instead of asked upstream (RFC 6303 3),
   * when one covers {@code qname}; null otherwise.
   */
  default dev.namu.zones.registry.ZoneSet locallyServed(org.xbill.DNS.Name qname) {
    return null;
  }

  /** Resolves the question without blocking the caller; the server writes the reply. */
  CompletionStage<Answer> resolve(Request request);

  /** As {@link #resolve(Request)}, recording the resolution in {@code trace} (null: not at all). */
  default CompletionStage<Answer> resolve(Request request, UpstreamTrace trace) {
    return resolve(request);
  }

  /** As {@link #resolve(Request, org.xbill.DNS.Name)}, recording the resolution in {@code trace}. */
  default CompletionStage<Answer> resolve(Request request, org.xbill.DNS.Name name, UpstreamTrace trace) {
    return resolve(request, name);
  }

  /**
   * Resolves {@code name} with the request's type (RD set) for a CNAME chain from the zones that
   * leaves them; completes with the resolver's answer, whose records and rcode continue the chain.
   */
  default CompletionStage<Answer> resolve(Request request, org.xbill.DNS.Name name) {
    throw new UnsupportedOperationException("this recursion handler does not continue CNAME chains");
  }

  /** True when {@link #resolve(Request, org.xbill.DNS.Name)} is offered. */
  default boolean continuesChains() {
    return false;
  }
}
