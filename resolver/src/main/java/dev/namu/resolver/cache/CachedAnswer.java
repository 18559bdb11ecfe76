package dev.namu.resolver.cache;

import java.util.List;

/**
 * A whole reply to one question, as cached: rcode and the three sections (RRsets keep their own
 * expiry). Expires with its shortest RRset, or for negative answers with the SOA-derived
 * negative TTL (RFC 2308 section 5).
 */
public final class CachedAnswer {
  private final AnswerKind kind;
  private final int rcode;
  private final List<CachedRRset> answer;
  private final List<CachedRRset> authority;
  private final List<CachedRRset> additional;
  private final long expiresAtNanos;
  private final long ttlSeconds;

  public CachedAnswer(AnswerKind kind, int rcode, List<CachedRRset> answer, List<CachedRRset> authority,
      List<CachedRRset> additional, long expiresAtNanos, long ttlSeconds) {
    this.kind = kind;
    this.rcode = rcode;
    this.answer = List.copyOf(answer);
    this.authority = List.copyOf(authority);
    this.additional = List.copyOf(additional);
    this.expiresAtNanos = expiresAtNanos;
    this.ttlSeconds = ttlSeconds;
  }

  /** A positive answer expiring with its shortest RRset. */
  public static CachedAnswer positive(List<CachedRRset> answer, List<CachedRRset> authority,
      List<CachedRRset> additional) {
    long exp = Long.MAX_VALUE;
    long ttl = Long.MAX_VALUE;
    for (CachedRRset r : answer) {
      if (r.expiresAtNanos() < exp) {
        exp = r.expiresAtNanos();
      }
      ttl = Math.min(ttl, r.ttlSeconds());
    }
    for (CachedRRset r : authority) {
      if (r.expiresAtNanos() < exp) {
        exp = r.expiresAtNanos();
      }
    }
    return new CachedAnswer(AnswerKind.POSITIVE, 0, answer, authority, additional, exp,
        ttl == Long.MAX_VALUE ? 0 : ttl);
  }

  public AnswerKind kind() { return kind; }
  public int rcode() { return rcode; }
  public List<CachedRRset> answer() { return answer; }
  public List<CachedRRset> authority() { return authority; }
  public List<CachedRRset> additional() { return additional; }
  public long expiresAtNanos() { return expiresAtNanos; }
  public long ttlSeconds() { return ttlSeconds; }

  public boolean expired(long nowNanos) {
    return nowNanos - expiresAtNanos >= 0;
  }

  public long remainingSeconds(long nowNanos) {
    long left = expiresAtNanos - nowNanos;
    return left <= 0 ? 0 : left / 1_000_000_000L;
  }

  public int weight() {
    int w = 96;
    for (CachedRRset r : answer) w += 16;
    for (CachedRRset r : authority) w += 16 + (kind == AnswerKind.POSITIVE ? 0 : r.weight());
    for (CachedRRset r : additional) w += 16;
    return w;
  }
}
