package dev.namu.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of request JSON with messages that say which field was wrong. */
final class Body {
  private Body() {}

  static String text(JsonNode body, String field, boolean required) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw ApiException.badRequest("field \"" + field + "\" is required");
      }
      return null;
    }
    if (!v.isTextual() && !v.isNumber()) {
      throw ApiException.badRequest("field \"" + field + "\" must be a string");
    }
    return v.asText();
  }

  static long number(JsonNode body, String field, long fallback) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ApiException.badRequest("field \"" + field + "\" must be a whole number");
    }
    return v.asLong();
  }

  static boolean bool(JsonNode body, String field, boolean fallback) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw ApiException.badRequest("field \"" + field + "\" must be true or false");
    }
    return v.asBoolean();
  }

  /** A string or an array of strings; missing is an empty list. */
  static List<String> texts(JsonNode body, String field) {
    JsonNode v = body.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isTextual()) {
      out.add(v.asText());
      return out;
    }
    if (!v.isArray()) {
      throw ApiException.badRequest("field \"" + field + "\" must be a string or an array of strings");
    }
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw ApiException.badRequest("field \"" + field + "\" must contain only strings");
      }
      out.add(e.asText());
    }
    return out;
  }
}
