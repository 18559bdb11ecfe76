package dev.namu.zones.model;

import java.util.Objects;

/**
 * One thing wrong with a zone, placed where a user can fix it.
 *
 * @param file the file (or other source) the problem is in
 * @param line 1-based line in that file, 0 when the problem has no single line (a missing SOA, say)
 * @param message what is wrong, in words a user can act on
 */
public record ZoneProblem(String file, int line, String message) {

  public ZoneProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** The {@code file:line: message} form compilers and named-checkzone use. */
  @Override
  public String toString() {
    return file + ":" + line + ": " + message;
  }
}
