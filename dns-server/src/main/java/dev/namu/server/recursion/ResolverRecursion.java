package dev.namu.server.recursion;

import dev.namu.resolver.Answer;
import dev.namu.resolver.CacheStats;
import dev.namu.resolver.Resolver;
import dev.namu.resolver.UpstreamTrace;
import dev.namu.server.api.CacheControl;
import dev.namu.server.auth.LocallyServedZones;
import dev.namu.server.intake.Request;
import dev.namu.server.pipeline.RecursionHandler;
import dev.namu.server.resolved.ResolvedAnswers;
import dev.namu.zones.registry.ZoneSet;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * The resolver behind namud's pipeline: the ACL decides who may recurse; RD=1 questions are
 * resolved, RD=0 questions answered from the cache only. Answers finish on the event loop that
 * read the query, so the reply is written there and never on the resolver's threads.
 *
 * @param acl who may recurse
 * @param copies wire copies of this resolver's replies, flushed with its cache (null: none)
 * @param localZones the zones answered here and never asked upstream (RFC 6303)
 */
public record ResolverRecursion(Resolver resolver, RecursionAcl acl, ResolvedAnswers copies,
    LocallyServedZones localZones)
    implements RecursionHandler, CacheControl {
  /** The RD=0 cache miss: REFUSED, with RA, since recursion is available to this client. */
  private static final Answer REFUSED =
      new Answer(Rcode.REFUSED, List.of(), List.of(), List.of(), null, Answer.Security.UNCHECKED, true, -1);

  @Override
  public boolean accepts(Request request) {
    return acl.allows(request.peer().getAddress());
  }

  @Override
  public boolean availableTo(java.net.InetSocketAddress client) {
    return acl.allows(client.getAddress());
  }

  @Override
  public ZoneSet locallyServed(Name qname) {
    return localZones.covering(qname);
  }

  @Override
  public CompletionStage<Answer> resolve(Request request) {
    return resolve(request, (UpstreamTrace) null);
  }

  @Override
  public CompletionStage<Answer> resolve(Request request, UpstreamTrace trace) {
    if (!request.recursionDesired()) {
      return CompletableFuture.completedFuture(fromCacheOnly(request));
    }
    return resolve(request.query(), trace, request.peer().getAddress());
  }

  @Override
  public boolean continuesChains() {
    return true;
  }

  @Override
  public CompletionStage<Answer> resolve(Request request, Name name) {
    return resolve(request, name, null);
  }

  @Override
  public CompletionStage<Answer> resolve(Request request, Name name, UpstreamTrace trace) {
    Message query =
        Message.newQuery(
            org.xbill.DNS.Record.newRecord(name, request.question().getType(), org.xbill.DNS.DClass.IN));
    return resolve(query, trace, request.peer().getAddress());
  }

  /** Resolves a query (the client's, or one the server made), completing on the caller's event loop. */
  public CompletionStage<Answer> resolve(Message query) {
    return resolve(query, null);
  }

  /** As {@link #resolve(Message)}, recording the resolution in {@code trace} (null: not at all). */
  public CompletionStage<Answer> resolve(Message query, UpstreamTrace trace) {
    return resolve(query, trace, null);
  }

  /**
   * As {@link #resolve(Message, UpstreamTrace)} for a question from {@code client}, whose bound of
   * resolutions in flight a new resolution counts against (null: the resolver's total only).
   */
  private CompletionStage<Answer> resolve(Message query, UpstreamTrace trace, java.net.InetAddress client) {
    CompletionStage<Answer> reply = resolver.resolve(query, trace, client);
    EventExecutor loop = ThreadExecutorMap.currentExecutor();
    if (loop == null || reply.toCompletableFuture().isDone()) {
      // cache hits complete at once: nothing to hand over
      return reply;
    }
    return reply.thenApplyAsync(m -> m, loop);
  }

  /**
   * RD=0: the client asks what we know, not that we go and find out (RFC 1034 4.3.1), so nothing
   * is sent upstream. A miss gets REFUSED with RA set, as Unbound's refuse-non-recursive and
   * BIND's allow-query-cache do when the cache cannot help.
   */
  private Answer fromCacheOnly(Request request) {
    return resolver.cached(request.query()).orElse(REFUSED);
  }

  @Override
  public long flush(Optional<Name> name) {
    // Every copy goes, even for a flush of one name: a copy for another name may hold records of
    // this one (a CNAME chain into it), and copies are cheap to make again.
    if (copies != null) {
      copies.clear();
    }
    long before = resolver.stats().entries();
    if (name.isPresent()) {
      resolver.flush(name.get());
    } else {
      resolver.flush();
    }
    if (copies != null) {
      // and again: a reply resolved before the flush may have been kept while it ran
      copies.clear();
    }
    return Math.max(0, before - resolver.stats().entries());
  }

  @Override
  public Map<String, Object> dump(Optional<Name> name, int limit) {
    return CacheListing.dump(resolver, name, limit);
  }

  @Override
  public Map<String, Object> infra() {
    return CacheListing.infra(resolver);
  }

  /** The resolver's counters for the status endpoint. */
  @Override
  public Map<String, Object> stats() {
    CacheStats s = resolver.stats();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entries", s.entries());
    m.put("bytes", s.weightBytes());
    m.put("hits", s.hits());
    m.put("misses", s.misses());
    m.put("evictions", s.evictions());
    m.put("upstreamQueries", s.upstreamQueries());
    m.put("upstreamTimeouts", s.upstreamTimeouts());
    m.put("prefetches", s.prefetches());
    m.put("staleServed", s.staleServed());
    m.put("servfails", s.servfails());
    m.put("inFlight", s.inFlight());
    m.put("refusedInFlightClient", s.refusedClient());
    m.put("refusedInFlightTotal", s.refusedTotal());
    m.put("refusedInFlightZone", s.refusedZone());
    if (copies != null) {
      m.put("replyCopies", copies.size());
      m.put("replyCopyBytes", copies.bytes());
    }
    return m;
  }
}
