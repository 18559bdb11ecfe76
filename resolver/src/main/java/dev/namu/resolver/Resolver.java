package dev.namu.resolver;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * A recursive resolver: finds the answer to a client's question.
 *
 * <p>It returns an {@link Answer}, data with TTLs as they remain in the cache, never the client's
 * message: the ID, flags, OPT and extended error are written by the server. The returned stages
 * never complete exceptionally: every failure becomes SERVFAIL with an RFC 8914 extended error.
 */
public interface Resolver extends AutoCloseable {

  /** Resolves the client's query (first question only); never completes exceptionally. */
  CompletionStage<Answer> resolve(Message query);

  /**
   * As {@link #resolve(Message)}, recording in {@code trace} what the resolution did (the upstream
   * queries, or the cached RRsets answered from); {@code trace} null records nothing.
   */
  default CompletionStage<Answer> resolve(Message query, UpstreamTrace trace) {
    return resolve(query);
  }

  /**
   * As {@link #resolve(Message, UpstreamTrace)} for a question from {@code client} (null: no
   * client), whose new resolutions count against its bound ({@link InFlightLimits#perClient}).
   */
  default CompletionStage<Answer> resolve(Message query, UpstreamTrace trace, java.net.InetAddress client) {
    return resolve(query, trace);
  }

  /** Convenience: resolves {@code name}/{@code type} IN as if a client had asked with RD set. */
  CompletionStage<Answer> resolve(Name name, int type);

  /**
   * Answers from the cache only, without any upstream query (RD=0 queries, the server's fast
   * path). Empty when the cache holds nothing usable for the question.
   */
  Optional<Answer> cached(Message query);

  /** Drops every cached entry (answers, RRsets, negative entries, infrastructure). */
  void flush();

  /** Drops the cached entries of {@code name} (all types) and of every name below it. */
  void flush(Name name);

  /** A snapshot of the cache and resolution counters. */
  CacheStats stats();

  /**
   * What the caches hold for {@code name}, every type (RRsets, the parent's delegation copies,
   * answers, negative entries), for an operator: copied out without a lock and without counting
   * as a use, so it never delays or changes resolution.
   */
  CacheDump cacheEntries(Name name);

  /**
   * The first {@code limit} (1 or more) entries of the whole cache in DNS name order, and how many
   * there are; memory for {@code limit} entries, read as {@link #cacheEntries(Name)} is.
   */
  CacheDump cacheEntries(int limit);

  /** The infrastructure cache, one entry per upstream server address, by address. */
  java.util.List<InfraEntry> infra();

  /**
   * A resolver with another configuration (forwarders, forward zones, root hints, limits) over
   * this one's caches, upstream transport and counters: what is cached stays cached, as Unbound's
   * fast_reload keeps its cache. The cache bounds stay this one's. Resolutions in flight finish
   * as this one started them; close only the resolver last made (they share the transport).
   */
  Resolver reconfigured(ResolverConfig next);

  /** Releases the upstream transport; in-flight resolutions complete with SERVFAIL. */
  @Override
  void close();
}
