package dev.namu.resolver.iterate;

import org.xbill.DNS.ExtendedErrorCodeOption;

/**
 * Resolution of a client question failed: the client gets SERVFAIL with this RFC 8914 extended
 * error. Travels through future chains; carries no stack trace (expected, frequent).
 */
public final class ResolutionFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int edeCode;
  private final boolean limit;
  private final boolean overload;

  public ResolutionFailure(int edeCode, String text) {
    this(edeCode, text, false, false);
  }

  private ResolutionFailure(int edeCode, String text, boolean limit, boolean overload) {
    super(text, null, false, false);
    this.edeCode = edeCode;
    this.limit = limit;
    this.overload = overload;
  }

  /**
   * A bound on work in flight was full ({@link dev.namu.resolver.InFlightLimits}): the question
   * fails at once like an exhausted budget, but the failure says nothing of the question itself,
   * so it is not remembered as the question's failure (RFC 9520 caches failures of resolution).
   */
  public static ResolutionFailure overload(String text) {
    return new ResolutionFailure(ExtendedErrorCodeOption.OTHER, text, true, true);
  }

  /** True for a failure of {@link #overload}. */
  public boolean isOverload() {
    return overload;
  }

  /** A budget from {@link dev.namu.resolver.Limits} ran out. */
  public static ResolutionFailure limit(String text) {
    return new ResolutionFailure(ExtendedErrorCodeOption.OTHER, text, true, false);
  }

  /** RFC 8914 INFO-CODE. */
  public int edeCode() {
    return edeCode;
  }

  /** True for an exhausted budget: the whole question fails, no fallback is tried. */
  public boolean isLimit() {
    return limit;
  }

  /** Unwraps CompletionException layers down to a ResolutionFailure, or wraps anything else. */
  public static ResolutionFailure of(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
        || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof ResolutionFailure f) return f;
    return new ResolutionFailure(ExtendedErrorCodeOption.OTHER, "internal error: " + c);
  }
}
