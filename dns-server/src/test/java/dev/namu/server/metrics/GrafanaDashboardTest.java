package dev.namu.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.peers.ProjectRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Grafana dashboard shipped beside namud asks only for metrics namud exports. */
class GrafanaDashboardTest {
  private static final Pattern METRIC = Pattern.compile("\\bnamu_[a-z0-9_]+");

  @TempDir Path dir;

  @Test
  void everyExpressionNamesAMetricNamudExports() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(
        ProjectRoot.find().resolve("dns-server/src/main/dist/grafana-namud.json").toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.path("expr").asText());
      }
    }
    assertTrue(exprs.size() >= 10, "the dashboard has its panels: " + exprs);

    Set<String> exported = ExportedMetrics.names(dir);
    Set<String> missing = new TreeSet<>();
    int named = 0;
    for (String expr : exprs) {
      Matcher m = METRIC.matcher(expr);
      boolean any = false;
      while (m.find()) {
        any = true;
        if (!exported.contains(m.group())) {
          missing.add(m.group());
        }
      }
      assertTrue(any, "an expression without a namu metric: " + expr);
      named++;
    }
    assertEquals(exprs.size(), named);
    assertEquals(Set.of(), missing, "the dashboard asks for metrics namud does not export: " + exported);
  }
}
