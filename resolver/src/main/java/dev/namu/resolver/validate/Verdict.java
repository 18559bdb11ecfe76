package dev.namu.resolver.validate;

import dev.namu.resolver.Answer;

/**
 * What validation found for one answer (RFC 4035 4.3).
 *
 * @param security secure, insecure or bogus
 * @param edeCode the RFC 8914 INFO-CODE that says why a bogus answer is bogus; -1 otherwise
 * @param reason why, in words (for a bogus answer, and for an insecure one where it is known)
 * @param unresolved no verdict at all: a DS or DNSKEY set of the chain could not be looked up, so
 *     the answer is neither proven nor disproven. The client gets SERVFAIL (a resolution failure,
 *     RFC 9520 3: remembered for seconds at most, where it is remembered, with the lookup that
 *     failed), and the answer is judged again when next asked; {@code security} is BOGUS
 */
public record Verdict(Answer.Security security, int edeCode, String reason, boolean unresolved) {
  public Verdict(Answer.Security security, int edeCode, String reason) {
    this(security, edeCode, reason, false);
  }

  /** Proven not to be signed, or not validated by choice (a negative trust anchor). */
  public static Verdict insecure(String reason) {
    return new Verdict(Answer.Security.INSECURE, -1, reason);
  }

  /** A lookup the chain needed failed: no verdict, a SERVFAIL with its extended error. */
  public static Verdict unresolved(int edeCode, String reason) {
    return new Verdict(Answer.Security.BOGUS, edeCode, reason, true);
  }

  public boolean bogus() {
    return security == Answer.Security.BOGUS;
  }
}
