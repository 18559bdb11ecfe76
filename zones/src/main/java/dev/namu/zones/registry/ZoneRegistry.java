package dev.namu.zones.registry;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Holds the zone set being served. Readers call {@link #current()} once per request and answer
 * everything from that one set (STYLE.md habit 2); writers replace it whole, atomically.
 */
public final class ZoneRegistry {

  private final AtomicReference<ZoneSet> current;

  public ZoneRegistry() {
    this(ZoneSet.empty());
  }

  public ZoneRegistry(ZoneSet initial) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
  }

  public ZoneSet current() {
    return current.get();
  }

  public void publish(ZoneSet zones) {
    current.set(Objects.requireNonNull(zones, "zones"));
  }

  /**
   * Replaces the set with {@code change} applied to it, atomically; {@code change} may run more
   * than once when writers race, so it must have no side effects. Returns the set published.
   */
  public ZoneSet update(UnaryOperator<ZoneSet> change) {
    return current.updateAndGet(z -> Objects.requireNonNull(change.apply(z), "change result"));
  }
}
