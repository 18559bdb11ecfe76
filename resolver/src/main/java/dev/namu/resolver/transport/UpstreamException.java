package dev.namu.resolver.transport;

import java.io.IOException;

/** An upstream query got no usable reply. */
public final class UpstreamException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Why the query failed: no reply in time, a network error, or (with 0x20) no reply but ones that
   * repeated the question in another case than sent.
   */
  public enum Kind { TIMEOUT, NETWORK, CASE_MISMATCH }

  private final Kind kind;

  public UpstreamException(Kind kind, String message) {
    super(message, null);
    this.kind = kind;
  }

  public UpstreamException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // frequent and expected; the stack says nothing useful
  }
}
