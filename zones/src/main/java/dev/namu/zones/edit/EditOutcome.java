package dev.namu.zones.edit;

import dev.namu.zones.model.ZoneProblem;
import java.util.List;
import java.util.Objects;

/** The closed set of results of an edit: committed and published, or rejected with nothing changed. */
public sealed interface EditOutcome {

  /**
   * Committed to the store and published. {@code diffs} has one entry per zone that changed; empty
   * when the edit was valid but changed nothing (adding a record that is already there), in which case
   * no serial advanced and no journal row was written.
   */
  record Applied(List<ZoneDiff> diffs) implements EditOutcome {
    public Applied {
      diffs = List.copyOf(diffs);
    }

    public boolean changed() {
      return !diffs.isEmpty();
    }
  }

  /** Nothing was changed anywhere; {@code message} says why in words a user can act on. */
  record Rejected(RejectReason reason, String message, List<ZoneProblem> problems) implements EditOutcome {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
      problems = List.copyOf(problems);
    }

    public Rejected(RejectReason reason, String message) {
      this(reason, message, List.of());
    }
  }
}
