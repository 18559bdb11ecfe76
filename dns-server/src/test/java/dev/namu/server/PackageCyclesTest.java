package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server's packages depend on each other one way only (STYLE.md: the object graph is wired in
 * one place): read from the imports of the main sources, the graph of {@code dev.namu.server.*}
 * packages has no cycle.
 */
class PackageCyclesTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/namu/server");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.namu\\.server\\.([a-z]+)\\.", Pattern.MULTILINE);

  @Test
  void theServerPackagesFormNoCycle() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Path relative = SOURCES.relativize(f.getParent());
        if (relative.getNameCount() != 1 || relative.toString().isEmpty()) {
          continue; // the root package (main, wiring) may use every package
        }
        String from = relative.toString();
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          if (!m.group(1).equals(from)) {
            uses.computeIfAbsent(from, k -> new TreeSet<>()).add(m.group(1));
          }
        }
      }
    }
    assertTrue(uses.size() > 5, "the server's packages were read: " + uses);
    List<String> cycle = new ArrayList<>();
    for (String start : uses.keySet()) {
      if (cycleFrom(start, uses, new ArrayList<>(), cycle)) {
        break;
      }
    }
    assertEquals(List.of(), cycle, "a package cycle in " + uses);
  }

  private static boolean cycleFrom(String p, Map<String, Set<String>> uses, List<String> path, List<String> cycle) {
    int at = path.indexOf(p);
    if (at >= 0) {
      cycle.addAll(path.subList(at, path.size()));
      cycle.add(p);
      return true;
    }
    path.add(p);
    for (String next : uses.getOrDefault(p, Set.of())) {
      if (cycleFrom(next, uses, path, cycle)) {
        return true;
      }
    }
    path.remove(path.size() - 1);
    return false;
  }
}
