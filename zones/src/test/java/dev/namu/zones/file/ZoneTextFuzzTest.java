package dev.namu.zones.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Any text through the zone-file parser as the API's import reads it (in memory, no $INCLUDE): a
 * zone whose records all lie inside the origin, or problems with a line each; never an exception.
 * Zone files read from disk take the same parser with the file rules.
 */
class ZoneTextFuzzTest {
  private static final Name ORIGIN = Name.fromConstantString("lab.test.");

  @FuzzTest(maxDuration = "3m")
  void zoneText(byte[] text) {
    if (text == null) {
      return;
    }
    ZoneLoad load = new ZoneFileLoader().load("fuzz", text, ORIGIN, ZoneFileRules.IMPORT);
    if (load.ok()) {
      ZoneSnapshot zone = load.zone().orElseThrow();
      assertEquals(ORIGIN, zone.origin());
      for (Record r : zone.records()) {
        assertTrue(r.getName().subdomain(ORIGIN), "record outside the zone: " + r);
      }
    } else {
      assertFalse(load.problems().isEmpty(), "a refused zone says why");
      for (ZoneProblem p : load.problems()) {
        assertTrue(p.line() >= 0, "a line number: " + p);
      }
    }
  }
}
