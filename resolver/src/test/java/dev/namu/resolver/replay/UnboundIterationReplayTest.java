package dev.namu.resolver.replay;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Unbound's 93 iteration scenarios (the shared conformance material beside the repository, read
 * in place: it may not be copied into the project), replayed in-process on a fake upstream and a
 * manual clock. A floor, not a list: fewer passes than {@link #FLOOR} is a regression; each
 * scenario that fails and why is in resolver/README.md.
 */
class UnboundIterationReplayTest {
  /** Scenarios that pass now (of 93); raise it with each one fixed. */
  static final int FLOOR = 80;
  static final int SCENARIOS = 93;

  @Test
  void unboundIterationScenariosPassAtLeastTheFloor() throws IOException {
    ReplayFloor.assertPassing("unbound-iter", SCENARIOS, FLOOR);
  }
}
