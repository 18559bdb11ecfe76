package dev.namu.perf;

import dev.namu.zones.file.ZoneDirectory;
import dev.namu.zones.file.ZoneDirectoryLoad;
import dev.namu.zones.registry.ZoneSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A zone shaped like the load benchmark's bench.test. (hosts with A, some AAAA, MX and TXT),
 * loaded through the zone-file loader, and a query mix over it: 80% existing names, 10% NXDOMAIN,
 * 10% NODATA, a third of them with EDNS.
 */
final class BenchZone {
  static final Name ORIGIN = Name.fromConstantString("bench.test.");

  final ZoneSet zones;
  final byte[][] queries;
  final Name[] names;
  final int[] types;

  private BenchZone(ZoneSet zones, byte[][] queries, Name[] names, int[] types) {
    this.zones = zones;
    this.queries = queries;
    this.names = names;
    this.types = types;
  }

  static BenchZone create(int hosts, int queryCount) {
    Path dir;
    try {
      dir = Files.createTempDirectory("namu-jmh");
      StringBuilder z = new StringBuilder();
      z.append("$ORIGIN bench.test.\n$TTL 3600\n")
          .append("@ SOA ns1 hostmaster 2024010101 3600 600 864000 300\n")
          .append("@ NS ns1\n@ NS ns2\nns1 A 127.0.0.1\nns2 A 127.0.0.2\nmail A 127.0.0.11\n");
      for (int i = 0; i < hosts; i++) {
        String h = String.format("h%06d", i);
        z.append(h).append(" A 10.").append(i >> 16 & 255).append('.').append(i >> 8 & 255)
            .append('.').append(i & 255).append('\n');
        if (i % 2 == 0) {
          z.append(h).append(" AAAA 2001:db8::").append(Integer.toHexString(i >> 16)).append(':')
              .append(Integer.toHexString(i & 0xffff)).append('\n');
        }
        if (i % 4 == 0) {
          z.append(h).append(" MX 10 mail\n");
        }
        if (i % 5 == 0) {
          z.append(h).append(" TXT \"host ").append(i).append(" benchmark text record\"\n");
        }
      }
      Files.writeString(dir.resolve("bench.test.zone"), z);
      ZoneDirectoryLoad load = ZoneDirectory.loadAll(dir);
      deleteTree(dir);
      if (!load.problems().isEmpty()) {
        throw new IllegalStateException("benchmark zone did not load: " + load.problems());
      }
      ZoneSet zones = ZoneSet.of(load.zones());
      Random random = new Random(42);
      byte[][] queries = new byte[queryCount][];
      Name[] names = new Name[queryCount];
      int[] types = new int[queryCount];
      for (int q = 0; q < queryCount; q++) {
        int host = random.nextInt(hosts);
        int pick = random.nextInt(10);
        String label = pick == 0 ? String.format("nx%06d", host) : String.format("h%06d", host);
        int type = pick == 1 ? Type.SRV : (host % 2 == 0 && random.nextBoolean() ? Type.AAAA : Type.A);
        Name name = Name.fromString(label, ORIGIN);
        Message m = Message.newQuery(Record.newRecord(name, type, 1));
        m.getHeader().setID(random.nextInt(65536));
        if (q % 3 == 0) {
          m.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
        }
        queries[q] = m.toWire();
        names[q] = name;
        types[q] = type;
      }
      return new BenchZone(zones, queries, names, types);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
