package dev.namu.resolver;

import dev.namu.resolver.cache.AnswerKind;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.RRset;

/** Turns a cached answer into the {@link Answer} for one question, TTLs as they are now. */
final class AnswerAssembler {
  private static final Answer.ExtendedError STALE =
      new Answer.ExtendedError(ExtendedErrorCodeOption.STALE_ANSWER, "served stale: upstream unreachable (RFC 8767)");

  private final boolean minimal;
  private final long staleTtl;

  /**
   * @param minimal leave authority NS and glue out of positive answers (minimal responses)
   * @param staleTtl the TTL of records served stale (RFC 8767 section 4)
   */
  AnswerAssembler(boolean minimal, long staleTtl) {
    this.minimal = minimal;
    this.staleTtl = staleTtl;
  }

  /**
   * The answer from {@code a} with the TTLs remaining at {@code nowNanos}, or at most
   * the stale TTL when it is {@code stale}.
   *
   * @param settledSeconds see {@link Answer#settledSeconds()}
   */
  Answer answer(CachedAnswer a, long nowNanos, boolean stale, long settledSeconds) {
    List<RRset> answer = sets(a.answer(), List.of(), nowNanos, stale);
    List<RRset> authority = !minimal || a.kind() != AnswerKind.POSITIVE
        ? sets(a.authority(), List.of(), nowNanos, stale) : List.of();
    List<RRset> additional = !minimal || !a.additional().isEmpty()
        // an RRset already in the answer is not repeated as additional data
        ? sets(a.additional(), a.answer(), nowNanos, stale) : List.of();
    return new Answer(a.rcode(), answer, authority, additional, stale ? STALE : null,
        Answer.Security.UNCHECKED, true, stale ? -1 : settledSeconds);
  }

  private List<RRset> sets(List<CachedRRset> rrsets, List<CachedRRset> exclude, long now, boolean stale) {
    if (rrsets.isEmpty()) {
      return List.of();
    }
    List<RRset> out = new ArrayList<>(rrsets.size());
    for (int i = 0; i < rrsets.size(); i++) {
      CachedRRset r = rrsets.get(i);
      if (repeated(rrsets, i, r) || repeated(exclude, exclude.size(), r)) {
        continue; // a DNAME used twice along a chain is listed once
      }
      out.add(new RRset(stale ? r.recordsWithTtl(Math.min(staleTtl, Math.max(r.ttlSeconds(), 1)))
          : r.recordsAt(now)));
    }
    return out;
  }

  /** True when one of the first {@code n} RRsets has the owner and type of {@code r}. */
  private static boolean repeated(List<CachedRRset> rrsets, int n, CachedRRset r) {
    for (int j = 0; j < n; j++) {
      CachedRRset o = rrsets.get(j);
      // the covered type as well: the signatures of an RRSIG question share the type RRSIG
      // but are one set per type they cover
      if (o.type() == r.type() && o.rrset().getType() == r.rrset().getType() && o.name().equals(r.name())) {
        return true;
      }
    }
    return false;
  }
}
