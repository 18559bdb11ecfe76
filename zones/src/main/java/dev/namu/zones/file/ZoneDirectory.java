package dev.namu.zones.file;

import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A directory of zone files: every {@code NAME.zone} file is the zone NAME (its {@code $ORIGIN}
 * starts as NAME). A zone that fails to load is left out and its problems reported; the others
 * still load.
 */
public final class ZoneDirectory {

  /** The file name suffix of a zone file. */
  public static final String SUFFIX = ".zone";

  private ZoneDirectory() {}

  public static ZoneDirectoryLoad loadAll(Path dir) {
    List<ZoneProblem> problems = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : entries) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (IOException | SecurityException e) {
      problems.add(new ZoneProblem(dir.toString(), 0, "cannot read zone directory: " + describe(e)));
      return new ZoneDirectoryLoad(List.of(), problems, List.of());
    }
    files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    ZoneFileLoader loader = new ZoneFileLoader();
    List<ZoneSnapshot> zones = new ArrayList<>();
    List<Name> failed = new ArrayList<>();
    Map<Name, Path> seen = new HashMap<>();
    for (Path file : files) {
      Name origin;
      try {
        origin = originOf(file);
      } catch (TextParseException e) {
        problems.add(new ZoneProblem(file.toString(), 0,
            "file name does not give a valid zone name: " + e.getMessage()));
        continue;
      }
      Path earlier = seen.putIfAbsent(origin, file);
      if (earlier != null) {
        problems.add(new ZoneProblem(file.toString(), 0,
            "zone " + origin + " is already loaded from " + earlier + "; this file is ignored"));
        continue;
      }
      ZoneLoad load = loader.load(file, origin);
      if (load.ok()) {
        zones.add(load.zone().get());
      } else {
        failed.add(origin);
      }
      problems.addAll(load.problems());
    }
    return new ZoneDirectoryLoad(zones, problems, failed);
  }

  /** The zone a file holds by its name: {@code home.lan.zone} is {@code home.lan.} */
  public static Name originOf(Path file) throws TextParseException {
    String name = file.getFileName().toString();
    if (!name.endsWith(SUFFIX) || name.length() == SUFFIX.length()) {
      throw new TextParseException("not a NAME" + SUFFIX + " file: " + name);
    }
    return Name.fromString(name.substring(0, name.length() - SUFFIX.length()), Name.root);
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName().replace("Exception", "") + " " + e.getMessage();
  }
}
