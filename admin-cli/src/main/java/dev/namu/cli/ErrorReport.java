package dev.namu.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * How namuctl reports a failure: for people one {@code namuctl: message} line on stderr (then any
 * problems, indented); with {@code --json} the same as a JSON object on stdout,
 * {@code {"error": code, "message": text, "problems": [...]}}, the shape of the admin API's errors, so a
 * script reads one format whatever failed. The exit code is the caller's.
 */
public final class ErrorReport {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String code;
  private final String message;
  private final List<String> problems;

  public ErrorReport(String code, String message, List<String> problems) {
    this.code = code;
    this.message = message;
    this.problems = List.copyOf(problems);
  }

  public void print(boolean json, PrintWriter out, PrintWriter err) {
    if (json) {
      ObjectNode node = JSON.createObjectNode();
      node.put("error", code);
      node.put("message", message);
      if (!problems.isEmpty()) {
        problems.forEach(node.putArray("problems")::add);
      }
      try {
        out.println(JSON.writeValueAsString(node));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.flush();
      return;
    }
    err.println("namuctl: " + message);
    for (String p : problems) {
      err.println("  " + p);
    }
    err.flush();
  }

  /** Whether the command line asks for JSON: {@code --json} before any {@code --} end of options. */
  static boolean wantsJson(String... args) {
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--json")) {
        return true;
      }
    }
    return false;
  }
}
