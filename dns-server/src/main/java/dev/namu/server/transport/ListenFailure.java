package dev.namu.server.transport;

import java.net.InetSocketAddress;

/** A listen address that could not be bound, with the reason in words a user can act on. */
public final class ListenFailure extends RuntimeException {
  private final InetSocketAddress address;
  private final String protocol;
  private final Reason reason;

  /** Why binding failed. */
  public enum Reason {
    ADDRESS_IN_USE("address in use"),
    PERMISSION_DENIED("permission denied"),
    ADDRESS_NOT_AVAILABLE("address not available on this machine"),
    OTHER("error");

    private final String words;

    Reason(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  public ListenFailure(InetSocketAddress address, String protocol, Reason reason, String detail) {
    super(protocol + " " + address + ": " + (reason == Reason.OTHER ? detail : reason.words()));
    this.address = address;
    this.protocol = protocol;
    this.reason = reason;
  }

  public InetSocketAddress address() {
    return address;
  }

  /** "UDP" or "TCP". */
  public String protocol() {
    return protocol;
  }

  public Reason reason() {
    return reason;
  }

  /** Sorts a bind exception from NIO or native epoll by its message (both use the errno text). */
  static Reason classify(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (m.contains("in use")) {
        return Reason.ADDRESS_IN_USE;
      }
      if (m.contains("permission denied") || m.contains("access denied")) {
        return Reason.PERMISSION_DENIED;
      }
      if (m.contains("cannot assign requested address")
          || m.contains("address family not supported")
          || m.contains("protocol family unavailable")
          || m.contains("not available")) {
        return Reason.ADDRESS_NOT_AVAILABLE;
      }
    }
    return Reason.OTHER;
  }
}
