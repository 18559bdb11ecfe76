package dev.namu.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A record as the API reads it from a request (name, type, TTL, data as people type them): a 4xx
 * {@link ApiException}, or a record inside the zone that goes to the wire and back unchanged (what
 * the API accepts, the server must be able to send); never another exception.
 */
class RecordTextFuzzTest {
  private static final Name ORIGIN = Name.fromConstantString("lab.test.");

  @FuzzTest(maxDuration = "3m")
  void recordText(FuzzedDataProvider data) throws IOException {
    String owner = data.consumeString(80);
    String type = data.consumeString(12);
    long ttl = data.consumeLong(-1, 1L << 32);
    String rdata = data.consumeRemainingAsString();
    Record record;
    try {
      Name name = RecordSyntax.owner(owner, ORIGIN);
      record = RecordSyntax.record(name, RecordSyntax.type(type), ttl, rdata, ORIGIN);
    } catch (ApiException e) {
      assertTrue(e.status() >= 400 && e.status() < 500, "a client error: " + e.status());
      return;
    }
    assertTrue(record.getName().subdomain(ORIGIN), "inside the zone: " + record);
    Record back = Record.fromWire(record.toWire(Section.ANSWER), Section.ANSWER);
    assertEquals(record, back, "the record goes to the wire and back");
  }
}
