package dev.namu.server.api;

import dev.namu.zones.model.ZoneProblem;
import java.util.List;

/** A request the API refuses: an HTTP status, a short error code, a message the user can act on. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient List<ZoneProblem> problems;

  public ApiException(int status, String code, String message, List<ZoneProblem> problems) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.problems = List.copyOf(problems);
  }

  public ApiException(int status, String code, String message) {
    this(status, code, message, List.of());
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<ZoneProblem> problems() {
    return problems;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }
}
