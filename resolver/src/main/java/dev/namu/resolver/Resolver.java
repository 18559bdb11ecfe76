package dev.namu.resolver;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * A recursive resolver: turns a client's question into the full reply for that client.
 *
 * <p>Replies carry the client's ID, question and RD/CD bits, RA set, and TTLs that are what
 * remains in the cache. The returned stages never complete exceptionally: every failure
 * becomes SERVFAIL, with an RFC 8914 extended error when the client sent EDNS.
 */
public interface Resolver extends AutoCloseable {

  /** Resolves the client's query (first question only); never completes exceptionally. */
  CompletionStage<Message> resolve(Message query);

  /** Convenience: resolves {@code name}/{@code type} IN as if a client had asked with RD set. */
  CompletionStage<Message> resolve(Name name, int type);

  /**
   * Answers from the cache only, without any upstream query (RD=0 queries, the server's fast
   * path). Empty when the cache holds nothing usable for the question.
   */
  Optional<Message> cached(Message query);

  /**
   * True when a query for {@code name}/{@code type} would now be answered from unexpired cache
   * data that is not yet due for prefetch. Touches no counters and starts no prefetch: a server
   * that keeps copies of replies asks this before keeping one, so that it never copies a stale
   * answer (RFC 8767) nor one about to be replaced by a prefetch.
   */
  default boolean answersFromSettledCache(Name name, int type) {
    return false;
  }

  /** Drops every cached entry (answers, RRsets, negative entries, infrastructure). */
  void flush();

  /** Drops the cached entries of {@code name} (all types) and of every name below it. */
  void flush(Name name);

  /** A snapshot of the cache and resolution counters. */
  CacheStats stats();

  /** Releases the upstream transport; in-flight resolutions complete with SERVFAIL. */
  @Override
  void close();
}
