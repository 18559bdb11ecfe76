package dev.namu.resolver.validate;

import dev.namu.resolver.Answer;

/**
 * What validation found for one answer (RFC 4035 4.3).
 *
 * @param security secure, insecure or bogus
 * @param edeCode the RFC 8914 INFO-CODE that says why a bogus answer is bogus; -1 otherwise
 * @param reason why, in words (for a bogus answer, and for an insecure one where it is known)
 */
public record Verdict(Answer.Security security, int edeCode, String reason) {
  /** Proven not to be signed, or not validated by choice (a negative trust anchor). */
  public static Verdict insecure(String reason) {
    return new Verdict(Answer.Security.INSECURE, -1, reason);
  }

  public boolean bogus() {
    return security == Answer.Security.BOGUS;
  }
}
