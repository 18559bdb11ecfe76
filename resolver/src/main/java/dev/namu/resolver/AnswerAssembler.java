package dev.namu.resolver;

import dev.namu.resolver.cache.AnswerKind;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

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
   * @param dnssecOk the client set DO: the RRSIGs of the RRsets, and the NSEC/NSEC3 records of the
   *     authority section, go with them (RFC 4035 3.2.1); without DO they are left out
   * @param security the answer's DNSSEC status
   */
  Answer answer(CachedAnswer a, long nowNanos, boolean stale, long settledSeconds, boolean dnssecOk,
      Answer.Security security) {
    List<RRset> answer = sets(a.answer(), List.of(), nowNanos, stale, dnssecOk, Part.ALL);
    boolean allAuthority = !minimal || a.kind() != AnswerKind.POSITIVE;
    // Minimal responses leave the authority section of a positive answer out, but not the proof
    // that a wildcard answer's name does not exist (RFC 4035 3.1.3.3), for who asked with DO.
    List<RRset> authority = allAuthority || dnssecOk
        ? sets(a.authority(), List.of(), nowNanos, stale, dnssecOk,
            allAuthority ? Part.AUTHORITY : Part.PROOFS) : List.of();
    List<RRset> additional = !minimal || !a.additional().isEmpty()
        // an RRset already in the answer is not repeated as additional data
        ? sets(a.additional(), a.answer(), nowNanos, stale, dnssecOk, Part.ALL) : List.of();
    return new Answer(a.rcode(), answer, authority, additional, stale ? STALE : null,
        security, true, stale ? -1 : settledSeconds);
  }

  /** Which RRsets of a section go into the answer. */
  private enum Part {
    /** Every one (the answer section: an NSEC asked for by type is data). */
    ALL,
    /** Every one, NSEC and NSEC3 only with DO (RFC 4035 3.2.1). */
    AUTHORITY,
    /** The NSEC and NSEC3 sets alone. */
    PROOFS
  }

  /** @param dnssecOk with the signatures of every set */
  private List<RRset> sets(List<CachedRRset> rrsets, List<CachedRRset> exclude, long now, boolean stale,
      boolean dnssecOk, Part part) {
    if (rrsets.isEmpty()) {
      return List.of();
    }
    List<RRset> out = new ArrayList<>(rrsets.size());
    for (int i = 0; i < rrsets.size(); i++) {
      CachedRRset r = rrsets.get(i);
      if (repeated(rrsets, i, r) || repeated(exclude, exclude.size(), r)) {
        continue; // a DNAME used twice along a chain is listed once
      }
      boolean proof = r.type() == Type.NSEC || r.type() == Type.NSEC3;
      if ((part == Part.AUTHORITY && proof && !dnssecOk) || (part == Part.PROOFS && !proof)) {
        continue;
      }
      long ttl = stale ? Math.min(staleTtl, Math.max(r.ttlSeconds(), 1)) : r.remainingSeconds(now);
      List<Record> records = stale ? r.recordsWithTtl(ttl) : r.recordsAt(now);
      if (dnssecOk) {
        List<Record> sigs = r.signaturesWithTtl(ttl);
        if (!sigs.isEmpty()) {
          List<Record> both = new ArrayList<>(records.size() + sigs.size());
          both.addAll(records);
          both.addAll(sigs);
          records = both;
        }
      }
      out.add(new RRset(records));
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
