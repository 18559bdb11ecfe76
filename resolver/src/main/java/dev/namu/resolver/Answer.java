package dev.namu.resolver;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * What the resolver found for one question: data, not a message. The server writes the client's
 * reply from it (ID, flags, OPT and the extended error are the server's business).
 *
 * @param rcode the final name's rcode (RFC 6604 2.1)
 * @param answer the answer section's RRsets, TTLs as the cache has them now
 * @param authority the authority section's RRsets (SOA for negative answers, RFC 2308 3)
 * @param additional the additional section's RRsets, none repeated from the answer
 * @param extendedError the RFC 8914 error to report with this answer, or null
 * @param security the DNSSEC status of the data (RFC 4035 4.3)
 * @param recursed false when the question is not one a resolver resolves (a class other than IN,
 *     a meta type): such replies do not claim recursion is available
 * @param settledSeconds whole seconds left before the cache's entry for this answer expires, when
 *     the answer is settled (neither stale, RFC 8767, nor due for prefetch); -1 otherwise. Only a
 *     settled answer is worth a copy kept by the server: a stale one is for this moment only, and
 *     one due for prefetch is about to be replaced.
 */
public record Answer(
    int rcode,
    List<RRset> answer,
    List<RRset> authority,
    List<RRset> additional,
    ExtendedError extendedError,
    Security security,
    boolean recursed,
    long settledSeconds) {

  /** An RFC 8914 extended DNS error: INFO-CODE and EXTRA-TEXT. */
  public record ExtendedError(int code, String text) {}

  /** The DNSSEC status of an answer (RFC 4035 4.3). */
  public enum Security {
    /** Every RRset proven by a chain of signatures from a trust anchor (RFC 4035 4.3). */
    SECURE,
    /** Proven to have no DNSSEC chain of trust (RFC 4035 4.3), or below a negative trust anchor. */
    INSECURE,
    /**
     * Should be signed and is not, or its signatures fail (RFC 4035 4.3): given to a client only
     * when it asked with CD (RFC 4035 3.2.2), otherwise SERVFAIL.
     */
    BOGUS,
    /** Not validated: validation is off, or the client asked with CD. */
    UNCHECKED
  }

  public Answer {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
    additional = List.copyOf(additional);
  }

  /** SERVFAIL, with the extended error that says why. */
  public static Answer servfail(int edeCode, String text) {
    return new Answer(Rcode.SERVFAIL, List.of(), List.of(), List.of(),
        new ExtendedError(edeCode, text), Security.UNCHECKED, true, -1);
  }

  /** An rcode alone, for a question the resolver does not resolve (FORMERR, NOTIMP, REFUSED). */
  public static Answer unresolved(int rcode) {
    return new Answer(rcode, List.of(), List.of(), List.of(), null, Security.UNCHECKED, false, -1);
  }

  /** The records of one section ({@link Section#ANSWER}, AUTHORITY or ADDITIONAL), in order. */
  public List<Record> records(int section) {
    List<RRset> sets = switch (section) {
      case Section.ANSWER -> answer;
      case Section.AUTHORITY -> authority;
      case Section.ADDITIONAL -> additional;
      default -> List.of();
    };
    List<Record> out = new ArrayList<>();
    for (RRset s : sets) {
      out.addAll(s.rrs(false));
      out.addAll(s.sigs()); // an RRSIG set asked for by type is held as signatures
    }
    return out;
  }

  /** The smallest TTL of any record in the answer; -1 when it has none. */
  public long smallestTtl() {
    long min = smallest(answer, -1);
    min = smallest(authority, min);
    return smallest(additional, min);
  }

  private static long smallest(List<RRset> sets, long min) {
    for (RRset s : sets) {
      long ttl = s.getTTL();
      if (min < 0 || ttl < min) {
        min = ttl;
      }
    }
    return min;
  }
}
