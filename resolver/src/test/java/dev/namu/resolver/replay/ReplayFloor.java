package dev.namu.resolver.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One set of Unbound's scenarios replayed whole, against a floor of passes. Where the material
 * is: {@code -Dnamu.conformance.dir=DIR}, else a {@code shared/conformance} directory beside the
 * repository or its parent ({@code ../shared} of /work/main and of the worktrees below /work/wt).
 * A checkout with a {@code shared} directory there but no scenarios in it fails; a clone without
 * any {@code shared} directory skips, saying so.
 */
final class ReplayFloor {

  private ReplayFloor() {}

  /**
   * Replays every scenario in {@code set} (a directory of the conformance material) and asserts
   * there are {@code scenarios} of them and at least {@code floor} pass.
   */
  static void assertPassing(String set, int scenarios, int floor) throws IOException {
    Path dir = scenarioDir().resolve(set);
    if (!Files.isDirectory(dir)) {
      fail("no Unbound scenarios at " + dir + " although the conformance material belongs there");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".rpl")).sorted().toList();
    }
    assertEquals(scenarios, files.size(), "scenario files in " + dir);
    List<String> failed = new ArrayList<>();
    for (Path f : files) {
      ReplayResult r = ReplayRunner.run(f);
      if (!r.passed()) failed.add(r.scenario() + ": " + r.reason());
    }
    int passed = files.size() - failed.size();
    System.out.println("Unbound replay of " + set + ": " + passed + " of " + files.size() + " pass");
    assertTrue(passed >= floor, passed + " of " + files.size() + " pass, fewer than the floor " + floor
        + "; failing:\n" + String.join("\n", failed));
  }

  /** The conformance directory, or a skip (with the reason) when this checkout has none beside it. */
  private static Path scenarioDir() {
    String override = System.getProperty("namu.conformance.dir");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    Path module = Path.of("").toAbsolutePath();
    Path repoRoot = Files.isDirectory(module.resolve("resolver")) ? module : module.getParent();
    Optional<Path> shared = Stream.of(repoRoot.resolveSibling("shared"), repoRoot.getParent().resolveSibling("shared"))
        .filter(Files::isDirectory).findFirst();
    Assumptions.assumeTrue(shared.isPresent(), "Unbound replay NOT run: no shared/conformance beside "
        + repoRoot + " (a clone without the conformance material); give it with -Dnamu.conformance.dir=DIR");
    return shared.get().resolve("conformance");
  }
}
