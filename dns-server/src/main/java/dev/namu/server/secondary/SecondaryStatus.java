package dev.namu.server.secondary;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.xbill.DNS.Name;

/**
 * One secondary zone at one moment, immutable: the serial held (empty before the first transfer),
 * the last refresh (when it ended, whether it succeeded, what it did or why it failed) and the
 * state.
 */
public record SecondaryStatus(Name origin, OptionalLong serial, Optional<Instant> lastRefresh,
    boolean lastSucceeded, String lastResult, RefreshState state, long refreshes, long failures,
    Optional<Name> catalog) {
  public SecondaryStatus {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(lastRefresh, "lastRefresh");
    Objects.requireNonNull(lastResult, "lastResult");
    Objects.requireNonNull(state, "state");
  }

  static SecondaryStatus initial(Name origin) {
    return initial(origin, Optional.empty());
  }

  /** Before the first refresh of a zone, a member of {@code catalog} when one is given. */
  static SecondaryStatus initial(Name origin, Optional<Name> catalog) {
    return new SecondaryStatus(origin, OptionalLong.empty(), Optional.empty(), false, "not refreshed yet",
        RefreshState.EXPIRED, 0, 0, catalog);
  }

  SecondaryStatus with(RefreshState next) {
    return new SecondaryStatus(origin, serial, lastRefresh, lastSucceeded, lastResult, next, refreshes, failures, catalog);
  }

  SecondaryStatus withSerial(long held) {
    return new SecondaryStatus(origin, OptionalLong.of(held), lastRefresh, lastSucceeded, lastResult, state,
        refreshes, failures, catalog);
  }

  /** After a refresh that ended at {@code at}. */
  SecondaryStatus refreshed(Instant at, boolean succeeded, String result, RefreshState next) {
    return new SecondaryStatus(origin, serial, Optional.of(at), succeeded, result, next,
        refreshes + (succeeded ? 1 : 0), failures + (succeeded ? 0 : 1), catalog);
  }

  /** The fields the zone list of the API shows for a secondary zone. */
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state.label());
    m.put("lastRefresh", lastRefresh.map(Instant::toString).orElse(null));
    m.put("lastRefreshResult", lastRefresh.isEmpty() ? null : (lastSucceeded ? "ok: " : "failed: ") + lastResult);
    catalog.ifPresent(c -> m.put("catalog", c.toString()));
    return m;
  }
}
