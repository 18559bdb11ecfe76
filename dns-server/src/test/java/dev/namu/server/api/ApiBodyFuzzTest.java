package dev.namu.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.junit.Lifecycle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.update.TsigKeyring;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.memory.MemoryZoneStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The JSON bodies of the zone and record requests through the API's router (the step after the
 * HTTP framing and the token): a 2xx or a 4xx with a JSON error, never a 5xx (an internal error),
 * whatever the body. Each input starts from a fresh store with one zone in it.
 */
class ApiBodyFuzzTest {
  /** The requests that read a body: method, path. */
  private static final String[][] ENDPOINTS = {
    {"POST", "/api/v1/zones"},
    {"POST", "/api/v1/zones/lab.test/records"},
    {"PUT", "/api/v1/zones/lab.test/records"},
    {"POST", "/api/v1/zones/lab.test/batch"},
    {"PUT", "/api/v1/zones/lab.test/text"},
    {"POST", "/api/v1/keys"},
    {"POST", "/api/v1/tokens"},
    {"POST", "/api/v1/cache/flush"},
  };

  private final ObjectMapper json = new ObjectMapper();
  private ApiRouter router;

  @BeforeEach
  void setUp() throws IOException {
    MemoryZoneStore store = new MemoryZoneStore();
    ZoneRegistry registry = new ZoneRegistry();
    ZoneEditor editor = ZoneEditor.open(store, registry);
    Name zone = Name.fromConstantString("lab.test.");
    editor.create(zone, List.of(
        Record.fromString(zone, Type.SOA, DClass.IN, 3600, "ns.lab.test. admin.lab.test. 1 3600 600 86400 300", zone),
        Record.fromString(zone, Type.NS, DClass.IN, 3600, "ns.lab.test.", zone),
        Record.fromString(Name.fromConstantString("ns.lab.test."), Type.A, DClass.IN, 3600, "192.0.2.1", zone)),
        "test");
    router = new ApiRouter(new AdminOperations(editor, store, registry, new TsigKeyring(store),
        new ApiTokens(ApiToken.of("fuzz-admin-token-0123456789"), store), new TestApi.FixedControl(Instant.EPOCH, 0), Optional.empty(), Clock.systemUTC()), json, new ApiEdits());
  }

  @FuzzTest(maxDuration = "3m", lifecycle = Lifecycle.PER_EXECUTION)
  void requestBody(FuzzedDataProvider data) throws IOException {
    String[] endpoint = data.pickValue(ENDPOINTS);
    byte[] body = data.consumeRemainingAsBytes();
    ApiResponse response = router.answer(new ApiRequest(endpoint[0], endpoint[1], null, body, java.net.InetAddress.getLoopbackAddress(),
        ApiCaller.ADMIN));
    String shown = endpoint[0] + " " + endpoint[1] + " -> " + response.status() + " "
        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    // 501: what this namud does not run (a cache to flush without recursion), not a failure
    assertTrue(response.status() < 500 || response.status() == 501, "no internal error: " + shown);
    if (response.status() >= 400) {
      JsonNode error = json.readTree(response.body());
      assertTrue(error != null && error.isObject(), "a JSON error: " + shown);
    }
    assertEquals(ApiResponse.JSON, response.contentType(), shown);
  }
}
