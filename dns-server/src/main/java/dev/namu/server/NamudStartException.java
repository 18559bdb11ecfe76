package dev.namu.server;

/**
 * namud could not start. The message is one line for the user, saying what failed and what to do,
 * printed by {@link Namud} as {@code namud: MESSAGE}.
 */
public final class NamudStartException extends RuntimeException {
  public NamudStartException(String message) {
    super(message);
  }

  public NamudStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
