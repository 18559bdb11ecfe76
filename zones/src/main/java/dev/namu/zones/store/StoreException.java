package dev.namu.zones.store;

/** The store could not read or write (database down, disk full...); nothing was changed. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
