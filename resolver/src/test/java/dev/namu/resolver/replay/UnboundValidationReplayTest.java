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
import org.junit.jupiter.api.Test;

/**
 * Unbound's 157 validation scenarios (val_*.rpl: trust anchors, the validator's clock at
 * val-override-date, AD and SERVFAIL checked; the shared conformance material beside the
 * repository, read in place: it may not be copied into the project), replayed in-process on a
 * fake upstream and a manual clock, as {@link UnboundIterationReplayTest} replays the iteration
 * scenarios. A floor, not a list: fewer passes than {@link #FLOOR} is a regression; each
 * scenario that fails and why is in resolver/README.md.
 *
 * <p>Where the material is: {@code -Dnamu.conformance.dir=DIR}, else a {@code shared/conformance}
 * directory beside the repository or its parent ({@code ../shared} of /work/main and of the
 * worktrees below /work/wt). A checkout with a {@code shared} directory there but no scenarios
 * in it fails; a clone without any {@code shared} directory skips, saying so.
 */
class UnboundValidationReplayTest {
  /**
   * Scenarios that pass now (of 157): a ratchet, raised with each one fixed, never lowered. Most
   * of the others are signed with DSA, which is not validated (RFC 8624 3.1; see resolver/README.md).
   */
  static final int FLOOR = 65;
  static final int SCENARIOS = 157;

  @Test
  void unboundValidationScenariosPassAtLeastTheFloor() throws IOException {
    Path dir = scenarioDir().resolve("unbound-val");
    if (!Files.isDirectory(dir)) {
      fail("no Unbound scenarios at " + dir + " although the conformance material belongs there");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".rpl")).sorted().toList();
    }
    assertEquals(SCENARIOS, files.size(), "scenario files in " + dir);
    List<String> failed = new ArrayList<>();
    for (Path f : files) {
      ReplayResult r = ReplayRunner.run(f);
      if (!r.passed()) failed.add(r.scenario() + ": " + r.reason());
    }
    int passed = files.size() - failed.size();
    System.out.println("Unbound validation replay: " + passed + " of " + files.size() + " pass");
    assertTrue(passed >= FLOOR, passed + " of " + files.size() + " pass, fewer than the floor " + FLOOR
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
