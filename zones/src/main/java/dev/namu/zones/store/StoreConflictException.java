package dev.namu.zones.store;

/**
 * A write did not match the stored state: the zone exists already, does not exist, or its serial is not
 * the one the writer started from (a lost update was prevented). Nothing was changed.
 */
public final class StoreConflictException extends StoreException {
  public StoreConflictException(String message) {
    super(message);
  }
}
