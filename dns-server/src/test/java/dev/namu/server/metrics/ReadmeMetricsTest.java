package dev.namu.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.peers.ProjectRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's *Metrics and health* lists every metric namud exports, and no other. */
class ReadmeMetricsTest {
  /** A metric's name in backticks; `namu_resolver_`, a prefix, is none. */
  private static final Pattern METRIC = Pattern.compile("`(namu_[a-z0-9_]*[a-z0-9])`");
  /** The samples of a histogram or summary besides its name (Prometheus exposition format). */
  private static final Pattern PART = Pattern.compile("_(bucket|count|sum|max)$");

  @TempDir Path dir;

  @Test
  void theMetricsSectionListsEveryMetricExported() throws Exception {
    String readme = Files.readString(ProjectRoot.find().resolve("README.md"));
    int start = readme.indexOf("## Metrics and health");
    assertTrue(start >= 0, "README has no Metrics and health section");
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    Set<String> listed = new TreeSet<>();
    Matcher m = METRIC.matcher(section);
    while (m.find()) {
      listed.add(m.group(1));
    }
    assertTrue(listed.size() >= 20, "the section's metrics: " + listed);

    Set<String> exported = ExportedMetrics.names(dir);
    Set<String> unlisted = new TreeSet<>();
    for (String name : exported) {
      if (!listed.contains(name) && !listed.contains(PART.matcher(name).replaceFirst(""))) {
        unlisted.add(name);
      }
    }
    assertEquals(Set.of(), unlisted, "exported, not in README: listed " + listed);
    Set<String> stale = new TreeSet<>();
    for (String name : listed) {
      if (!exported.contains(name) && exported.stream().noneMatch(e -> PART.matcher(e).replaceFirst("").equals(name))) {
        stale.add(name);
      }
    }
    assertEquals(Set.of(), stale, "in README, not exported: exported " + exported);
  }
}
