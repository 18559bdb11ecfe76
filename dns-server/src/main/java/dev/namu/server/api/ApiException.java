package dev.namu.server.api;

import dev.namu.zones.model.ZoneProblem;
import java.util.List;
import java.util.Map;

/** A request the API refuses: an HTTP status, a short error code, a message the user can act on. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient List<ZoneProblem> problems;
  /** More fields of the JSON error, for scripts: {@code "outside": "zone"} of a scope refusal. */
  private final transient Map<String, String> fields;

  public ApiException(int status, String code, String message, List<ZoneProblem> problems) {
    this(status, code, message, problems, Map.of());
  }

  private ApiException(int status, String code, String message, List<ZoneProblem> problems,
      Map<String, String> fields) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.problems = List.copyOf(problems);
    this.fields = Map.copyOf(fields);
  }

  /** A refusal whose JSON error has {@code fields} besides its code and message. */
  static ApiException withFields(int status, String code, String message, Map<String, String> fields) {
    return new ApiException(status, code, message, List.of(), fields);
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

  public Map<String, String> fields() {
    return fields;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }
}
