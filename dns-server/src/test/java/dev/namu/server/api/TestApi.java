package dev.namu.server.api;

import dev.namu.server.update.TsigKeyring;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.ZoneStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The admin API as the API tests run it: on a free loopback port, over their store and editor. */
final class TestApi {
  private TestApi() {}

  /** A server that reloads nothing, started at {@code startedAt}, that has answered {@code queries}. */
  record FixedControl(Instant startedAt, long queries) implements ServerControl {
    @Override
    public ReloadReport reload() {
      return new ReloadReport(0, List.of());
    }

    @Override
    public OptionalLong queriesAnswered() {
      return OptionalLong.of(queries);
    }
  }

  static AdminApi start(ApiToken token, ZoneEditor editor, ZoneStore store, ZoneRegistry registry,
      ServerControl control, ApiLimits limits) throws IOException {
    return AdminApi.start(new InetSocketAddress("127.0.0.1", 0), token, editor, store, registry,
        new TsigKeyring(store), control, Optional.empty(), Clock.systemUTC(), limits, new ApiEdits());
  }
}
