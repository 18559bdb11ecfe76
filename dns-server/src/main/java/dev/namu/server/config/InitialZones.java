package dev.namu.server.config;

import dev.namu.server.auth.LocalZones;
import dev.namu.server.auth.LocallyServedZones;
import dev.namu.zones.file.ZoneDirectory;
import dev.namu.zones.file.ZoneDirectoryLoad;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zones namud serves at start-up: every {@code NAME.zone} in the zones directory, or the
 * example zones built into namud, plus the loopback zones. A zone with problems is reported, one
 * {@code file:line: message} per line, and left out; the others are served.
 */
public final class InitialZones {
  private static final Logger log = LoggerFactory.getLogger(InitialZones.class);

  /** Where the example zones live on the class path (in the jar). */
  public static final String DEFAULTS = "dev/namu/server/defaults/zones/";

  private InitialZones() {}

  /**
   * @throws IllegalArgumentException when the zones directory does not exist or is not a directory
   */
  public static ZoneSet load(Optional<Path> zonesDir) {
    return load(zonesDir, LocallyServedZones.none());
  }

  /**
   * As {@link #load(Optional)}, without the loopback zones {@code local} turns off.
   *
   * @throws IllegalArgumentException when the zones directory does not exist or is not a directory
   */
  public static ZoneSet load(Optional<Path> zonesDir, LocallyServedZones local) {
    ZoneDirectoryLoad load = files(zonesDir);
    load.problems().forEach(p -> log.warn("{}", p));
    for (ZoneSnapshot z : load.zones()) {
      log.info("zone {} loaded, serial {}", z.origin(), z.serial());
      logWarnings(z);
    }
    if (zonesDir.isPresent() && load.zones().isEmpty()) {
      log.warn("no zone served from {}: put one NAME.zone file per zone there", zonesDir.get());
    }
    return ZoneSet.of(withLocalZones(load.zones(), local));
  }

  /**
   * {@code zones} and the loopback zones none of them covers and {@code local} does not turn off:
   * what namud serves of its files.
   */
  public static List<ZoneSnapshot> withLocalZones(List<ZoneSnapshot> zones, LocallyServedZones local) {
    List<ZoneSnapshot> all = new ArrayList<>(zones);
    all.addAll(LocalZones.notCoveredBy(ZoneSet.of(zones), local));
    return all;
  }

  /**
   * The zones of the zones directory, or the built-in examples without one, and the problems of
   * those that did not load; nothing logged ({@code namud --check} reports them itself).
   *
   * @throws IllegalArgumentException when the zones directory does not exist or is not a directory
   */
  public static ZoneDirectoryLoad files(Optional<Path> zonesDir) {
    if (zonesDir.isEmpty()) {
      return loadDefaults();
    }
    Path dir = zonesDir.get();
    directoryProblem(dir).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    return ZoneDirectory.loadAll(dir);
  }

  /** What keeps {@code dir} from being a zones directory, or empty when nothing does. */
  public static Optional<String> directoryProblem(Path dir) {
    if (Files.isDirectory(dir)) {
      return Optional.empty();
    }
    return Optional.of("zones directory " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
  }

  /**
   * Loads the temporary copy of the built-in zones; its problems name the class path, not the
   * copy.
   */
  private static ZoneDirectoryLoad loadCopy(Path dir, String shownAs) {
    ZoneDirectoryLoad load = ZoneDirectory.loadAll(dir);
    List<ZoneProblem> shown = new ArrayList<>();
    for (ZoneProblem p : load.problems()) {
      if (p.file() != null && p.file().startsWith(dir.toString())) {
        String rest = p.file().substring(dir.toString().length()).replaceFirst("^[/\\\\]", "");
        shown.add(new ZoneProblem(shownAs + rest, p.line(), p.message()));
      } else {
        shown.add(p);
      }
    }
    return new ZoneDirectoryLoad(load.zones(), shown, load.failed());
  }

  /** Few enough to read; a generated zone with one mistake repeated would otherwise flood the log. */
  private static final int WARNINGS_SHOWN = 20;

  /**
   * Logs what loads but is probably a mistake (TTLs differing in an RRset, data hidden below a
   * cut, NS or MX naming a CNAME), as NSD and named do at load time.
   */
  public static void logWarnings(ZoneSnapshot zone) {
    List<ZoneProblem> warnings = zone.warnings();
    for (int i = 0; i < Math.min(WARNINGS_SHOWN, warnings.size()); i++) {
      log.warn("{} (zone {} loads anyway)", warnings.get(i), zone.origin());
    }
    if (warnings.size() > WARNINGS_SHOWN) {
      log.warn("zone {}: {} more warnings not shown; `namuctl zone check` lists them all",
          zone.origin(), warnings.size() - WARNINGS_SHOWN);
    }
  }

  /**
   * The example zones shipped in namud. They are copied out of the class path (a jar, usually)
   * into a temporary directory so the ordinary zone file loader reads them, then deleted.
   */
  private static ZoneDirectoryLoad loadDefaults() {
    URL url = InitialZones.class.getClassLoader().getResource(DEFAULTS);
    if (url == null) {
      log.warn("no built-in example zones found on the class path ({})", DEFAULTS);
      return new ZoneDirectoryLoad(List.of(), List.of());
    }
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("namud-zones");
      copyZoneFiles(url.toURI(), tmp);
      return loadCopy(tmp, "classpath:" + DEFAULTS);
    } catch (IOException | URISyntaxException e) {
      log.warn("could not read the built-in example zones: {}", e.toString());
      return new ZoneDirectoryLoad(List.of(), List.of());
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  private static void copyZoneFiles(URI uri, Path target) throws IOException {
    if ("jar".equals(uri.getScheme())) {
      FileSystem fs;
      boolean ours = false;
      try {
        fs = FileSystems.newFileSystem(uri, Map.of());
        ours = true;
      } catch (FileSystemAlreadyExistsException e) {
        fs = FileSystems.getFileSystem(uri);
      }
      try {
        copyFrom(fs.getPath("/" + DEFAULTS), target);
      } finally {
        if (ours) {
          fs.close();
        }
      }
    } else {
      copyFrom(Path.of(uri), target);
    }
  }

  private static void copyFrom(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString().replace("/", "");
        if (name.endsWith(ZoneDirectory.SUFFIX) && Files.isRegularFile(f)) {
          Files.copy(f, target.resolve(name));
        }
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      log.debug("could not delete {}: {}", dir, e.toString());
    }
  }
}
