package dev.namu.zones.model;

import java.util.List;

/** A zone's records do not form a valid zone; {@link #problems()} says each reason, with file and line. */
public final class ZoneValidationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ZoneProblem> problems;

  public ZoneValidationException(List<ZoneProblem> problems) {
    super(summary(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<ZoneProblem> problems() {
    return problems;
  }

  private static String summary(List<ZoneProblem> problems) {
    if (problems.isEmpty()) {
      return "invalid zone";
    }
    String first = problems.get(0).toString();
    return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more problems)";
  }
}
