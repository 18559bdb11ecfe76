package dev.namu.resolver.transport;

import java.io.IOException;

/** An upstream query got no usable reply. */
public final class UpstreamException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why the query failed. */
  public enum Kind { TIMEOUT, NETWORK }

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
