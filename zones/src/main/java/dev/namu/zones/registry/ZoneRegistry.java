package dev.namu.zones.registry;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Holds the zone set being served. Readers call {@link #current()} once per request and answer
 * everything from that one set (STYLE.md habit 2); writers replace it whole, atomically.
 */
public final class ZoneRegistry {

  private final AtomicReference<ZoneSet> current;
  private final Consumer<ZoneSet> published;

  public ZoneRegistry() {
    this(ZoneSet.empty());
  }

  public ZoneRegistry(ZoneSet initial) {
    this(initial, set -> {});
  }

  /**
   * @param published told of every set published after {@code initial}, once it is the current
   *     one (the NOTIFY of changed zones); runs on the publishing thread, so it must not block
   */
  public ZoneRegistry(ZoneSet initial, Consumer<ZoneSet> published) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    this.published = Objects.requireNonNull(published, "published");
  }

  public ZoneSet current() {
    return current.get();
  }

  public void publish(ZoneSet zones) {
    current.set(Objects.requireNonNull(zones, "zones"));
    published.accept(zones);
  }

  /**
   * Replaces the set with {@code change} applied to it, atomically; {@code change} may run more
   * than once when writers race, so it must have no side effects. Returns the set published.
   */
  public ZoneSet update(UnaryOperator<ZoneSet> change) {
    ZoneSet set = current.updateAndGet(z -> Objects.requireNonNull(change.apply(z), "change result"));
    published.accept(set);
    return set;
  }
}
