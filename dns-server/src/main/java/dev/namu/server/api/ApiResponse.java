package dev.namu.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.zones.model.ZoneProblem;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One answer of the API: status, content type, body and any extra headers. */
record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

  static final String JSON = "application/json";

  ApiResponse {
    headers = Map.copyOf(headers);
  }

  static ApiResponse json(ObjectMapper mapper, int status, Object value) {
    try {
      return new ApiResponse(status, JSON, mapper.writeValueAsBytes(value), Map.of());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The error body every refusal has: {@code {"error": code, "message": text, "problems": [...]}},
   * and the refusal's own fields after the message.
   */
  static ApiResponse error(ObjectMapper mapper, ApiException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.code());
    body.put("message", e.getMessage());
    body.putAll(e.fields());
    if (!e.problems().isEmpty()) {
      List<String> problems = e.problems().stream().map(ZoneProblem::toString).toList();
      body.put("problems", problems);
    }
    ApiResponse r = json(mapper, e.status(), body);
    if (e.status() == 401) {
      return new ApiResponse(r.status(), r.contentType(), r.body(),
          Map.of("WWW-Authenticate", "Bearer realm=\"namud\""));
    }
    return r;
  }
}
