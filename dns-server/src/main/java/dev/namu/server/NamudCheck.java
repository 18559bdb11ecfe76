package dev.namu.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.namu.server.admin.AdminServices;
import dev.namu.server.admin.DataDirectory;
import dev.namu.server.admin.PendingStoredZones;
import dev.namu.server.admin.StoredZoneCatalog;
import dev.namu.server.config.AdminConfig;
import dev.namu.server.config.EffectiveConfig;
import dev.namu.server.config.InitialZones;
import dev.namu.server.config.LogLevels;
import dev.namu.server.config.ServerConfig;
import dev.namu.server.recursion.ResolverSettings;
import dev.namu.server.tls.TlsKeyPair;
import dev.namu.zones.file.ZoneDirectoryLoad;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.store.StoredZone;
import dev.namu.zones.store.ZoneStore;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code namud --check}: the settings are good (they were read to get here) and every zone loads,
 * the zone files and the zone store when there is one, without binding a socket. Exit 0 when all
 * is well, 1 with each problem on a line of its own.
 */
final class NamudCheck {
  /** A zone loaded: where from and what it holds. */
  private record Loaded(String name, long serial, int records, String source) {}

  private NamudCheck() {}

  static int run(ServerConfig config, boolean json, PrintStream out, PrintStream err) {
    // the log would mix with the report (and the JSON) on standard output; problems are reported below
    try (LogLevels.Restore quiet = LogLevels.silenced()) {
      return check(config, json, out, err);
    }
  }

  private static int check(ServerConfig config, boolean json, PrintStream out, PrintStream err) {
    List<Loaded> zones = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try {
      ZoneDirectoryLoad files = InitialZones.files(config.zonesDir());
      files.problems().stream().map(ZoneProblem::toString).forEach(problems::add);
      for (ZoneSnapshot z : files.zones()) {
        zones.add(new Loaded(z.origin().toString(), z.serial(), z.records().size(), "file"));
      }
    } catch (IllegalArgumentException | UncheckedIOException e) {
      problems.add(e.getMessage());
    }
    if (config.recursion().enabled()) {
      try {
        ResolverSettings.of(config.recursion()); // reads the root hints file
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (config.tls().enabled()) {
      try {
        TlsKeyPair.read(config.tls().cert().get(), config.tls().key().get());
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (hasStore(config.admin())) {
      try {
        for (StoredZone z : storedZones(config.admin())) {
          zones.add(new Loaded(z.origin().toString(), z.serial(), z.records().size(), "store"));
        }
      } catch (IllegalStateException e) {
        problems.add(e.getMessage());
      }
    }
    problems.forEach(err::println);
    if (json) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("config", EffectiveConfig.of(config));
      report.put("zones", zones);
      report.put("problems", problems);
      try {
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("cannot write the report as JSON", e);
      }
    } else {
      for (Loaded z : zones) {
        out.println("zone " + z.name() + " serial " + z.serial() + ", " + z.records() + " records (" + z.source() + ")");
      }
      out.println(problems.isEmpty()
          ? "namud: settings and " + zones.size() + " zone(s) are good"
          : "namud: " + problems.size() + " problem(s); namud would not serve as configured");
    }
    return problems.isEmpty() ? 0 : 1;
  }

  /**
   * The store is checked when there is one to check: a database given with --store-url, or a data
   * directory that holds a store (or lists stored zones, whose loss the start-up check reports).
   * A data directory with neither is a store namud would create empty.
   */
  private static boolean hasStore(AdminConfig admin) {
    return admin.storeUrl().isPresent()
        || Files.exists(admin.dataDir().resolve(PendingStoredZones.STORE_FILE))
        || Files.exists(admin.dataDir().resolve(StoredZoneCatalog.FILE));
  }

  /** @throws IllegalStateException with a one-line reason when the store cannot be read */
  private static List<StoredZone> storedZones(AdminConfig admin) {
    try (DataDirectory data = DataDirectory.claim(admin); ZoneStore store = AdminServices.openStore(admin)) {
      return store.loadAll();
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the zone store: " + e.getMessage(), e);
    }
  }
}
