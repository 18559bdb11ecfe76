package dev.namu.zones.store.jdbc;

import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneWrite;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Child process of {@link StoreKillTest}: commits one record per edit and prints {@code ack N} after
 * each commit returned, forever, until it is killed.
 */
public final class StoreKillWriter {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String url = args.length > 1 ? args[1] : JdbcStoreConfig.h2(dir).url();
    ZoneStore store = JdbcZoneStore.open(new JdbcStoreConfig(url, "sa", "", 2));
    Name origin = Name.fromString("kill.test.");
    store.commit(List.of(new ZoneWrite.Put(origin, OptionalLong.empty(), 0, List.of(
        Record.fromString(origin, Type.SOA, 1, 60, "ns. admin. 0 60 60 60 60", Name.root),
        Record.fromString(origin, Type.NS, 1, 60, "ns.", Name.root)))), "kill");
    System.out.println("ready");
    System.out.flush();
    for (long i = 0; ; i++) {
      Record a = Record.fromString(Name.fromString("h" + i, origin), Type.A, 1, 60,
          "10.0." + (i / 256 % 256) + "." + (i % 256), Name.root);
      store.commit(List.of(new ZoneWrite.Patch(origin, i, i + 1, List.of(), List.of(a))), "kill");
      System.out.println("ack " + i);
      System.out.flush();
    }
  }
}
