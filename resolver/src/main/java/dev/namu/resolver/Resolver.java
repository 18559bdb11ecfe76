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
   * Whole seconds left before the cached answer for {@code name}/{@code type} expires, or -1 when
   * there is none, it is stale, or it is due for prefetch. Touches no counters and starts no
   * prefetch: a server that keeps copies of replies asks this before keeping one, so that it
   * never copies a stale answer (RFC 8767), one about to be replaced by a prefetch, or one older
   * than what the cache now holds (a reply whose TTLs are below this was made from data the
   * cache has since refreshed).
   */
  default long settledSecondsLeft(Name name, int type) {
    return -1;
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
