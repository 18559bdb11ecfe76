package dev.namu.cli.client;

import java.util.List;

/** The server refused a request or could not be reached; namuctl prints the message and exits 1. */
public final class ApiFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<String> problems;

  public ApiFailure(String message, List<String> problems) {
    super(message, null, false, false);
    this.problems = List.copyOf(problems);
  }

  public ApiFailure(String message) {
    this(message, List.of());
  }

  public List<String> problems() {
    return problems;
  }
}
