package dev.namu.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.zones.store.StoreException;
import java.io.CharConversionException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Maps a request to its endpoint in {@link AdminOperations} and the outcome to a status and JSON;
 * runs on a worker thread (endpoints read and write the store). Knows nothing of sockets.
 */
final class ApiRouter {

  private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);
  private static final String PREFIX = "/api/v1/";

  private final AdminOperations ops;
  private final ObjectMapper json;
  private final ApiEdits edits;

  ApiRouter(AdminOperations ops, ObjectMapper json, ApiEdits edits) {
    this.ops = ops;
    this.json = json;
    this.edits = edits;
  }

  /** The answer to one request; bad input is a 4xx, never an exception. Zone edits are counted. */
  ApiResponse answer(ApiRequest req) {
    ApiResponse response = respond(req);
    if (!req.method().equals("GET") && req.rawPath().startsWith(PREFIX + "zones")) {
      edits.count(response.status());
    }
    return response;
  }

  private ApiResponse respond(ApiRequest req) {
    try {
      return route(req);
    } catch (ApiException e) {
      return error(req, e);
    } catch (JsonProcessingException e) {
      return error(req, ApiException.badRequest("malformed JSON: " + e.getOriginalMessage()));
    } catch (CharConversionException e) {
      // Jackson guesses the encoding from the first bytes (RFC 4627 3); bytes that fit none it
      // detects fail as I/O, not as JSON, and are the client's as much as malformed JSON is
      return error(req, ApiException.badRequest("malformed JSON: " + e.getMessage()));
    } catch (StoreException e) {
      log.error("admin API: zone store failed: {}", e.getMessage());
      return error(req, new ApiException(503, "store_failed", "zone store failed: " + e.getMessage()));
    } catch (IOException | RuntimeException e) {
      log.error("admin API: unexpected failure on {} {}", req.method(), req.rawPath(), e);
      return error(req, new ApiException(500, "internal", "internal error: " + e));
    }
  }

  private ApiResponse error(ApiRequest req, ApiException e) {
    // 501 is the client asking for what this namud does not run (a cache without recursion)
    if (e.status() >= 500 && e.status() != 501) {
      log.warn("admin API {} {}: {} {}", req.method(), req.rawPath(), e.status(), e.getMessage());
    } else {
      log.debug("admin API {} {}: {} {}", req.method(), req.rawPath(), e.status(), e.getMessage());
    }
    return ApiResponse.error(json, e);
  }

  private ApiResponse route(ApiRequest req) throws IOException {
    String method = req.method();
    String path = req.rawPath();
    if (!path.startsWith(PREFIX)) {
      throw ApiException.notFound("no such endpoint " + path + " (the API is under " + PREFIX + ")");
    }
    String[] p = path.substring(PREFIX.length()).split("/", -1);
    for (int i = 0; i < p.length; i++) {
      p[i] = decode(p[i]);
    }
    Map<String, String> q = query(req.rawQuery());
    ApiCaller who = req.who();
    if (!p[0].equals("zones")) {
      // a named token edits zones; the rest (settings, keys, tokens, the cache) is the admin's
      who.requireAdmin(method + " " + path);
    }
    switch (p[0]) {
      case "status":
        expect(method, "GET", p.length == 1);
        return ok(200, ops.status());
      case "reload":
        expect(method, "POST", p.length == 1);
        return ok(200, ops.reload());
      case "keys":
        if (p.length == 1 && method.equals("GET")) {
          return ok(200, ops.keys());
        } else if (p.length == 1 && method.equals("POST")) {
          return ok(201, ops.addKey(jsonBody(req)));
        } else if (p.length == 2 && method.equals("DELETE")) {
          return ok(200, ops.deleteKey(p[1]));
        }
        throw methodNotAllowed(method, path);
      case "tokens":
        if (p.length == 1 && method.equals("GET")) {
          return ok(200, ops.tokens());
        } else if (p.length == 1 && method.equals("POST")) {
          return ok(201, ops.addToken(jsonBody(req)));
        } else if (p.length == 2 && method.equals("DELETE")) {
          return ok(200, ops.deleteToken(p[1]));
        }
        throw methodNotAllowed(method, path);
      case "explain":
        expect(method, "GET", p.length == 1);
        return ok(200, ops.explain(q.get("name"), q.get("type"),
            q.containsKey("client") ? q.get("client")
                : req.caller() == null ? null : req.caller().getHostAddress()));
      case "cache":
        switch (p.length == 2 ? p[1] : "") {
          case "flush":
            expect(method, "POST", true);
            return ok(200, ops.flushCache(optionalJsonBody(req)));
          case "dump":
            expect(method, "GET", true);
            return ok(200, ops.dumpCache(q.get("name"), q.get("limit")));
          case "infra":
            expect(method, "GET", true);
            return ok(200, ops.cacheInfra());
          default:
            throw ApiException.notFound("no such endpoint " + path);
        }
      case "zones":
        return zones(req, who, method, path, p, q);
      default:
        throw ApiException.notFound("no such endpoint " + path);
    }
  }

  /** {@code /zones/ZONE/records?view=NAME}: the records one view lays over the zone. */
  private ApiResponse viewRecords(ApiRequest req, ApiCaller who, String method, String path, Name zone,
      Map<String, String> q) throws IOException {
    String view = q.get("view");
    switch (method) {
      case "GET":
        return ok(200, ops.listViewRecords(zone, view, q.get("name"), q.get("type")));
      case "POST":
        return ok(200, ops.addViewRecord(zone, view, jsonBody(req), who));
      case "PUT":
        return ok(200, ops.replaceViewRRset(zone, view, jsonBody(req), who));
      case "DELETE":
        return ok(200, ops.deleteViewRecords(zone, view, q.get("name"), q.get("type"), q.get("data"), who));
      default:
        throw methodNotAllowed(method, path);
    }
  }

  private ApiResponse zones(ApiRequest req, ApiCaller who, String method, String path, String[] p,
      Map<String, String> q) throws IOException {
    if (p.length == 1 || (p.length == 2 && p[1].isEmpty())) {
      if (method.equals("GET")) {
        return ok(200, ops.zoneList(who));
      } else if (method.equals("POST")) {
        return ok(201, ops.createZone(jsonBody(req), who));
      }
      throw methodNotAllowed(method, path);
    }
    Name zone = RecordSyntax.zone(p[1]);
    who.requireZone(zone);
    String sub = p.length > 2 ? p[2] : "";
    if (p.length > 3) {
      throw ApiException.notFound("no such endpoint " + path);
    }
    switch (sub) {
      case "":
        if (method.equals("GET")) {
          return ok(200, ops.showZone(zone));
        } else if (method.equals("DELETE")) {
          return ok(200, ops.deleteZone(zone, who));
        }
        throw methodNotAllowed(method, path);
      case "records":
        if (q.get("view") != null) {
          return viewRecords(req, who, method, path, zone, q);
        }
        switch (method) {
          case "GET":
            return ok(200, ops.listRecords(zone, q.get("name"), q.get("type")));
          case "POST":
            return ok(200, ops.addRecord(zone, jsonBody(req), who));
          case "PUT":
            return ok(200, ops.replaceRRset(zone, jsonBody(req), who));
          case "DELETE":
            return ok(200, ops.deleteRecords(zone, q.get("name"), q.get("type"), q.get("data"),
                !"false".equals(q.get("ptr")), who));
          default:
            throw methodNotAllowed(method, path);
        }
      case "batch":
        expect(method, "POST", true);
        return ok(200, ops.batch(zone, jsonBody(req), who));
      case "text":
        if (method.equals("GET")) {
          return new ApiResponse(200, "text/dns; charset=utf-8",
              ops.exportZone(zone).getBytes(StandardCharsets.UTF_8), Map.of());
        } else if (method.equals("PUT")) {
          return ok(200, ops.importZone(zone, new String(req.body(), StandardCharsets.UTF_8), who));
        }
        throw methodNotAllowed(method, path);
      case "transfer":
        if (method.equals("GET")) {
          return ok(200, ops.transferSettings(zone));
        } else if (method.equals("PUT")) {
          return ok(200, ops.updateTransfer(zone, jsonBody(req)));
        }
        throw methodNotAllowed(method, path);
      case "signing":
        who.requireAdmin(method + " " + path);
        if (method.equals("GET")) {
          return ok(200, ops.signing(zone));
        } else if (method.equals("POST")) {
          return ok(200, ops.sign(zone, optionalJsonBody(req) == null ? json.createObjectNode() : optionalJsonBody(req)));
        } else if (method.equals("DELETE")) {
          return ok(200, ops.unsign(zone));
        }
        throw methodNotAllowed(method, path);
      case "ds":
        who.requireAdmin(method + " " + path);
        expect(method, "GET", true);
        return ok(200, ops.ds(zone));
      case "ksk-rollover":
        who.requireAdmin(method + " " + path);
        expect(method, "POST", true);
        return ok(200, ops.rolloverKsk(zone));
      case "zsk-rollover":
        who.requireAdmin(method + " " + path);
        expect(method, "POST", true);
        return ok(200, ops.rolloverZsk(zone));
      case "ds-published":
        who.requireAdmin(method + " " + path);
        expect(method, "POST", true);
        return ok(200, ops.dsPublished(zone));
      case "journal":
        expect(method, "GET", true);
        int limit;
        try {
          limit = Integer.parseInt(q.getOrDefault("limit", "20"));
        } catch (NumberFormatException e) {
          throw ApiException.badRequest("limit must be a number");
        }
        return ok(200, ops.journal(zone, Math.max(1, Math.min(limit, 10_000))));
      default:
        throw ApiException.notFound("no such endpoint " + path);
    }
  }

  private ApiResponse ok(int status, Object value) {
    return ApiResponse.json(json, status, value);
  }

  private static void expect(String method, String wanted, boolean pathOk) {
    if (!pathOk) {
      throw ApiException.notFound("no such endpoint");
    }
    if (!method.equals(wanted)) {
      throw new ApiException(405, "method_not_allowed", "use " + wanted + " here, not " + method);
    }
  }

  private static ApiException methodNotAllowed(String method, String path) {
    return new ApiException(405, "method_not_allowed", method + " is not allowed on " + path);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      q.put(k, v);
    }
    return q;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad percent-encoding in '" + s + "'");
    }
  }

  private JsonNode jsonBody(ApiRequest req) throws IOException {
    if (req.body().length == 0) {
      throw ApiException.badRequest("a JSON body is required");
    }
    JsonNode node = json.readTree(req.body());
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("the JSON body must be an object");
    }
    return node;
  }

  private JsonNode optionalJsonBody(ApiRequest req) throws IOException {
    if (req.body().length == 0) {
      return null;
    }
    JsonNode node = json.readTree(req.body());
    if (node != null && !node.isObject()) {
      throw ApiException.badRequest("the JSON body must be an object");
    }
    return node;
  }
}
